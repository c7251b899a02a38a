package cleanrocketmq.compat;

import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * The pop consumption load of `npm run bench:peer` (workloads W10-pop*): N official push consumers 5.5.0 of
 * one group in POP mode (clientRebalance=false; the bench sets the group to POP on the broker first), each its
 * own client instance, popping batches of B. With -u P, P % of the messages (by msgId hash) are answered
 * RECONSUME_LATER every time they come, so they are never acked and keep going through the broker's revive path.
 *
 *   PopBench -n <namesrv> -t <topic> -g <group> [-c consumers (4)] [-b popBatchNums (32)]
 *            [-u unackedPercent (0)] [-i popInvisibleTimeMs (60000)] [-ri reportIntervalMs (1000)]
 *
 * Prints, like the official benchmark Consumer, one line per interval:
 *   Current Time: <ms> | Consume TPS: n | AVG(B2C) RT(ms): x | MAX(B2C) RT(ms): n | Reconsume Later TPS: n
 *     | Consumed Total: n
 * (Consume TPS counts deliveries answered CONSUME_SUCCESS, i.e. acked.) Runs until killed.
 */
public final class PopBench {

    private PopBench() {
    }

    public static void main(String[] args) throws Exception {
        // Report lines on the real stdout; the client's own chatter goes to stderr (ProbeSupport.init).
        PrintStream out = System.out;
        ProbeSupport.init();
        String namesrv = option(args, "-n", null);
        String topic = option(args, "-t", null);
        String group = option(args, "-g", null);
        if (namesrv == null || topic == null || group == null) {
            System.err.println("usage: PopBench -n <namesrv> -t <topic> -g <group> [-c N] [-b N] [-u PCT] [-i MS] [-ri MS]");
            System.exit(64);
        }
        int consumers = Integer.parseInt(option(args, "-c", "4"));
        int batch = Integer.parseInt(option(args, "-b", "32"));
        int unackedPercent = Integer.parseInt(option(args, "-u", "0"));
        int invisibleMs = Integer.parseInt(option(args, "-i", "60000"));
        long reportMs = Long.parseLong(option(args, "-ri", "1000"));
        System.setProperty("rocketmq.client.rebalance.waitInterval", "1000");

        LongAdder acked = new LongAdder();
        LongAdder later = new LongAdder();
        LongAdder b2cTotalMs = new LongAdder();
        AtomicLong b2cMaxMs = new AtomicLong();
        List<DefaultMQPushConsumer> started = new ArrayList<>();
        MessageListenerConcurrently listener = (msgs, context) -> {
            long now = System.currentTimeMillis();
            boolean reconsume = false;
            for (MessageExt m : msgs) {
                if (unackedPercent > 0 && Math.floorMod(m.getMsgId().hashCode(), 100) < unackedPercent) {
                    reconsume = true;
                }
                long b2c = now - m.getBornTimestamp();
                b2cTotalMs.add(b2c);
                b2cMaxMs.accumulateAndGet(b2c, Math::max);
            }
            if (reconsume) {
                later.add(msgs.size());
                return ConsumeConcurrentlyStatus.RECONSUME_LATER;
            }
            acked.add(msgs.size());
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        };
        for (int c = 0; c < consumers; c++) {
            String instance = "pop-bench-" + ProcessHandle.current().pid() + "-" + c;
            started.add(startWithRetries(() -> {
                DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
                consumer.setNamesrvAddr(namesrv);
                consumer.setInstanceName(instance);
                consumer.setVipChannelEnabled(false);
                consumer.setPollNameServerInterval(1000);
                consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
                consumer.setClientRebalance(false);
                consumer.setPopBatchNums(batch);
                consumer.setPopInvisibleTime(invisibleMs);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(listener);
                return consumer;
            }));
        }
        report(out, acked, later, b2cTotalMs, b2cMaxMs, reportMs);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(DefaultMQPushConsumer::shutdown)));
    }

    private static void report(PrintStream out, LongAdder acked, LongAdder later, LongAdder b2cTotalMs, AtomicLong b2cMaxMs,
        long reportMs) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long[] previous = {0, 0, 0};
        timer.scheduleAtFixedRate(() -> {
            long ackedNow = acked.sum();
            long laterNow = later.sum();
            long b2cNow = b2cTotalMs.sum();
            long deliveries = ackedNow + laterNow - previous[0] - previous[1];
            double avgB2c = deliveries == 0 ? 0 : (double) (b2cNow - previous[2]) / deliveries;
            double perSecond = 1000.0 / reportMs;
            out.printf("Current Time: %s | Consume TPS: %d | AVG(B2C) RT(ms): %.3f | MAX(B2C) RT(ms): %d"
                    + " | Reconsume Later TPS: %d | Consumed Total: %d%n",
                new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS").format(new Date()),
                Math.round((ackedNow - previous[0]) * perSecond), avgB2c, b2cMaxMs.getAndSet(0),
                Math.round((laterNow - previous[1]) * perSecond), ackedNow);
            previous[0] = ackedNow;
            previous[1] = laterNow;
            previous[2] = b2cNow;
            out.flush();
        }, reportMs, reportMs, TimeUnit.MILLISECONDS);
    }

    /** What makes one configured consumer (a new one per start attempt: a shut-down consumer cannot restart). */
    private interface ConsumerFactory {
        DefaultMQPushConsumer create() throws Exception;
    }

    /** A start that fails (a broker slow to answer on a busy machine) is tried again, up to 10 times. */
    private static DefaultMQPushConsumer startWithRetries(ConsumerFactory factory) throws Exception {
        for (int attempt = 1; ; attempt++) {
            DefaultMQPushConsumer consumer = factory.create();
            try {
                consumer.start();
                return consumer;
            } catch (Exception e) {
                consumer.shutdown();
                if (attempt >= 10) {
                    throw e;
                }
                System.err.println("PopBench: consumer start failed, retrying: " + e);
                TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
