package cleanrocketmq.compat;

import static cleanrocketmq.compat.ProbeSupport.emit;
import static cleanrocketmq.compat.ProbeSupport.obj;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageRequestMode;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The official Java push consumer 5.5.0 in POP mode (issue 17): with clientRebalance=false it asks the broker
 * for its queues (QUERY_ASSIGNMENT) and, for a group set to POP, consumes through POP_MESSAGE / ACK_MESSAGE /
 * CHANGE_MESSAGE_INVISIBLETIME.
 *
 *   setMode <namesrv> <brokerAddr> <topic> <group> <PULL|POP> <popShareQueueNum>
 *       DefaultMQAdminExt.setMessageRequestMode (SET_MESSAGE_REQUEST_MODE, what `mqadmin setConsumeMode` sends);
 *       prints {done}.
 *   consume <namesrv> <group> <topic> <expectedCount> <timeoutMs>
 *       [--invisible-ms MS (popInvisibleTime, client range 5000..300000, default 60000)]
 *       [--batch N (popBatchNums, default 32)] [--reconsume-later N] [--hold] [--consume-delay-ms MS]
 *       [--linger-ms MS] [--instance NAME] [--stop-on-stdin] [--quiet]
 *     A push consumer from the first offset. One line per delivery:
 *       {"msgId","body","topic","queueId","queueOffset","reconsumeTimes","popCk","receivedAtMs","consumer",
 *        "delivery":k (k-th delivery of this msgId to this process),"result"}
 *     --reconsume-later N answers RECONSUME_LATER to the first N deliveries of each msgId (the client then
 *     changes the message's invisible time by its pop delay levels: 10 s, 30 s, 60 s, ...).
 *     --hold: the listener prints the delivery and never returns (the messages stay popped, un-acked).
 *     --quiet: no delivery lines; the done line adds "msgIds" (the distinct ids consumed successfully).
 *     Once expectedCount distinct msgIds were consumed successfully (plus --linger-ms), or on a "stop" line on
 *     stdin (--stop-on-stdin), prints {"done":true,"received","distinct","succeeded","duplicates","elapsedMs"}
 *     (duplicates: successful deliveries of a msgId already consumed successfully). On timeout: {"error":
 *     "timeout",...}, exit 2. expectedCount 0: consume for the whole timeoutMs (or until stop).
 *   After the consumer started, prints {"started":true,"consumer"}.
 */
public final class PopProbe {

    private PopProbe() {
    }

    public static void main(String[] args) {
        ProbeSupport.init();
        int code;
        try {
            code = run(args);
        } catch (ProbeArgs.UsageException e) {
            emit(obj("error", "usage: " + e.getMessage()));
            code = ProbeSupport.EXIT_USAGE;
        } catch (Throwable t) {
            emit(ProbeSupport.errorObj(t));
            code = ProbeSupport.EXIT_ROCKETMQ;
        }
        System.exit(code);
    }

    private static int run(String[] args) throws Exception {
        if (args.length == 7 && args[0].equals("setMode")) {
            return setMode(args[1], args[2], args[3], args[4], MessageRequestMode.valueOf(args[5]),
                ProbeArgs.parseInt("popShareQueueNum", args[6]));
        }
        if (args.length >= 6 && args[0].equals("consume")) {
            ProbeArgs options = new ProbeArgs(args, 6,
                Set.of("--invisible-ms", "--batch", "--reconsume-later", "--consume-delay-ms", "--linger-ms",
                    "--instance"),
                Set.of("--hold", "--stop-on-stdin", "--quiet"));
            return consume(args[1], args[2], args[3], ProbeArgs.parseInt("expectedCount", args[4]),
                ProbeArgs.parseLong("timeoutMs", args[5]), options);
        }
        throw new ProbeArgs.UsageException("setMode <namesrv> <brokerAddr> <topic> <group> <PULL|POP> <shareNum>"
            + " | consume <namesrv> <group> <topic> <expectedCount> <timeoutMs> [opts]");
    }

    private static int setMode(String namesrv, String brokerAddr, String topic, String group,
        MessageRequestMode mode, int popShareQueueNum) throws Exception {
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(namesrv);
        admin.setInstanceName("compat-pop-admin-" + ProcessHandle.current().pid());
        admin.setVipChannelEnabled(false);
        admin.start();
        try {
            admin.setMessageRequestMode(brokerAddr, topic, group, mode, popShareQueueNum, 5000);
            emit(obj("done", true));
            return ProbeSupport.EXIT_OK;
        } finally {
            ProbeSupport.shutdownBounded(admin::shutdown, 1000);
        }
    }

    /** What the listener counts. */
    private static final class Counts {
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        final Set<String> succeeded = ConcurrentHashMap.newKeySet();
    }

    private static int consume(String namesrv, String group, String topic, int expected, long timeoutMs,
        ProbeArgs options) throws Exception {
        System.setProperty("rocketmq.client.rebalance.waitInterval", "1000");
        String instance = options.str("--instance", "compat-pop-consumer-" + ProcessHandle.current().pid());
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(namesrv);
        consumer.setInstanceName(instance);
        consumer.setVipChannelEnabled(false);
        consumer.setPollNameServerInterval(1000);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setClientRebalance(false);
        consumer.setPopInvisibleTime(options.integer("--invisible-ms", 60_000));
        consumer.setPopBatchNums(options.integer("--batch", 32));
        consumer.subscribe(topic, "*");
        Counts counts = new Counts();
        consumer.registerMessageListener(listener(counts, instance, options));
        long startedAt = System.currentTimeMillis();
        consumer.start();
        emit(obj("started", true, "consumer", instance));
        AtomicBoolean stop = new AtomicBoolean(false);
        if (options.flag("--stop-on-stdin")) {
            watchStdin(stop);
        }
        try {
            long deadline = startedAt + timeoutMs;
            while (!stop.get() && (expected == 0 || counts.succeeded.size() < expected)
                && System.currentTimeMillis() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            if (!stop.get() && expected > 0 && counts.succeeded.size() < expected) {
                emit(obj("error", "timeout", "received", counts.received.get(), "distinct",
                    counts.deliveries.size(), "succeeded", counts.succeeded.size(), "expected", expected));
                return ProbeSupport.EXIT_ROCKETMQ;
            }
            long elapsedMs = System.currentTimeMillis() - startedAt;
            TimeUnit.MILLISECONDS.sleep(options.longValue("--linger-ms", 0));
            Map<String, Object> done = obj("done", true, "received", counts.received.get(), "distinct",
                counts.deliveries.size(), "succeeded", counts.succeeded.size(), "duplicates",
                counts.duplicates.get(), "elapsedMs", elapsedMs);
            if (options.flag("--quiet")) {
                done.put("msgIds", new ArrayList<>(counts.succeeded));
            }
            emit(done);
            return ProbeSupport.EXIT_OK;
        } finally {
            ProbeSupport.shutdownBounded(consumer::shutdown, 3000);
        }
    }

    private static MessageListenerConcurrently listener(Counts counts, String instance, ProbeArgs options)
        throws ProbeArgs.UsageException {
        int reconsumeLater = options.integer("--reconsume-later", 0);
        long consumeDelayMs = options.longValue("--consume-delay-ms", 0);
        boolean hold = options.flag("--hold");
        boolean quiet = options.flag("--quiet");
        return (msgs, context) -> {
            ConsumeConcurrentlyStatus status = ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            for (MessageExt m : msgs) {
                String msgId = m.getMsgId();
                int delivery = counts.deliveries.computeIfAbsent(msgId, k -> new AtomicInteger()).incrementAndGet();
                counts.received.incrementAndGet();
                boolean later = delivery <= reconsumeLater;
                if (later) {
                    status = ConsumeConcurrentlyStatus.RECONSUME_LATER;
                } else if (!hold && !counts.succeeded.add(msgId)) {
                    counts.duplicates.incrementAndGet();
                }
                if (!quiet || hold) {
                    emit(obj("msgId", msgId, "body", new String(m.getBody(), StandardCharsets.UTF_8),
                        "topic", m.getTopic(), "queueId", m.getQueueId(), "queueOffset", m.getQueueOffset(),
                        "reconsumeTimes", m.getReconsumeTimes(), "popCk", m.getProperty(MessageConst.PROPERTY_POP_CK),
                        "receivedAtMs", System.currentTimeMillis(), "consumer", instance, "delivery", delivery,
                        "result", later ? "RECONSUME_LATER" : "CONSUME_SUCCESS"));
                }
            }
            sleepQuietly(hold ? Long.MAX_VALUE : consumeDelayMs);
            return status;
        };
    }

    private static void sleepQuietly(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void watchStdin(AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equals("stop")) {
                        break;
                    }
                }
            } catch (Exception ignored) {
                // closed stdin stops too
            }
            stop.set(true);
        }, "pop-probe-stdin");
        t.setDaemon(true);
        t.start();
    }
}
