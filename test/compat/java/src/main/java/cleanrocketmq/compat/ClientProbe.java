/*
 * ClientProbe: drives the OFFICIAL Apache RocketMQ 5.5.0 Remoting client (DefaultMQProducer,
 * DefaultMQPushConsumer, DefaultMQAdminExt query/view) against a name server + broker, printing
 * JSON lines for the broker compatibility tests.
 *
 * Build (same project/classpath as AdminProbe; nothing extra needed):
 *   scripts/compat-java.sh build
 * Run (from the repo root; scripts/compat-java.sh `run` is hard-wired to AdminProbe):
 *   java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
 *     -cp 'test/compat/java/target/classes:test/compat/java/target/dependency/*' \
 *     cleanrocketmq.compat.ClientProbe <command> <namesrvAddr> <args...>
 * (`<namesrvAddr> <command> <args...>` is accepted too, like AdminProbe.)
 *
 * Commands:
 *   produce <namesrv> <topic> <count> <sync|async|oneway|batch>
 *       [--group G (default compat_producer)] [--tag T] [--keys K ("{i}" is replaced by the index)]
 *       [--delay-level N] [--delay-ms MS (5.x timer message, Message.setDelayTimeMs)]
 *       [--body-size B] [--orderly-key-count K] [--start-index S (default 0)]
 *       [--send-timeout-ms MS (default 3000)] [--retries R (sync/async retries, client default 2)]
 *       [--compress-over BYTES (client default 4096)] [--instance NAME]
 *       [--batch-size N (batch mode, default 16)] [--retry-until-ms MS] [--quiet] [--progress-ms MS (default 1000)]
 *     Body of message i is "msg-<i>" padded with 'x' up to B bytes (never truncated).
 *     --orderly-key-count K: order key "key-<i % K>", MessageQueueSelector picks
 *     queues.get(floorMod(orderKey.hashCode(), queues.size())) (not with batch).
 *     batch: producer.send(Collection) in batches of --batch-size (the client rejects delay levels in batches).
 *     --retry-until-ms MS (sync and batch only): a send that throws (e.g. while the broker restarts) is tried
 *     again every 100 ms, with the same messages (same msgIds), until it succeeds or MS have passed since its
 *     first failure; the done line then carries "sendRetries" (how many tries failed).
 *     One line per message:
 *       {"i":0,"status":"SEND_OK","msgId":..,"offsetMsgId":..,"queueId":..,"queueOffset":..,"brokerName":..}
 *       (+ "orderKey" when orderly, + "batch" index for batch; oneway: {"i":0,"sent":true})
 *     then {"done":true,"sent":n,"elapsedMs":t}.
 *     --quiet: no per-message lines; instead {"progress":true,"sent":n,"atMs":t} every --progress-ms,
 *     then the done line.
 *
 *   consume <namesrv> <group> <topic> <expression> <expectedCount> <timeoutMs>
 *       [--broadcast] [--orderly] [--reconsume-later N] [--retry-delay-level L]
 *       [--from first|last (default first)] [--max-reconsume-times M] [--sql (expression is SQL92)]
 *       [--linger-ms MS (keep consuming/printing this long after expectedCount was reached)]
 *       [--poll-namesrv-ms MS (route refresh, client default 30000)]
 *       [--rebalance-ms MS (periodic rebalance, client default 20000; sets -Drocketmq.client.rebalance.waitInterval)]
 *       [--suspend-ms MS (orderly, default 1000)]
 *       [--instance NAME (default compat-consumer-<pid>)]
 *       [--report-queues] [--stop-on-stdin] [--quiet] [--progress-ms MS (default 1000)]
 *       [--consume-delay-ms MS (the listener sleeps MS per delivery batch, before answering; default 0)]
 *     One line per delivery:
 *       {"msgId","offsetMsgId","topic","tags","keys","body","bodyLength","queueId","queueOffset",
 *        "commitLogOffset","reconsumeTimes","bornTimestamp","storeTimestamp","brokerName","bornHost",
 *        "storeHost","properties":{..},"receivedAtMs","consumer","delivery":k (k-th delivery of this
 *        msgId to this process),"result":"CONSUME_SUCCESS"|"RECONSUME_LATER"|"SUSPEND_CURRENT_QUEUE_A_MOMENT"}
 *     --reconsume-later N answers RECONSUME_LATER (orderly: SUSPEND_CURRENT_QUEUE_A_MOMENT) to the first
 *     N deliveries of each msgId (msgId = client unique key, stable across retries); with
 *     --retry-delay-level L the client asks the broker for delay level L for the retry (default:
 *     broker decides, 3 + reconsumeTimes, i.e. 10 s for the first retry).
 *     Stops once expectedCount distinct msgIds were consumed successfully (plus --linger-ms), then
 *     shuts the consumer down (offsets are persisted) and prints
 *       {"done":true,"received":<delivery lines>,"distinct":<distinct msgIds>,"succeeded":<distinct acked>,"elapsedMs":t}
 *     On timeout: {"error":"timeout","received":n,"distinct":d,"succeeded":s,"expected":e}, exit 2.
 *     expectedCount 0: consume for the whole timeoutMs, then "done" (exit 0).
 *     --report-queues (clustering): the client's default allocation (averagely), plus a line
 *       {"assigned":[queueIds, sorted],"topic","consumers":<clients in the group>,"consumer","atMs"}
 *     whenever the queues of <topic> allocated to this consumer change (the client re-allocates on every
 *     rebalance; the first line comes with the first rebalance).
 *     --stop-on-stdin: also stop (done line with "stopped":"stdin", exit 0, whatever the count) once stdin
 *     has a line "stop" or is closed; the consumer shuts down as usual (offsets persisted, client unregistered).
 *     --quiet: no delivery lines; instead {"progress":true,"received","distinct","succeeded","atMs"} every
 *     --progress-ms, and the done (or timeout) line adds "indexRanges": [[from,to],...] (inclusive,
 *     ascending), the indices i of the successfully consumed bodies "msg-<i>..." (for runs of 100k messages).
 *     Broadcasting + RECONSUME_LATER: the client drops the message (no retry in broadcast mode).
 *     Timing: a fresh group's %RETRY%<group> topic (and a topic created after the consumer started)
 *     is only picked up by the next route poll (30 s) + rebalance (20 s); retries/new topics are seen
 *     ~40 s late with client defaults. Pass --poll-namesrv-ms 1000 --rebalance-ms 1000 in tests.
 *
 *   queryByKey <namesrv> <topic> <key> [--max N (default 64)] [--wait-ms W (retry until found, default 0)]
 *       [--begin-ms B (default 0)] [--end-ms E (default now + 1 h)]
 *     DefaultMQAdminExt.queryMessage (QUERY_MESSAGE to every broker of the topic, client keeps exact key
 *     matches). One line per message (same fields as consume minus receivedAtMs/consumer/delivery/result),
 *     then {"done":true,"found":n}.
 *
 *   viewById <namesrv> <topic> <msgId> [--by auto|offset|uniq (default auto)] [--wait-ms W]
 *     offset: DefaultMQAdminExt.viewMessage(topic, offsetMsgId) (VIEW_MESSAGE_BY_ID to the address
 *     encoded in the id). uniq: DefaultMQAdminExt.queryMessageByUniqKey (QUERY_MESSAGE, uniqKey flag).
 *     auto: offset only when the id decodes to the address of a broker in the topic route (so a
 *     unique key is never decoded into a bogus address and dialled), else uniq.
 *     Lines as for queryByKey, then {"done":true,"found":n,"by":"offset"|"uniq"}.
 *
 * stdout carries JSON lines only (System.out is redirected to stderr; RocketMQ logging goes to stderr
 * at WARN via rmq.compat.logback.xml). Exit: 0 ok, 2 RocketMQ failure
 * ({"error":..,"responseCode":n when known}), 64 usage ({"error":"usage: ..."}).
 * System properties: compat.timeoutMillis (admin calls, default 3000), compat.shutdownWaitMillis
 * (bound on client shutdown: consumer default 3000 -- offsets are persisted first --, producer 500).
 * Broadcasting consumers keep their offsets under <java.io.tmpdir>/clean-rocketmq-compat-offsets
 * (rocketmq.client.localOffsetStoreDir) instead of ~/.rocketmq_offsets.
 * "elapsedMs" in the done lines runs from client start to the last send / the stop condition
 * (client shutdown excluded).
 */
