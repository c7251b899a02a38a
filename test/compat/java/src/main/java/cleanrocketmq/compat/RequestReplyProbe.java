/*
 * RequestReplyProbe: request-reply with the OFFICIAL Apache RocketMQ 5.5.0 Remoting client, printing
 * JSON lines for test/compat/request-reply-java.test.ts. Same project and classpath as ClientProbe:
 *   java -cp 'test/compat/java/target/classes:test/compat/java/target/dependency/*' \
 *     cleanrocketmq.compat.RequestReplyProbe <command> <namesrvAddr> <args...>
 *
 * Commands:
 *   replier <namesrv> <group> <topic> <timeoutMs> [--instance NAME]
 *     A clustering DefaultMQPushConsumer (from the first offset, route poll and rebalance every 1 s) whose
 *     listener answers every message with MessageUtil.createReplyMessage(msg, "reply:" + body) sent by a
 *     DefaultMQProducer (SEND_REPLY_MESSAGE_V2). Prints {"ready":true} once started, then one line per
 *     message: {"replied":<request body>,"correlationId","replyTo","status":"SEND_OK"} or, when the send
 *     failed, {"replied":..,"error":..,"responseCode":n}. Stops on a stdin line "stop" (or stdin closed)
 *     or after timeoutMs, printing {"done":true,"replied":n}.
 *
 *   request <namesrv> <topic> <count> <sync|async> [--timeout-ms MS (default 15000)] [--group G]
 *     A DefaultMQProducer sending "req-<i>" with request(msg, timeout) (sync: one after the other) or
 *     request(msg, callback, timeout) (async: all at once). One line per reply:
 *       {"i":i,"reply":<reply body>,"topic":<reply topic>,"correlationId":..}
 *     or {"i":i,"error":..} for a request that failed; then {"done":true,"replies":n,"failed":f}.
 *
 * stdout carries JSON lines only (ProbeSupport). Exit: 0 ok, 2 RocketMQ failure, 64 usage.
 */
package cleanrocketmq.compat;

import static cleanrocketmq.compat.ProbeSupport.emit;
import static cleanrocketmq.compat.ProbeSupport.obj;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.RequestCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.utils.MessageUtil;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;

public final class RequestReplyProbe {

    static final String USAGE = "usage: RequestReplyProbe replier <namesrv> <group> <topic> <timeoutMs> [opts]"
        + " | request <namesrv> <topic> <count> <sync|async> [opts] (see the comment at the top of the file)";

    private RequestReplyProbe() {
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
        System.exit(code);
    }

    private static int run(String[] args) throws Exception {
        if (args.length < 2) {
            throw new ProbeArgs.UsageException("need <command> <namesrvAddr> ...");
        }
        String namesrv = args[1];
        switch (args[0]) {
            case "replier":
                return replier(namesrv, new ProbeArgs(args, 2, Set.of("--instance"), Set.of()));
            case "request":
                return request(namesrv, new ProbeArgs(args, 2, Set.of("--timeout-ms", "--group"), Set.of()));
            default:
                throw new ProbeArgs.UsageException("unknown command " + args[0]);
        }
    }

    private static String instance(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
    }

    // ================================================================ replier

