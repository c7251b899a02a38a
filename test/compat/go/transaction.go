// transaction: the Go client's TransactionProducer (SEND_MESSAGE with TRAN_MSG, END_TRANSACTION 37,
// answers to CHECK_TRANSACTION_STATE 39), the twin of test/compat/java's TransactionProbe `send`.
//
//	transaction <namesrv> <group> <topic> <states> [--answer commit|rollback|unknown (default commit)]
//	    [--expect-checks N (default 0)] [--timeout-ms MS (default 60000)] [--instance NAME]
//	  <states>: comma-separated commit|rollback|unknown, one transaction each; transaction i sends
//	  "tx-<i>" and its local transaction answers states[i]. One line per send:
//	    {"i","state","sendStatus","msgId","offsetMsgId","transactionId","queueId","queueOffset"}
//	  The checker answers every check with --answer and prints
//	    {"check":true,"body","topic","queueId","transactionId","checkTimes","answer","atMs"}
//	  After the sends it waits for N check lines (else {"error":"timeout"}, exit 2), gives the last
//	  answer a second to leave, then prints {"done":true,"sent":n,"checks":c}.
package main

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

// The property carrying the state a transaction's local part answers (read back by the listener).
const localStateProperty = "COMPAT_LOCAL_STATE"

var transactionStates = map[string]primitive.LocalTransactionState{
	"commit":   primitive.CommitMessageState,
	"rollback": primitive.RollbackMessageState,
	"unknown":  primitive.UnkonwnState,
}

var transactionStateNames = map[primitive.LocalTransactionState]string{
	primitive.CommitMessageState:   "COMMIT_MESSAGE",
	primitive.RollbackMessageState: "ROLLBACK_MESSAGE",
	primitive.UnkonwnState:         "UNKNOW",
}

type probeTransactionListener struct {
	answer primitive.LocalTransactionState
	checks int32
}

func (l *probeTransactionListener) ExecuteLocalTransaction(msg *primitive.Message) primitive.LocalTransactionState {
	return transactionStates[msg.GetProperty(localStateProperty)]
}

func (l *probeTransactionListener) CheckLocalTransaction(msg *primitive.MessageExt) primitive.LocalTransactionState {
	emit(map[string]interface{}{
		"check": true, "body": string(msg.Body), "topic": msg.Topic, "queueId": msg.Queue.QueueId,
		"transactionId": msg.TransactionId, "checkTimes": msg.GetProperty("TRANSACTION_CHECK_TIMES"),
		"answer": transactionStateNames[l.answer], "atMs": time.Now().UnixMilli(),
	})
	atomic.AddInt32(&l.checks, 1)
	return l.answer
}

func transaction(namesrv string, a probeArgs) (int, error) {
	if len(a.positional) != 3 {
		return exitUsage, usageError{"transaction <namesrv> <group> <topic> <states>"}
	}
	group, topic, states := a.positional[0], a.positional[1], strings.Split(a.positional[2], ",")
	answer, known := transactionStates[a.str("--answer", "commit")]
	for _, state := range states {
		_, ok := transactionStates[state]
		known = known && ok
	}
	if !known {
		return exitUsage, usageError{"states and --answer are commit, rollback or unknown"}
	}
	expectChecks, err := a.integer("--expect-checks", 0)
	if err != nil {
		return exitUsage, err
	}
	timeoutMs, err := a.integer("--timeout-ms", 60000)
	if err != nil {
		return exitUsage, err
	}
	listener := &probeTransactionListener{answer: answer}
	p, err := rocketmq.NewTransactionProducer(listener,
		producer.WithNsResolver(primitive.NewPassthroughResolver([]string{namesrv})),
		producer.WithGroupName(group),
		producer.WithInstanceName(a.str("--instance", defaultInstance("compat-go-tx"))),
	)
	if err != nil {
		return exitRocketMQ, err
	}
	if err := p.Start(); err != nil {
		return exitRocketMQ, err
	}
	defer shutdownBounded(func() { _ = p.Shutdown() }, 500*time.Millisecond)
	for i, state := range states {
		msg := primitive.NewMessage(topic, []byte("tx-"+strconv.Itoa(i)))
		msg.WithProperty(localStateProperty, state)
		r, err := p.SendMessageInTransaction(context.Background(), msg)
		if err != nil {
			return exitRocketMQ, err
		}
		emit(map[string]interface{}{
			"i": i, "state": transactionStateNames[r.State], "sendStatus": sendStatus(r.Status), "msgId": r.MsgID,
			"offsetMsgId": r.OffsetMsgID, "transactionId": r.TransactionID, "queueId": r.MessageQueue.QueueId,
			"queueOffset": r.QueueOffset,
		})
	}
	deadline := time.Now().Add(time.Duration(timeoutMs) * time.Millisecond)
	for int(atomic.LoadInt32(&listener.checks)) < expectChecks {
		if time.Now().After(deadline) {
			emitFinal(map[string]interface{}{"error": "timeout", "checks": atomic.LoadInt32(&listener.checks),
				"expected": expectChecks})
			return exitRocketMQ, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	if expectChecks > 0 {
		// The answer (END_TRANSACTION, oneway) leaves from the checker's goroutine after its line.
		time.Sleep(time.Second)
	}
	emitFinal(map[string]interface{}{"done": true, "sent": len(states), "checks": atomic.LoadInt32(&listener.checks)})
	return exitOK, nil
}
