// SQL92 property filters with the official Go client (issue 16), for test/compat/client-go-sql92.test.ts:
//
//	sql-produce <namesrv> <topic> <count>
//	    sends "sql-<i>" with user properties a=<i> and color=red|blue (even|odd i), tag TagA|TagB;
//	    prints {"done":true,"sent":n}
//	sql-consume <namesrv> <group> <topic> <sql> <expectedCount> <timeoutMs> <lingerMs>
//	    a clustering push consumer with consumer.MessageSelector{Type: consumer.SQL92}, from the first
//	    offset; one line per delivery {"body","a","color","tags"}, then (after expectedCount distinct
//	    bodies or the timeout, plus lingerMs) {"done":true,"received":n}
package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

func sqlFilter(command, namesrv string, args []string) (int, error) {
	if command == "sql-produce" && len(args) == 2 {
		count, err := parseInt("count", args[1])
		if err != nil {
			return exitUsage, err
		}
		return sqlProduce(namesrv, args[0], count)
	}
	if command == "sql-consume" && len(args) == 6 {
		numbers := make([]int, 3)
		for k, name := range []string{"expectedCount", "timeoutMs", "lingerMs"} {
			n, err := parseInt(name, args[3+k])
			if err != nil {
				return exitUsage, err
			}
			numbers[k] = n
		}
		return sqlConsume(namesrv, args[0], args[1], args[2], numbers[0], numbers[1], numbers[2])
	}
	return exitUsage, usageError{"sql-produce <namesrv> <topic> <count> | " +
		"sql-consume <namesrv> <group> <topic> <sql> <expectedCount> <timeoutMs> <lingerMs>"}
}

func sqlProduce(namesrv, topic string, count int) (int, error) {
	p, err := rocketmq.NewProducer(
		producer.WithNsResolver(primitive.NewPassthroughResolver([]string{namesrv})),
		producer.WithGroupName("compat_go_sql_producer"),
		producer.WithInstanceName(defaultInstance("compat-go-sql-producer")),
	)
	if err != nil {
		return exitRocketMQ, err
	}
	if err := p.Start(); err != nil {
		return exitRocketMQ, err
	}
	defer shutdownBounded(func() { _ = p.Shutdown() }, 3*time.Second)
	for i := 0; i < count; i++ {
		tag, color := "TagA", "red"
		if i%2 == 1 {
			tag, color = "TagB", "blue"
		}
		msg := primitive.NewMessage(topic, []byte(fmt.Sprintf("sql-%d", i)))
		msg.WithTag(tag)
		msg.WithProperty("a", strconv.Itoa(i))
		msg.WithProperty("color", color)
		if _, err := p.SendSync(context.Background(), msg); err != nil {
			return exitRocketMQ, err
		}
	}
	emitFinal(map[string]interface{}{"done": true, "sent": count})
	return exitOK, nil
}

func sqlConsume(namesrv, group, topic, sql string, expected, timeoutMs, lingerMs int) (int, error) {
	c, err := rocketmq.NewPushConsumer(
		consumer.WithNsResolver(primitive.NewPassthroughResolver([]string{namesrv})),
		consumer.WithGroupName(group),
		consumer.WithInstance(defaultInstance("compat-go-sql-consumer")),
		consumer.WithConsumerModel(consumer.Clustering),
		consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset),
	)
	if err != nil {
		return exitRocketMQ, err
	}
	var mu sync.Mutex
	bodies := map[string]bool{}
	selector := consumer.MessageSelector{Type: consumer.SQL92, Expression: sql}
	err = c.Subscribe(topic, selector, func(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		for _, m := range msgs {
			mu.Lock()
			bodies[string(m.Body)] = true
			mu.Unlock()
			emit(map[string]interface{}{"body": string(m.Body), "a": m.GetProperty("a"),
				"color": m.GetProperty("color"), "tags": m.GetTags()})
		}
		return consumer.ConsumeSuccess, nil
	})
	if err != nil {
		return exitRocketMQ, err
	}
	if err := c.Start(); err != nil {
		return exitRocketMQ, err
	}
	received := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(bodies)
	}
	for deadline := time.Now().Add(time.Duration(timeoutMs) * time.Millisecond); received() < expected && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Duration(lingerMs) * time.Millisecond)
	shutdownBounded(func() { _ = c.Shutdown() }, 3*time.Second)
	emitFinal(map[string]interface{}{"done": true, "received": received()})
	return exitOK, nil
}
