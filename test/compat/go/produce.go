// produce: the Go client's DefaultProducer sending sync (SEND_MESSAGE 10), async, oneway and batch
// (SEND_BATCH_MESSAGE 320) messages, one JSON line per message.
package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

const batchSize = 16

type produceSpec struct {
	topic     string
	count     int
	mode      string
	start     int
	timeoutMs int
}

func produce(namesrv string, a probeArgs) (int, error) {
	if len(a.positional) != 3 {
		return exitUsage, usageError{"produce <namesrv> <topic> <count> <sync|async|oneway|batch>"}
	}
	spec := produceSpec{topic: a.positional[0], mode: a.positional[2]}
	var err error
	if spec.count, err = parseInt("count", a.positional[1]); err != nil {
		return exitUsage, err
	}
	if spec.mode != "sync" && spec.mode != "async" && spec.mode != "oneway" && spec.mode != "batch" || spec.count < 0 {
		return exitUsage, usageError{"mode must be sync|async|oneway|batch, count >= 0"}
	}
	if spec.start, err = a.integer("--start-index", 0); err != nil {
		return exitUsage, err
	}
	bodySize, err := a.integer("--body-size", 0)
	if err != nil {
		return exitUsage, err
	}
	if spec.timeoutMs, err = a.integer("--send-timeout-ms", 3000); err != nil {
		return exitUsage, err
	}
	retries, err := a.integer("--retries", 2)
	if err != nil {
		return exitUsage, err
	}

	p, err := rocketmq.NewProducer(
		producer.WithNsResolver(primitive.NewPassthroughResolver([]string{namesrv})),
		producer.WithGroupName(a.str("--group", "compat_go_producer")),
		producer.WithInstanceName(a.str("--instance", defaultInstance("compat-go-producer"))),
		producer.WithSendMsgTimeout(time.Duration(spec.timeoutMs)*time.Millisecond),
		producer.WithRetry(retries),
	)
	if err != nil {
		return exitRocketMQ, err
	}
	msgs := make([]*primitive.Message, spec.count)
	for n := range msgs {
		msgs[n] = newMessage(spec.topic, spec.start+n, bodySize, a.str("--tag", ""), a.str("--keys", ""))
	}

	t0 := time.Now()
	if err := p.Start(); err != nil {
		return exitRocketMQ, err
	}
	defer shutdownBounded(func() { _ = p.Shutdown() }, 500*time.Millisecond)
	switch spec.mode {
	case "sync":
		err = produceSync(p, msgs, spec)
	case "async":
		err = produceAsync(p, msgs, spec)
	case "oneway":
		err = produceOneway(p, msgs, spec)
	default:
		err = produceBatch(p, msgs, spec)
	}
	if err != nil {
		return exitRocketMQ, err
	}
	emitFinal(map[string]interface{}{"done": true, "sent": spec.count, "elapsedMs": time.Since(t0).Milliseconds()})
	return exitOK, nil
}

func newMessage(topic string, i, bodySize int, tag, keys string) *primitive.Message {
	body := "msg-" + strconv.Itoa(i)
	if len(body) < bodySize {
		body += strings.Repeat("x", bodySize-len(body))
	}
	msg := primitive.NewMessage(topic, []byte(body))
	if tag != "" {
		msg.WithTag(tag)
	}
	if keys != "" {
		msg.WithKeys(strings.Fields(strings.ReplaceAll(keys, "{i}", strconv.Itoa(i))))
	}
	return msg
}

func sendResultLine(i int, r *primitive.SendResult) map[string]interface{} {
	line := map[string]interface{}{
		"i": i, "status": sendStatus(r.Status), "msgId": r.MsgID, "offsetMsgId": r.OffsetMsgID,
		"queueOffset": r.QueueOffset,
	}
	if r.MessageQueue != nil {
		line["queueId"] = r.MessageQueue.QueueId
		line["brokerName"] = r.MessageQueue.BrokerName
	}
	return line
}

// sendStatus spells the status like Java's SendStatus enum, so both probes print the same.
func sendStatus(s primitive.SendStatus) string {
	switch s {
	case primitive.SendOK:
		return "SEND_OK"
	case primitive.SendFlushDiskTimeout:
		return "FLUSH_DISK_TIMEOUT"
	case primitive.SendFlushSlaveTimeout:
		return "FLUSH_SLAVE_TIMEOUT"
	case primitive.SendSlaveNotAvailable:
		return "SLAVE_NOT_AVAILABLE"
	default:
		return fmt.Sprintf("UNKNOWN(%d)", s)
	}
}

func produceSync(p rocketmq.Producer, msgs []*primitive.Message, spec produceSpec) error {
	for n, msg := range msgs {
		r, err := p.SendSync(context.Background(), msg)
		if err != nil {
			return fmt.Errorf("message %d: %w", spec.start+n, err)
		}
		emit(sendResultLine(spec.start+n, r))
	}
	return nil
}

func produceAsync(p rocketmq.Producer, msgs []*primitive.Message, spec produceSpec) error {
	var wg sync.WaitGroup
	var failedMu sync.Mutex
	var failed error
	for n, msg := range msgs {
		i := spec.start + n
		wg.Add(1)
		err := p.SendAsync(context.Background(), func(_ context.Context, r *primitive.SendResult, err error) {
			defer wg.Done()
			if err != nil {
				emit(map[string]interface{}{"i": i, "error": err.Error()})
				failedMu.Lock()
				failed = fmt.Errorf("message %d: %w", i, err)
				failedMu.Unlock()
				return
			}
			emit(sendResultLine(i, r))
		}, msg)
		if err != nil {
			wg.Done()
			return fmt.Errorf("message %d: %w", i, err)
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Duration(spec.timeoutMs*4+5000) * time.Millisecond):
		return fmt.Errorf("timeout waiting for async send callbacks")
	}
	failedMu.Lock()
	defer failedMu.Unlock()
	return failed
}

func produceOneway(p rocketmq.Producer, msgs []*primitive.Message, spec produceSpec) error {
	for n, msg := range msgs {
		if err := p.SendOneWay(context.Background(), msg); err != nil {
			return fmt.Errorf("message %d: %w", spec.start+n, err)
		}
		emit(map[string]interface{}{"i": spec.start + n, "sent": true})
	}
	// Let the last one-way writes leave before the connections close.
	time.Sleep(200 * time.Millisecond)
	return nil
}

func produceBatch(p rocketmq.Producer, msgs []*primitive.Message, spec produceSpec) error {
	for b := 0; b*batchSize < len(msgs); b++ {
		end := (b + 1) * batchSize
		if end > len(msgs) {
			end = len(msgs)
		}
		batch := msgs[b*batchSize : end]
		r, err := p.SendSync(context.Background(), batch...)
		if err != nil {
			return fmt.Errorf("batch %d: %w", b, err)
		}
		uniqIDs := strings.Split(r.MsgID, ",")
		offsetIDs := strings.Split(r.OffsetMsgID, ",")
		for j := range batch {
			line := sendResultLine(spec.start+b*batchSize+j, r)
			line["batch"] = b
			line["queueOffset"] = r.QueueOffset + int64(j)
			if len(uniqIDs) == len(batch) {
				line["msgId"] = uniqIDs[j]
			}
			if len(offsetIDs) == len(batch) {
				line["offsetMsgId"] = offsetIDs[j]
			}
			emit(line)
		}
	}
	return nil
}
