package cleanrocketmq.compat;

import static cleanrocketmq.compat.ProbeSupport.emit;
import static cleanrocketmq.compat.ProbeSupport.obj;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.MessageSelector;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * SQL92 property filters with the official Java client (issue 16):
 *
 *   produce <namesrv> <topic> <count>
 *       sends messages "sql-i" with user properties a=i and color=red|blue (even|odd), tag TagA|TagB
 *   consume <namesrv> <group> <topic> <sql> <expectedCount> <timeoutMs> <lingerMs>
 *       a push consumer subscribed with MessageSelector.bySql(sql), from the first offset; prints one
 *       line per message {body, a, color, tags}, then {done, received}. A start the broker refuses
 *       prints {error, responseCode, errorMessage} and exits 2.
 */
public final class SqlFilterProbe {

    private SqlFilterProbe() {
    }

    public static void main(String[] args) {
        ProbeSupport.init();
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            emit(ProbeSupport.errorObj(t));
            code = ProbeSupport.EXIT_ROCKETMQ;
        }
        System.exit(code);
    }

    private static int run(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("produce")) {
            return produce(args[1], args[2], Integer.parseInt(args[3]));
        }
        if (args.length == 8 && args[0].equals("consume")) {
            return consume(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]),
                Long.parseLong(args[6]), Long.parseLong(args[7]));
        }
        emit(obj("error", "usage: produce <namesrv> <topic> <count> | consume <namesrv> <group> <topic> <sql> "
            + "<expectedCount> <timeoutMs> <lingerMs>"));
        return ProbeSupport.EXIT_USAGE;
    }

    private static int produce(String namesrv, String topic, int count) throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer("compat_sql_producer");
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName("compat-sql-producer-" + ProcessHandle.current().pid());
        producer.setVipChannelEnabled(false);
        producer.start();
        try {
            for (int i = 0; i < count; i++) {
                Message message = new Message(topic, i % 2 == 0 ? "TagA" : "TagB",
                    ("sql-" + i).getBytes(StandardCharsets.UTF_8));
                message.putUserProperty("a", String.valueOf(i));
                message.putUserProperty("color", i % 2 == 0 ? "red" : "blue");
                SendResult result = producer.send(message);
                emit(obj("sent", i, "status", result.getSendStatus().name()));
            }
            emit(obj("done", true, "sent", count));
            return ProbeSupport.EXIT_OK;
        } finally {
            ProbeSupport.shutdownBounded(producer::shutdown, 3000);
        }
    }

    private static int consume(String namesrv, String group, String topic, String sql, int expected,
        long timeoutMs, long lingerMs) throws Exception {
        System.setProperty("rocketmq.client.rebalance.waitInterval", "1000");
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(namesrv);
        consumer.setInstanceName("compat-sql-consumer-" + ProcessHandle.current().pid());
        consumer.setVipChannelEnabled(false);
        consumer.setPollNameServerInterval(1000);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, MessageSelector.bySql(sql));
        Set<String> bodies = ConcurrentHashMap.newKeySet();
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                String body = new String(m.getBody(), StandardCharsets.UTF_8);
                bodies.add(body);
                emit(obj("body", body, "a", m.getUserProperty("a"), "color", m.getUserProperty("color"),
                    "tags", m.getTags()));
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        // Throws MQClientException with the broker's CHECK_CLIENT_CONFIG answer for a refused expression.
        consumer.start();
        try {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (bodies.size() < expected && System.currentTimeMillis() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            TimeUnit.MILLISECONDS.sleep(lingerMs);
            emit(obj("done", true, "received", bodies.size()));
            return ProbeSupport.EXIT_OK;
        } finally {
            ProbeSupport.shutdownBounded(consumer::shutdown, 3000);
        }
    }
}
