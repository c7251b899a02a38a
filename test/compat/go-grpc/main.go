// grpc-probe: the official RocketMQ 5 Go client (github.com/apache/rocketmq-clients/golang/v5, gRPC) against a
// broker's gRPC endpoint, for test/compat/client-go-grpc.test.ts. One command:
//
//	grpc-probe roundtrip <endpoint> <topic> <group> <count> <timeoutMs>
//
// A SimpleConsumer of <group> subscribes to <topic> (all tags) first, a Producer sends <count> messages (tag
// "go", keys "k-<i>", body "go-<i>"), then the consumer receives and acks until it has every one or the time is
// up. Each step prints one JSON line on stdout: {"event":"sent"|"received"|"acked"|"error",...}. The Go client
// always dials TLS (it skips verifying the certificate), so the broker must serve TLS.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	rmq "github.com/apache/rocketmq-clients/golang/v5"
	"github.com/apache/rocketmq-clients/golang/v5/credentials"
)

func emit(fields map[string]any) {
	line, _ := json.Marshal(fields)
	fmt.Println(string(line))
}

func fail(step string, err error) {
	emit(map[string]any{"event": "error", "step": step, "error": err.Error()})
	os.Exit(1)
}

func main() {
	if len(os.Args) != 7 || os.Args[1] != "roundtrip" {
		fmt.Fprintln(os.Stderr, "usage: grpc-probe roundtrip <endpoint> <topic> <group> <count> <timeoutMs>")
		os.Exit(2)
	}
	endpoint, topic, group := os.Args[2], os.Args[3], os.Args[4]
	count, _ := strconv.Atoi(os.Args[5])
	timeoutMs, _ := strconv.Atoi(os.Args[6])
	os.Setenv("mq.consoleAppender.enabled", "false")
	rmq.ResetLogger()
	deadline := time.Now().Add(time.Duration(timeoutMs) * time.Millisecond)

	consumer, err := rmq.NewSimpleConsumer(&rmq.Config{
		Endpoint:      endpoint,
		ConsumerGroup: group,
		Credentials:   &credentials.SessionCredentials{},
	},
		rmq.WithAwaitDuration(5*time.Second),
		rmq.WithSubscriptionExpressions(map[string]*rmq.FilterExpression{topic: rmq.SUB_ALL}),
	)
	if err != nil {
		fail("consumer", err)
	}
	if err = consumer.Start(); err != nil {
		fail("consumer start", err)
	}
	defer consumer.GracefulStop()

	producer, err := rmq.NewProducer(&rmq.Config{Endpoint: endpoint, Credentials: &credentials.SessionCredentials{}},
		rmq.WithTopics(topic))
	if err != nil {
		fail("producer", err)
	}
	if err = producer.Start(); err != nil {
		fail("producer start", err)
	}
	defer producer.GracefulStop()
	for i := 0; i < count; i++ {
		msg := &rmq.Message{Topic: topic, Body: []byte("go-" + strconv.Itoa(i))}
		msg.SetTag("go")
		msg.SetKeys("k-" + strconv.Itoa(i))
		receipts, err := producer.Send(context.TODO(), msg)
		if err != nil {
			fail("send", err)
		}
		emit(map[string]any{"event": "sent", "messageId": receipts[0].MessageID})
	}

	received := 0
	for received < count && time.Now().Before(deadline) {
		views, err := consumer.Receive(context.TODO(), 16, 20*time.Second)
		if err != nil {
			// MESSAGE_NOT_FOUND after the long polling: nothing yet.
			continue
		}
		for _, view := range views {
			received++
			tag := ""
			if view.GetTag() != nil {
				tag = *view.GetTag()
			}
			emit(map[string]any{"event": "received", "messageId": view.GetMessageId(), "body": string(view.GetBody()),
				"tag": tag, "keys": view.GetKeys(), "attempt": view.GetDeliveryAttempt()})
			if err := consumer.Ack(context.TODO(), view); err != nil {
				fail("ack", err)
			}
			emit(map[string]any{"event": "acked", "messageId": view.GetMessageId()})
		}
	}
}