package cleanrocketmq.compat;

import static cleanrocketmq.compat.ProbeSupport.emit;
import static cleanrocketmq.compat.ProbeSupport.obj;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.MessageSelector;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageId;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

public final class ClientProbe {

    static final String USAGE = "usage: ClientProbe produce <namesrv> <topic> <count> <sync|async|oneway|batch> [opts]"
        + " | consume <namesrv> <group> <topic> <expression> <expectedCount> <timeoutMs> [opts]"
        + " | queryByKey <namesrv> <topic> <key> [opts] | viewById <namesrv> <topic> <msgId> [opts]"
        + " (see the comment at the top of ClientProbe.java)";

    private static final Set<String> COMMANDS = Set.of("produce", "consume", "queryByKey", "viewById");
    private static final int BATCH_SIZE = 16;
    private static final long RETRY_INTERVAL_MS = 100;

    private ClientProbe() {
    }

    public static void main(String[] args) {
        ProbeSupport.init();
        int code;
        try {
            code = run(args);
        } catch (ProbeArgs.UsageException e) {
            emit(obj("error", "usage: " + e.getMessage(), "usage", USAGE));
            code = ProbeSupport.EXIT_USAGE;
        } catch (Throwable t) {
            emit(ProbeSupport.errorObj(t));
            code = ProbeSupport.EXIT_ROCKETMQ;
        }
        // Netty / scheduler threads may linger; exit explicitly.
        System.exit(code);
    }