    private static int replier(String namesrv, ProbeArgs a) throws Exception {
        if (a.positional.size() != 3) {
            throw new ProbeArgs.UsageException("replier <namesrv> <group> <topic> <timeoutMs>");
        }
        String group = a.positional.get(0);
        String topic = a.positional.get(1);
        long timeoutMs = ProbeArgs.parseLong("timeoutMs", a.positional.get(2));
        String name = a.str("--instance", instance("compat-replier"));
        System.setProperty("rocketmq.client.rebalance.waitInterval", "1000");

        DefaultMQProducer replyProducer = new DefaultMQProducer(group + "_reply");
        replyProducer.setNamesrvAddr(namesrv);
        replyProducer.setInstanceName(name);
        replyProducer.setVipChannelEnabled(false);
        replyProducer.setPollNameServerInterval(1000);
        replyProducer.start();

        AtomicInteger replied = new AtomicInteger();
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(namesrv);
        consumer.setInstanceName(name);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPollNameServerInterval(1000);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, context) -> {
            for (MessageExt msg : msgs) {
                replyTo(replyProducer, msg);
                replied.incrementAndGet();
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        emit(obj("ready", true));

        CountDownLatch stop = new CountDownLatch(1);
        Thread stdin = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                    // wait for "stop"
                }
            } catch (Exception ignored) {
                // stdin closed
            }
            stop.countDown();
        }, "compat-replier-stdin");
        stdin.setDaemon(true);
        stdin.start();
        stop.await(timeoutMs, TimeUnit.MILLISECONDS);
        emit(obj("done", true, "replied", replied.get()));
        ProbeSupport.shutdownBounded(consumer::shutdown, 1000);
        ProbeSupport.shutdownBounded(replyProducer::shutdown, 500);
        return ProbeSupport.EXIT_OK;
    }

    /** Answers one request message with MessageUtil.createReplyMessage and a plain send (code 325). */
    private static void replyTo(DefaultMQProducer replyProducer, MessageExt msg) {
        String body = new String(msg.getBody(), StandardCharsets.UTF_8);
        String correlationId = msg.getProperty(MessageConst.PROPERTY_CORRELATION_ID);
        String replyTo = msg.getProperty(MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT);
        Map<String, Object> line = obj("replied", body);
        line.put("correlationId", correlationId);
        line.put("replyTo", replyTo);
        try {
            Message reply = MessageUtil.createReplyMessage(msg, ("reply:" + body).getBytes(StandardCharsets.UTF_8));
            SendResult result = replyProducer.send(reply, 3000);
            line.put("status", result.getSendStatus().name());
        } catch (Exception e) {
            line.putAll(ProbeSupport.errorObj(e));
        }
        emit(line);
    }

    // ================================================================ request

    private static int request(String namesrv, ProbeArgs a) throws Exception {
        if (a.positional.size() != 3) {
            throw new ProbeArgs.UsageException("request <namesrv> <topic> <count> <sync|async>");
        }
        String topic = a.positional.get(0);
        int count = ProbeArgs.parseInt("count", a.positional.get(1));
        String mode = a.positional.get(2);
        if (!Set.of("sync", "async").contains(mode) || count < 0) {
            throw new ProbeArgs.UsageException("mode must be sync|async, count >= 0");
        }
        long timeoutMs = a.longValue("--timeout-ms", 15000);
        DefaultMQProducer producer = new DefaultMQProducer(a.str("--group", "compat_requester"));
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName(instance("compat-requester"));
        producer.setVipChannelEnabled(false);
        producer.start();
        AtomicInteger replies = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            if (mode.equals("sync")) {
                for (int i = 0; i < count; i++) {
                    try {
                        Message reply = producer.request(requestMessage(topic, i), timeoutMs);
                        emit(replyLine(i, reply));
                        replies.incrementAndGet();
                    } catch (Exception e) {
                        failedLine(i, e, failed);
                    }
                }
            } else {
                requestAsync(producer, topic, count, timeoutMs, replies, failed);
            }
        } finally {
            ProbeSupport.shutdownBounded(producer::shutdown, 500);
        }
        emit(obj("done", true, "replies", replies.get(), "failed", failed.get()));
        return failed.get() == 0 ? ProbeSupport.EXIT_OK : ProbeSupport.EXIT_ROCKETMQ;
    }

    private static void requestAsync(DefaultMQProducer producer, String topic, int count, long timeoutMs,
        AtomicInteger replies, AtomicInteger failed) throws Exception {
        CountDownLatch latch = new CountDownLatch(count);
        for (int n = 0; n < count; n++) {
            int i = n;
            AtomicBoolean settled = new AtomicBoolean();
            producer.request(requestMessage(topic, i), new RequestCallback() {
                @Override
                public void onSuccess(Message reply) {
                    // The 5.x client also calls onSuccess(null) once the request is sent: the reply comes later.
                    if (reply == null || !settled.compareAndSet(false, true)) {
                        return;
                    }
                    emit(replyLine(i, reply));
                    replies.incrementAndGet();
                    latch.countDown();
                }

                @Override
                public void onException(Throwable e) {
                    if (!settled.compareAndSet(false, true)) {
                        return;
                    }
                    failedLine(i, e, failed);
                    latch.countDown();
                }
            }, timeoutMs);
        }
        latch.await(timeoutMs + 5000, TimeUnit.MILLISECONDS);
    }

    private static Message requestMessage(String topic, int i) {
        return new Message(topic, "TagReq", ("req-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> replyLine(int i, Message reply) {
        Map<String, Object> line = obj("i", i, "reply", new String(reply.getBody(), StandardCharsets.UTF_8));
        line.put("topic", reply.getTopic());
        line.put("correlationId", reply.getProperty(MessageConst.PROPERTY_CORRELATION_ID));
        return line;
    }

    private static void failedLine(int i, Throwable e, AtomicInteger failed) {
        Map<String, Object> line = ProbeSupport.errorObj(e);
        line.put("i", i);
        emit(line);
        failed.incrementAndGet();
    }
}
