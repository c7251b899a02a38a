// request and reply: request-reply with the Go client. `reply` is a push consumer that answers each
// request with consumer.CreateReplyMessage sent by a producer (SEND_REPLY_MESSAGE, 324); `request`
// is a producer calling Request (sync) or RequestAsync, one JSON line per reply.
//
//	reply <namesrv> <group> <topic> <count> <timeoutMs> [--instance NAME]
//	  From the first offset. Prints {"ready":true} once started, one line per answered request
//	  {"replied":<request body>,"correlationId","replyTo","status":"SEND_OK"} (or "error"), and stops after
//	  count replies ({"done":true,"replied":n}) or at the timeout ({"error":"timeout","replied":n}, exit 2).
//	  A message without REPLY_TO_CLIENT is not answered: {"skipped":<body>}.
//
//	request <namesrv> <topic> <count> <sync|async> [--timeout-ms MS (default 15000)] [--group G]
//	  Sends one plain "warm-up" message first (see warmUp), then "req-<i>"; one line per reply {"i","reply","topic","correlationId"} or {"i","error"}, then
//	  {"done":true,"replies":n,"failed":f} (exit 2 when a request failed).
package main

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

func requestReply(command, namesrv string, args []string) (int, error) {
	if command == "reply" {
		parsed, err := parseArgs(args, "--instance")
		if err != nil {
			return exitUsage, err
		}
		return replier(namesrv, parsed)
	}
	parsed, err := parseArgs(args, "--timeout-ms", "--group")
	if err != nil {
		return exitUsage, err
	}
	return requester(namesrv, parsed)
}

func replier(namesrv string, a probeArgs) (int, error) {
	if len(a.positional) != 4 {
		return exitUsage, usageError{"reply <namesrv> <group> <topic> <count> <timeoutMs>"}
	}
	group, topic := a.positional[0], a.positional[1]
	count, err := parseInt("count", a.positional[2])
	if err != nil {
		return exitUsage, err
	}
	timeoutMs, err := parseInt("timeoutMs", a.positional[3])
	if err != nil {
		return exitUsage, err
	}
	instance := a.str("--instance", defaultInstance("compat-go-replier"))
	p, err := rocketmq.NewProducer(
		producer.WithNsResolver(primitive.NewPassthroughResolver([]string{namesrv})),
		producer.WithGroupName(group+"_reply"),
		producer.WithInstanceName(instance+"-p"),
	)
	if err != nil {
		return exitRocketMQ, err
	}
	if err := p.Start(); err != nil {
		return exitRocketMQ, err
	}
	c, err := rocketmq.NewPushConsumer(
		consumer.WithNsResolver(primitive.NewPassthroughResolver([]string{namesrv})),
		consumer.WithGroupName(group),
		consumer.WithInstance(instance),
		consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset),
	)
	if err != nil {
		return exitRocketMQ, err
	}
	var replied atomic.Int32
	reached := make(chan struct{})
	var once sync.Once
	selector := consumer.MessageSelector{Type: consumer.TAG, Expression: "*"}
	err = c.Subscribe(topic, selector, func(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		for _, m := range msgs {
			if !answer(p, m) {
				continue
			}
			if int(replied.Add(1)) >= count {
				once.Do(func() { close(reached) })
			}
		}
		return consumer.ConsumeSuccess, nil
	})
	if err != nil {
		return exitRocketMQ, err
	}
	if err := c.Start(); err != nil {
		return exitRocketMQ, err
	}
	emit(map[string]interface{}{"ready": true})
	ok := true
	select {
	case <-reached:
	case <-time.After(time.Duration(timeoutMs) * time.Millisecond):
		ok = false
	}
	shutdownBounded(func() { _ = c.Shutdown() }, 3*time.Second)
	shutdownBounded(func() { _ = p.Shutdown() }, time.Second)
	if !ok {
		emitFinal(map[string]interface{}{"error": "timeout", "replied": replied.Load()})
		return exitRocketMQ, nil
	}
	emitFinal(map[string]interface{}{"done": true, "replied": replied.Load()})
	return exitOK, nil
}

// answer replies to one request message; false when it is no request (no REPLY_TO_CLIENT).
func answer(p rocketmq.Producer, m *primitive.MessageExt) bool {
	body := string(m.Body)
	replyTo := consumer.GetReplyToClient(m)
	if replyTo == "" {
		emit(map[string]interface{}{"skipped": body})
		return false
	}
	line := map[string]interface{}{
		"replied": body, "correlationId": m.GetProperty(primitive.PropertyCorrelationID), "replyTo": replyTo,
	}
	reply, err := consumer.CreateReplyMessage(m, nil)
	if err != nil {
		line["error"] = err.Error()
		emit(line)
		return true
	}
	// CreateReplyMessage reads its body argument as properties and leaves the body empty: set it here.
	reply.Body = []byte("reply:" + body)
	result, err := p.SendSync(context.Background(), reply)
	if err != nil {
		line["error"] = err.Error()
	} else {
		line["status"] = sendStatus(result.Status)
	}
	emit(line)
	return true
}