    private static int run(String[] args) throws Exception {
        if (args.length < 2) {
            throw new ProbeArgs.UsageException("need <command> <namesrvAddr> ...");
        }
        String command;
        String namesrv;
        if (COMMANDS.contains(args[0])) {
            command = args[0];
            namesrv = args[1];
        } else if (COMMANDS.contains(args[1])) {
            namesrv = args[0];
            command = args[1];
        } else {
            throw new ProbeArgs.UsageException("unknown command");
        }
        switch (command) {
            case "produce":
                return produce(namesrv, new ProbeArgs(args, 2,
                    Set.of("--group", "--tag", "--keys", "--delay-level", "--delay-ms", "--body-size",
                        "--orderly-key-count", "--start-index", "--send-timeout-ms", "--retries",
                        "--compress-over", "--instance", "--batch-size", "--retry-until-ms", "--progress-ms"),
                    Set.of("--quiet")));
            case "consume":
                return consume(namesrv, new ProbeArgs(args, 2,
                    Set.of("--reconsume-later", "--retry-delay-level", "--from", "--max-reconsume-times",
                        "--linger-ms", "--poll-namesrv-ms", "--rebalance-ms", "--suspend-ms", "--instance",
                        "--progress-ms", "--consume-delay-ms"),
                    Set.of("--broadcast", "--orderly", "--sql", "--quiet", "--report-queues", "--stop-on-stdin")));
            case "queryByKey":
                return queryByKey(namesrv, new ProbeArgs(args, 2,
                    Set.of("--max", "--wait-ms", "--begin-ms", "--end-ms"), Set.of()));
            default:
                return viewById(namesrv, new ProbeArgs(args, 2, Set.of("--by", "--wait-ms", "--max"), Set.of()));
        }
    }

    private static String defaultInstance(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
    }

    private static long shutdownWait() {
        return Long.getLong("compat.shutdownWaitMillis", 3000L);
    }

    // ================================================================ produce

