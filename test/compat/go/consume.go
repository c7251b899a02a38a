// consume: the Go client's clustering push consumer with a TAG expression, one JSON line per
// delivery, until expectedCount distinct messages arrived or the timeout.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

// consumeTally counts deliveries per msgId and signals once `expected` distinct ones arrived.
type consumeTally struct {
	mu         sync.Mutex
	expected   int
	received   int
	deliveries map[string]int
	reached    chan struct{}
	inFlight   atomic.Int32 // callbacks that have not returned yet
}

func (t *consumeTally) record(msgID string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.received++
	t.deliveries[msgID]++
	if t.expected > 0 && len(t.deliveries) == t.expected && t.deliveries[msgID] == 1 {
		close(t.reached)
	}
	return t.deliveries[msgID]
}

func (t *consumeTally) summary() map[string]interface{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return map[string]interface{}{"received": t.received, "distinct": len(t.deliveries), "succeeded": len(t.deliveries)}
}

func consume(namesrv string, a probeArgs) (int, error) {
	if len(a.positional) != 5 {
		return exitUsage, usageError{"consume <namesrv> <group> <topic> <expression> <expectedCount> <timeoutMs>"}
	}
	group, topic, expression := a.positional[0], a.positional[1], a.positional[2]
	expected, err := parseInt("expectedCount", a.positional[3])
	if err != nil {
		return exitUsage, err
	}
	timeoutMs, err := parseInt("timeoutMs", a.positional[4])
	if err != nil {
		return exitUsage, err
	}
	lingerMs, err := a.integer("--linger-ms", 0)
	if err != nil {
		return exitUsage, err
	}
	from := consumer.ConsumeFromFirstOffset
	switch a.str("--from", "first") {
	case "first":
	case "last":
		from = consumer.ConsumeFromLastOffset
	default:
		return exitUsage, usageError{"--from first|last"}
	}
	if expected < 0 || timeoutMs <= 0 {
		return exitUsage, usageError{"expectedCount >= 0 and timeoutMs > 0"}
	}
	instance := a.str("--instance", defaultInstance("compat-go-consumer"))

	c, err := rocketmq.NewPushConsumer(
		consumer.WithNsResolver(primitive.NewPassthroughResolver([]string{namesrv})),
		consumer.WithGroupName(group),
		consumer.WithInstance(instance),
		consumer.WithConsumerModel(consumer.Clustering),
		consumer.WithConsumeFromWhere(from),
	)
	if err != nil {
		return exitRocketMQ, err
	}
	tally := &consumeTally{expected: expected, deliveries: map[string]int{}, reached: make(chan struct{})}
	selector := consumer.MessageSelector{Type: consumer.TAG, Expression: expression}
	err = c.Subscribe(topic, selector, func(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		tally.inFlight.Add(1)
		defer tally.inFlight.Add(-1)
		now := time.Now().UnixMilli()
		for _, m := range msgs {
			line := messageLine(m)
			line["receivedAtMs"] = now
			line["consumer"] = instance
			line["delivery"] = tally.record(m.MsgId)
			line["result"] = "CONSUME_SUCCESS"
			emit(line)
		}
		return consumer.ConsumeSuccess, nil
	})
	if err != nil {
		return exitRocketMQ, err
	}

	t0 := time.Now()
	if err := c.Start(); err != nil {
		return exitRocketMQ, err
	}
	ok := true
	select {
	case <-tally.reached:
		time.Sleep(time.Duration(lingerMs) * time.Millisecond)
	case <-time.After(time.Duration(timeoutMs) * time.Millisecond):
		ok = expected == 0
	}
	elapsed := time.Since(t0).Milliseconds()
	// The client records a consumed offset only after the callback returned, and Shutdown drops its
	// queues first: let the last callbacks finish and be recorded, or their offsets are not committed.
	for settle := time.Now(); tally.inFlight.Load() > 0 && time.Since(settle) < 2*time.Second; {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	// Shutdown persists the consume offsets to the broker (UPDATE_CONSUMER_OFFSET, oneway) and closes.
	shutdownBounded(func() { _ = c.Shutdown() }, 3*time.Second)

	summary := tally.summary()
	if !ok {
		summary["error"] = "timeout"
		summary["expected"] = expected
		emitFinal(summary)
		return exitRocketMQ, nil
	}
	summary["done"] = true
	summary["elapsedMs"] = elapsed
	emitFinal(summary)
	return exitOK, nil
}

func messageLine(m *primitive.MessageExt) map[string]interface{} {
	line := map[string]interface{}{
		"msgId": m.MsgId, "offsetMsgId": m.OffsetMsgId, "topic": m.Topic, "tags": m.GetTags(),
		"keys": m.GetKeys(), "body": string(m.Body), "bodyLength": len(m.Body),
		"queueOffset": m.QueueOffset, "commitLogOffset": m.CommitLogOffset,
		"reconsumeTimes": m.ReconsumeTimes, "bornTimestamp": m.BornTimestamp,
		"storeTimestamp": m.StoreTimestamp, "bornHost": m.BornHost, "storeHost": m.StoreHost,
		"properties": m.GetProperties(),
	}
	if m.Queue != nil {
		line["queueId"] = m.Queue.QueueId
		line["brokerName"] = m.Queue.BrokerName
	}
	return line
}

func defaultInstance(prefix string) string {
	return fmt.Sprintf("%s-%d-%x", prefix, os.Getpid(), time.Now().UnixNano())
}

// shutdownBounded runs stop but gives up waiting after limit (the client may linger on its sockets).
func shutdownBounded(stop func(), limit time.Duration) {
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
	}
}