func requester(namesrv string, a probeArgs) (int, error) {
	if len(a.positional) != 3 {
		return exitUsage, usageError{"request <namesrv> <topic> <count> <sync|async>"}
	}
	topic, mode := a.positional[0], a.positional[2]
	count, err := parseInt("count", a.positional[1])
	if err != nil {
		return exitUsage, err
	}
	if mode != "sync" && mode != "async" || count < 0 {
		return exitUsage, usageError{"mode must be sync|async, count >= 0"}
	}
	timeoutMs, err := a.integer("--timeout-ms", 15000)
	if err != nil {
		return exitUsage, err
	}
	p, err := rocketmq.NewProducer(
		producer.WithNsResolver(primitive.NewPassthroughResolver([]string{namesrv})),
		producer.WithGroupName(a.str("--group", "compat_go_requester")),
		producer.WithInstanceName(defaultInstance("compat-go-requester")),
	)
	if err != nil {
		return exitRocketMQ, err
	}
	started := time.Now()
	if err := p.Start(); err != nil {
		return exitRocketMQ, err
	}
	// The broker pushes a reply with a request to this client and the replier's send is answered by
	// that push's outcome: linger so the last push is answered before the connection closes.
	defer shutdownBounded(func() { _ = p.Shutdown() }, time.Second)
	defer time.Sleep(500 * time.Millisecond)
	if err := warmUp(p, topic, started); err != nil {
		return exitRocketMQ, err
	}
	ttl := time.Duration(timeoutMs) * time.Millisecond
	var replies, failed atomic.Int32
	onReply := func(i int, reply *primitive.Message, err error) {
		if err != nil || reply == nil {
			failed.Add(1)
			emit(map[string]interface{}{"i": i, "error": errorText(err)})
			return
		}
		replies.Add(1)
		emit(map[string]interface{}{
			"i": i, "reply": string(reply.Body), "topic": reply.Topic,
			"correlationId": reply.GetProperty(primitive.PropertyCorrelationID),
		})
	}
	if mode == "sync" {
		for i := 0; i < count; i++ {
			reply, err := p.Request(context.Background(), ttl, requestMessage(topic, i))
			onReply(i, reply, err)
		}
	} else {
		requestAsync(p, topic, count, ttl, onReply)
	}
	line := map[string]interface{}{"done": true, "replies": replies.Load(), "failed": failed.Load()}
	emitFinal(line)
	if failed.Load() > 0 {
		return exitRocketMQ, nil
	}
	return exitOK, nil
}

// warmUp lets the broker know this client before its first reply comes. The Go client heartbeats before a
// request only when the name server has no route for the topic (Java always does); otherwise its first
// heartbeat is the one 1 s after Start, to the brokers it knows by then. So: learn the broker from the
// topic's route with one plain message (repliers skip it: no REPLY_TO_CLIENT), then wait for that heartbeat.
// The Go client's own request-reply example sleeps for the same reason.
func warmUp(p rocketmq.Producer, topic string, started time.Time) error {
	if _, err := p.SendSync(context.Background(), primitive.NewMessage(topic, []byte("warm-up"))); err != nil {
		return err
	}
	time.Sleep(time.Until(started.Add(1500 * time.Millisecond)))
	return nil
}

func requestAsync(p rocketmq.Producer, topic string, count int, ttl time.Duration,
	onReply func(int, *primitive.Message, error)) {
	var wg sync.WaitGroup
	for i := 0; i < count; i++ {
		i := i
		wg.Add(1)
		var once sync.Once
		callback := func(_ context.Context, reply *primitive.Message, err error) {
			once.Do(func() { onReply(i, reply, err); wg.Done() })
		}
		if err := p.RequestAsync(context.Background(), ttl, callback, requestMessage(topic, i)); err != nil {
			callback(context.Background(), nil, err)
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(ttl + 5*time.Second):
	}
}

func requestMessage(topic string, i int) *primitive.Message {
	return primitive.NewMessage(topic, []byte("req-"+strconv.Itoa(i))).WithTag("TagReq")
}

func errorText(err error) string {
	if err == nil {
		return "no reply"
	}
	return err.Error()
}