    private static int produce(String namesrv, ProbeArgs a) throws Exception {
        if (a.positional.size() != 3) {
            throw new ProbeArgs.UsageException("produce <namesrv> <topic> <count> <sync|async|oneway|batch>");
        }
        String topic = a.positional.get(0);
        int count = ProbeArgs.parseInt("count", a.positional.get(1));
        String mode = a.positional.get(2);
        if (!Set.of("sync", "async", "oneway", "batch").contains(mode) || count < 0) {
            throw new ProbeArgs.UsageException("mode must be sync|async|oneway|batch, count >= 0");
        }
        String tag = a.str("--tag", null);
        String keys = a.str("--keys", null);
        int delayLevel = a.integer("--delay-level", 0);
        long delayMs = a.longValue("--delay-ms", 0);
        int bodySize = a.integer("--body-size", 0);
        int orderlyKeys = a.integer("--orderly-key-count", 0);
        int start = a.integer("--start-index", 0);
        int sendTimeout = a.integer("--send-timeout-ms", 3000);
        int batchSize = a.integer("--batch-size", BATCH_SIZE);
        long retryUntilMs = a.longValue("--retry-until-ms", 0);
        if (orderlyKeys < 0 || (orderlyKeys > 0 && mode.equals("batch"))) {
            throw new ProbeArgs.UsageException("--orderly-key-count must be > 0 and is not supported with batch");
        }
        if (batchSize <= 0 || retryUntilMs < 0 || (retryUntilMs > 0 && !Set.of("sync", "batch").contains(mode))) {
            throw new ProbeArgs.UsageException("--batch-size must be > 0; --retry-until-ms only with sync or batch");
        }
        Output out = new Output(a.flag("--quiet"));

        DefaultMQProducer producer = new DefaultMQProducer(a.str("--group", "compat_producer"));
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName(a.str("--instance", defaultInstance("compat-producer")));
        producer.setVipChannelEnabled(false);
        producer.setSendMsgTimeout(sendTimeout);
        if (a.str("--retries", null) != null) {
            producer.setRetryTimesWhenSendFailed(a.integer("--retries", 2));
            producer.setRetryTimesWhenSendAsyncFailed(a.integer("--retries", 2));
        }
        if (a.str("--compress-over", null) != null) {
            producer.setCompressMsgBodyOverHowmuch(a.integer("--compress-over", 4096));
        }
        MessageQueueSelector selector = (mqs, msg, arg) -> mqs.get(Math.floorMod(arg.hashCode(), mqs.size()));
        AtomicInteger retries = new AtomicInteger();
        Retrying retrying = new Retrying(retryUntilMs, retries);

        long t0 = System.currentTimeMillis();
        producer.start();
        ScheduledExecutorService progress = out.quiet
            ? startProgress(a.longValue("--progress-ms", 1000), () -> obj("progress", true, "sent", out.count.get()))
            : null;
        boolean failed = false;
        long elapsed;
        try {
            List<Message> msgs = new ArrayList<>(count);
            for (int n = 0; n < count; n++) {
                int i = start + n;
                Message m = new Message(topic, tag, keys == null ? null : keys.replace("{i}", String.valueOf(i)),
                    body(i, bodySize));
                if (delayLevel > 0) {
                    m.setDelayTimeLevel(delayLevel);
                }
                if (delayMs > 0) {
                    m.setDelayTimeMs(delayMs);
                }
                msgs.add(m);
            }
            switch (mode) {
                case "sync":
                    for (int n = 0; n < count; n++) {
                        int i = start + n;
                        Message m = msgs.get(n);
                        String orderKey = orderlyKeys > 0 ? "key-" + (i % orderlyKeys) : null;
                        SendResult r = retrying.call(() -> orderKey != null ? producer.send(m, selector, orderKey)
                            : producer.send(m));
                        out.emit(() -> sendResultObj(i, r, orderKey));
                    }
                    break;
                case "async":
                    failed = produceAsync(producer, msgs, start, orderlyKeys, selector, sendTimeout, out);
                    break;
                case "oneway":
                    for (int n = 0; n < count; n++) {
                        int i = start + n;
                        String orderKey = orderlyKeys > 0 ? "key-" + (i % orderlyKeys) : null;
                        if (orderKey != null) {
                            producer.sendOneway(msgs.get(n), selector, orderKey);
                        } else {
                            producer.sendOneway(msgs.get(n));
                        }
                        out.emit(() -> {
                            Map<String, Object> line = obj("i", i, "sent", true);
                            if (orderKey != null) {
                                line.put("orderKey", orderKey);
                            }
                            return line;
                        });
                    }
                    // Let the Netty writes of the one-way requests leave before we close the channels.
                    Thread.sleep(200);
                    break;
                default:
                    produceBatches(producer, msgs, start, batchSize, retrying, out);
                    break;
            }
            elapsed = System.currentTimeMillis() - t0;
        } finally {
            if (progress != null) {
                progress.shutdownNow();
            }
            // Nothing to persist for a producer: do not wait for the ~3 s Netty executor linger.
            ProbeSupport.shutdownBounded(producer::shutdown, Long.getLong("compat.shutdownWaitMillis", 500L));
        }
        if (failed) {
            return ProbeSupport.EXIT_ROCKETMQ;
        }
        Map<String, Object> done = obj("done", true, "sent", count, "elapsedMs", elapsed);
        if (retryUntilMs > 0) {
            done.put("sendRetries", retries.get());
        }
        emit(done);
        return ProbeSupport.EXIT_OK;
    }

    /** batch: producer.send(Collection) per batchSize messages; one line per message. */
    private static void produceBatches(DefaultMQProducer producer, List<Message> msgs, int start, int batchSize,
        Retrying retrying, Output out) throws Exception {
        int count = msgs.size();
        for (int b = 0; b * batchSize < count; b++) {
            List<Message> batch = msgs.subList(b * batchSize, Math.min(count, (b + 1) * batchSize));
            SendResult r = retrying.call(() -> producer.send(batch));
            String[] offsetIds = r.getOffsetMsgId() == null ? new String[0] : r.getOffsetMsgId().split(",");
            for (int j = 0; j < batch.size(); j++) {
                final int bi = b;
                final int j0 = j;
                out.emit(() -> obj(
                    "i", start + bi * batchSize + j0,
                    "status", String.valueOf(r.getSendStatus()),
                    "msgId", MessageClientIDSetter.getUniqID(batch.get(j0)),
                    "offsetMsgId", offsetIds.length == batch.size() ? offsetIds[j0] : r.getOffsetMsgId(),
                    "queueId", r.getMessageQueue() == null ? null : r.getMessageQueue().getQueueId(),
                    "queueOffset", r.getQueueOffset() + j0,
                    "brokerName", r.getMessageQueue() == null ? null : r.getMessageQueue().getBrokerName(),
                    "batch", bi));
            }
        }
    }

    private static boolean produceAsync(DefaultMQProducer producer, List<Message> msgs, int start, int orderlyKeys,
        MessageQueueSelector selector, int sendTimeout, Output out) throws Exception {
        CountDownLatch latch = new CountDownLatch(msgs.size());
        AtomicBoolean failed = new AtomicBoolean();
        for (int n = 0; n < msgs.size(); n++) {
            final int i = start + n;
            final String orderKey = orderlyKeys > 0 ? "key-" + (i % orderlyKeys) : null;
            SendCallback cb = new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    out.emit(() -> sendResultObj(i, r, orderKey));
                    latch.countDown();
                }

                @Override
                public void onException(Throwable e) {
                    Map<String, Object> line = obj("i", i);
                    line.putAll(ProbeSupport.errorObj(e));
                    emit(line);
                    failed.set(true);
                    latch.countDown();
                }
            };
            if (orderKey != null) {
                producer.send(msgs.get(n), selector, orderKey, cb);
            } else {
                producer.send(msgs.get(n), cb);
            }
        }
        long waitMs = (long) sendTimeout * 4 + 5000;
        if (!latch.await(waitMs, TimeUnit.MILLISECONDS)) {
            emit(obj("error", "timeout waiting for async send callbacks", "pending", latch.getCount()));
            return true;
        }
        return failed.get();
    }

    /** Per-message lines, or (--quiet) only a count of them for the progress lines. */
    private static final class Output {
        final boolean quiet;
        final AtomicInteger count = new AtomicInteger();

        Output(boolean quiet) {
            this.quiet = quiet;
        }

        void emit(Supplier<Map<String, Object>> line) {
            count.incrementAndGet();
            if (!quiet) {
                ProbeSupport.emit(line.get());
            }
        }
    }

    /** --retry-until-ms: a failed send is tried again every RETRY_INTERVAL_MS until it succeeds or time runs out. */
    private static final class Retrying {
        private final long retryUntilMs;
        private final AtomicInteger retries;

        Retrying(long retryUntilMs, AtomicInteger retries) {
            this.retryUntilMs = retryUntilMs;
            this.retries = retries;
        }

        SendResult call(Callable<SendResult> send) throws Exception {
            long deadline = -1;
            while (true) {
                try {
                    return send.call();
                } catch (MQClientException | MQBrokerException | RemotingException e) {
                    long now = System.currentTimeMillis();
                    if (deadline < 0) {
                        deadline = now + retryUntilMs;
                    }
                    if (now >= deadline) {
                        throw e;
                    }
                    retries.incrementAndGet();
                    Thread.sleep(RETRY_INTERVAL_MS);
                }
            }
        }
    }

    /** A daemon thread printing line() every intervalMs (--quiet progress lines). */
    private static ScheduledExecutorService startProgress(long intervalMs, Supplier<Map<String, Object>> line) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "compat-probe-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            Map<String, Object> progress = line.get();
            progress.put("atMs", System.currentTimeMillis());
            emit(progress);
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return timer;
    }

    private static byte[] body(int i, int size) {
        StringBuilder sb = new StringBuilder("msg-").append(i);
        while (sb.length() < size) {
            sb.append('x');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> sendResultObj(int i, SendResult r, String orderKey) {
        Map<String, Object> line = obj(
            "i", i,
            "status", String.valueOf(r.getSendStatus()),
            "msgId", r.getMsgId(),
            "offsetMsgId", r.getOffsetMsgId(),
            "queueId", r.getMessageQueue() == null ? null : r.getMessageQueue().getQueueId(),
            "queueOffset", r.getQueueOffset(),
            "brokerName", r.getMessageQueue() == null ? null : r.getMessageQueue().getBrokerName());
        if (orderKey != null) {
            line.put("orderKey", orderKey);
        }
        return line;
    }

    // ================================================================ consume

    private static int consume(String namesrv, ProbeArgs a) throws Exception {
        if (a.positional.size() != 5) {
            throw new ProbeArgs.UsageException(
                "consume <namesrv> <group> <topic> <expression> <expectedCount> <timeoutMs>");
        }
        String group = a.positional.get(0);
        String topic = a.positional.get(1);
        String expression = a.positional.get(2);
        int expected = ProbeArgs.parseInt("expectedCount", a.positional.get(3));
        long timeoutMs = ProbeArgs.parseLong("timeoutMs", a.positional.get(4));
        int reconsumeLater = a.integer("--reconsume-later", 0);
        int retryDelayLevel = a.integer("--retry-delay-level", 0);
        long lingerMs = a.longValue("--linger-ms", 0);
        String from = a.str("--from", "first");
        if (!from.equals("first") && !from.equals("last")) {
            throw new ProbeArgs.UsageException("--from first|last");
        }
        if (expected < 0 || timeoutMs <= 0) {
            throw new ProbeArgs.UsageException("expectedCount >= 0 and timeoutMs > 0");
        }
        boolean orderly = a.flag("--orderly");
        boolean quiet = a.flag("--quiet");
        String instance = a.str("--instance", "compat-consumer-" + ProcessHandle.current().pid());

        DefaultMQPushConsumer consumer = newPushConsumer(namesrv, a, group, topic, expression, instance);
        long suspendMs = a.longValue("--suspend-ms", 1000);
        long consumeDelayMs = a.longValue("--consume-delay-ms", 0);

        ConcurrentHashMap<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Set<String> succeeded = ConcurrentHashMap.newKeySet();
        BitSet indices = new BitSet();
        AtomicInteger received = new AtomicInteger();
        CountDownLatch reached = new CountDownLatch(1);

        // Returns true when this delivery batch must be answered "later".
        java.util.function.Function<List<MessageExt>, Boolean> handle = msgs -> {
            if (consumeDelayMs > 0) {
                try {
                    Thread.sleep(consumeDelayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long now = System.currentTimeMillis();
            boolean later = false;
            int[] nth = new int[msgs.size()];
            for (int k = 0; k < msgs.size(); k++) {
                nth[k] = deliveries.computeIfAbsent(msgs.get(k).getMsgId(), x -> new AtomicInteger()).incrementAndGet();
                if (nth[k] <= reconsumeLater) {
                    later = true;
                }
            }
            String result = !later ? "CONSUME_SUCCESS" : orderly ? "SUSPEND_CURRENT_QUEUE_A_MOMENT" : "RECONSUME_LATER";
            for (int k = 0; k < msgs.size(); k++) {
                received.incrementAndGet();
                if (quiet) {
                    continue;
                }
                Map<String, Object> line = messageObj(msgs.get(k));
                line.put("receivedAtMs", now);
                line.put("consumer", instance);
                line.put("delivery", nth[k]);
                line.put("result", result);
                emit(line);
            }
            if (!later) {
                for (MessageExt m : msgs) {
                    succeeded.add(m.getMsgId());
                    if (quiet) {
                        recordIndex(indices, m.getBody());
                    }
                }
                if (expected > 0 && succeeded.size() >= expected) {
                    reached.countDown();
                }
            }
            return later;
        };

        if (orderly) {
            consumer.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
                if (handle.apply(msgs)) {
                    ctx.setSuspendCurrentQueueTimeMillis(suspendMs);
                    return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
                }
                return ConsumeOrderlyStatus.SUCCESS;
            });
        } else {
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                if (handle.apply(msgs)) {
                    if (retryDelayLevel != 0) {
                        ctx.setDelayLevelWhenNextConsume(retryDelayLevel);
                    }
                    return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
        }

        AtomicBoolean stoppedByStdin = new AtomicBoolean();
        if (a.flag("--stop-on-stdin")) {
            watchStdin(() -> {
                stoppedByStdin.set(true);
                reached.countDown();
            });
        }
        ScheduledExecutorService progress = quiet
            ? startProgress(a.longValue("--progress-ms", 1000), () -> obj("progress", true,
                "received", received.get(), "distinct", deliveries.size(), "succeeded", succeeded.size()))
            : null;
        long t0 = System.currentTimeMillis();
        boolean ok;
        long elapsed;
        try {
            consumer.start();
            ok = reached.await(timeoutMs, TimeUnit.MILLISECONDS);
            if (expected == 0 || stoppedByStdin.get()) {
                ok = true;
            } else if (ok && lingerMs > 0) {
                Thread.sleep(lingerMs);
            }
            elapsed = System.currentTimeMillis() - t0;
        } finally {
            if (progress != null) {
                progress.shutdownNow();
            }
            // shutdown() persists the consume offsets to the broker before closing the client.
            ProbeSupport.shutdownBounded(consumer::shutdown, shutdownWait());
        }
        Map<String, Object> last = ok
            ? obj("done", true, "received", received.get(), "distinct", deliveries.size(),
                "succeeded", succeeded.size(), "elapsedMs", elapsed)
            : obj("error", "timeout", "received", received.get(), "distinct", deliveries.size(),
                "succeeded", succeeded.size(), "expected", expected);
        if (stoppedByStdin.get()) {
            last.put("stopped", "stdin");
        }
        if (quiet) {
            synchronized (indices) {
                last.put("indexRanges", ranges(indices));
            }
        }
        emit(last);
        return ok ? ProbeSupport.EXIT_OK : ProbeSupport.EXIT_ROCKETMQ;
    }

    /** A push consumer configured from the consume options (not started, no listener yet). */
    private static DefaultMQPushConsumer newPushConsumer(String namesrv, ProbeArgs a, String group, String topic,
        String expression, String instance) throws Exception {
        if (a.str("--rebalance-ms", null) != null) {
            // Read once by RebalanceService's static initialiser: must be set before the client classes load.
            System.setProperty("rocketmq.client.rebalance.waitInterval",
                String.valueOf(a.longValue("--rebalance-ms", 20000)));
        }
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(namesrv);
        consumer.setInstanceName(instance);
        consumer.setVipChannelEnabled(false);
        if (a.flag("--sql")) {
            consumer.subscribe(topic, MessageSelector.bySql(expression));
        } else {
            consumer.subscribe(topic, expression);
        }
        consumer.setMessageModel(a.flag("--broadcast") ? MessageModel.BROADCASTING : MessageModel.CLUSTERING);
        boolean fromFirst = a.str("--from", "first").equals("first");
        consumer.setConsumeFromWhere(fromFirst ? ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET
            : ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
        if (a.str("--max-reconsume-times", null) != null) {
            consumer.setMaxReconsumeTimes(a.integer("--max-reconsume-times", -1));
        }
        if (a.str("--poll-namesrv-ms", null) != null) {
            consumer.setPollNameServerInterval(a.integer("--poll-namesrv-ms", 30000));
        }
        if (a.flag("--report-queues")) {
            consumer.setAllocateMessageQueueStrategy(new AssignmentReporter(topic, instance));
        }
        return consumer;
    }

    /** --stop-on-stdin: calls stop once stdin has a line "stop" or is closed. */
    private static void watchStdin(Runnable stop) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                    // wait for "stop" or end of input
                }
            } catch (IOException e) {
                // a broken stdin counts as closed
            }
            stop.run();
        }, "compat-probe-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** --quiet: remembers i of a body "msg-<i>..." (other bodies are not counted). */
    private static void recordIndex(BitSet indices, byte[] body) {
        if (body == null || body.length < 5 || body[0] != 'm' || body[1] != 's' || body[2] != 'g' || body[3] != '-') {
            return;
        }
        int i = 0;
        int p = 4;
        while (p < body.length && body[p] >= '0' && body[p] <= '9' && i < 100_000_000) {
            i = i * 10 + (body[p++] - '0');
        }
        if (p > 4) {
            synchronized (indices) {
                indices.set(i);
            }
        }
    }

    /** The set bits as inclusive [from, to] ranges. */
    private static List<List<Integer>> ranges(BitSet bits) {
        List<List<Integer>> out = new ArrayList<>();
        for (int from = bits.nextSetBit(0); from >= 0; ) {
            int end = bits.nextClearBit(from);
            out.add(List.of(from, end - 1));
            from = bits.nextSetBit(end);
        }
        return out;
    }

    static Map<String, Object> messageObj(MessageExt m) {
        byte[] body = m.getBody() == null ? new byte[0] : m.getBody();
        String offsetMsgId = m instanceof MessageClientExt ? ((MessageClientExt) m).getOffsetMsgId() : m.getMsgId();
        Map<String, String> props = m.getProperties();
        return obj(
            "msgId", m.getMsgId(),
            "offsetMsgId", offsetMsgId,
            "topic", m.getTopic(),
            "tags", m.getTags(),
            "keys", m.getKeys(),
            "body", new String(body, StandardCharsets.UTF_8),
            "bodyLength", body.length,
            "queueId", m.getQueueId(),
            "queueOffset", m.getQueueOffset(),
            "commitLogOffset", m.getCommitLogOffset(),
            "reconsumeTimes", m.getReconsumeTimes(),
            "bornTimestamp", m.getBornTimestamp(),
            "storeTimestamp", m.getStoreTimestamp(),
            "brokerName", m.getBrokerName(),
            "bornHost", hostString(m.getBornHost()),
            "storeHost", hostString(m.getStoreHost()),
            "properties", props == null ? new TreeMap<>() : new TreeMap<>(props));
    }

    private static String hostString(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            return (i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString()) + ":" + i.getPort();
        }
        return a == null ? null : a.toString();
    }

    // ================================================================ query / view

    private static DefaultMQAdminExt startAdmin(String namesrv) throws MQClientException {
        DefaultMQAdminExt admin = new DefaultMQAdminExt(Long.getLong("compat.timeoutMillis", 3000L));
        admin.setNamesrvAddr(namesrv);
        admin.setInstanceName(defaultInstance("compat-query"));
        admin.setVipChannelEnabled(false);
        admin.start();
        return admin;
    }

    private interface Lookup {
        List<MessageExt> get() throws Exception;
    }

    /** Retry a lookup that finds nothing (or fails with "no message") until waitMs has passed. */
    private static List<MessageExt> retrying(long waitMs, Lookup lookup) throws Exception {
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            try {
                List<MessageExt> found = lookup.get();
                if ((found != null && !found.isEmpty()) || System.currentTimeMillis() >= deadline) {
                    return found == null ? List.of() : found;
                }
            } catch (MQClientException e) {
                if (System.currentTimeMillis() >= deadline) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
    }

    private static int queryByKey(String namesrv, ProbeArgs a) throws Exception {
        if (a.positional.size() != 2) {
            throw new ProbeArgs.UsageException("queryByKey <namesrv> <topic> <key>");
        }
        String topic = a.positional.get(0);
        String key = a.positional.get(1);
        int max = a.integer("--max", 64);
        long begin = a.longValue("--begin-ms", 0);
        long end = a.longValue("--end-ms", System.currentTimeMillis() + 3_600_000L);
        DefaultMQAdminExt admin = startAdmin(namesrv);
        try {
            List<MessageExt> found = retrying(a.longValue("--wait-ms", 0), () -> {
                QueryResult qr = admin.queryMessage(topic, key, max, begin, end);
                return qr == null ? null : qr.getMessageList();
            });
            if (found.isEmpty()) {
                emit(obj("error", "no message found", "found", 0));
                return ProbeSupport.EXIT_ROCKETMQ;
            }
            for (MessageExt m : sorted(found)) {
                emit(messageObj(m));
            }
            emit(obj("done", true, "found", found.size()));
            return ProbeSupport.EXIT_OK;
        } finally {
            ProbeSupport.shutdownBounded(admin::shutdown, 500);
        }
    }

    private static int viewById(String namesrv, ProbeArgs a) throws Exception {
        if (a.positional.size() != 2) {
            throw new ProbeArgs.UsageException("viewById <namesrv> <topic> <msgId>");
        }
        String topic = a.positional.get(0);
        String msgId = a.positional.get(1);
        String by = a.str("--by", "auto");
        if (!Set.of("auto", "offset", "uniq").contains(by)) {
            throw new ProbeArgs.UsageException("--by auto|offset|uniq");
        }
        int max = a.integer("--max", 64);
        DefaultMQAdminExt admin = startAdmin(namesrv);
        try {
            if (by.equals("auto")) {
                by = "uniq";
                String addr = decodedAddr(msgId);
                if (addr != null) {
                    TopicRouteData route = admin.examineTopicRouteInfo(topic);
                    Set<String> brokerAddrs = new HashSet<>();
                    if (route != null && route.getBrokerDatas() != null) {
                        for (BrokerData bd : route.getBrokerDatas()) {
                            brokerAddrs.addAll(bd.getBrokerAddrs().values());
                        }
                    }
                    if (brokerAddrs.contains(addr)) {
                        by = "offset";
                    }
                }
            }
            final String mode = by;
            List<MessageExt> found = retrying(a.longValue("--wait-ms", 0), () -> {
                if (mode.equals("offset")) {
                    MessageExt m = admin.viewMessage(topic, msgId);
                    return m == null ? null : List.of(m);
                }
                QueryResult qr = admin.queryMessageByUniqKey(null, topic, msgId, max, 0, Long.MAX_VALUE);
                return qr == null ? null : qr.getMessageList();
            });
            if (found.isEmpty()) {
                emit(obj("error", "no message found", "found", 0, "by", mode));
                return ProbeSupport.EXIT_ROCKETMQ;
            }
            for (MessageExt m : sorted(found)) {
                emit(messageObj(m));
            }
            emit(obj("done", true, "found", found.size(), "by", mode));
            return ProbeSupport.EXIT_OK;
        } finally {
            ProbeSupport.shutdownBounded(admin::shutdown, 500);
        }
    }

    /** "ip:port" encoded in an offset msgId, or null when the id does not decode as one. */
    private static String decodedAddr(String msgId) {
        if (msgId == null || (msgId.length() != 32 && msgId.length() != 56)) {
            return null;
        }
        try {
            MessageId id = MessageDecoder.decodeMessageId(msgId);
            return hostString(id.getAddress());
        } catch (Exception e) {
            return null;
        }
    }

    private static List<MessageExt> sorted(List<MessageExt> msgs) {
        List<MessageExt> out = new ArrayList<>(msgs);
        out.sort((x, y) -> {
            int c = String.valueOf(x.getBrokerName()).compareTo(String.valueOf(y.getBrokerName()));
            if (c == 0) {
                c = Long.compare(x.getCommitLogOffset(), y.getCommitLogOffset());
            }
            return c;
        });
        return out;
    }
}
