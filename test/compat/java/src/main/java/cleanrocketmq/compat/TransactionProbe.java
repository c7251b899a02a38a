/*
 * TransactionProbe: drives the OFFICIAL Apache RocketMQ 5.5.0 TransactionMQProducer against a name
 * server + broker, printing JSON lines for the transaction compatibility tests.
 *
 * Run (same classpath as ClientProbe):
 *   java -cp 'test/compat/java/target/classes:test/compat/java/target/dependency/*' \
 *     cleanrocketmq.compat.TransactionProbe <command> <namesrvAddr> <args...>
 *
 * Commands:
 *   send <namesrv> <group> <topic> <states> [--answer commit|rollback|unknown (default commit)]
 *       [--expect-checks N (default 0)] [--timeout-ms MS (default 60000)] [--instance NAME]
 *     <states>: comma-separated commit|rollback|unknown, one transaction each. Transaction i sends the
 *     body "tx-<i>" with sendMessageInTransaction; its local transaction answers states[i]. One line per
 *     send: {"i","state","sendStatus","msgId","offsetMsgId","transactionId","queueId","queueOffset"}.
 *     The producer's checker answers every CHECK_TRANSACTION_STATE with --answer and prints
 *     {"check":true,"body","topic","queueId","transactionId","checkTimes","answer","atMs"}.
 *     After the sends it waits for N check lines (or --timeout-ms, then {"error":"timeout"}, exit 2),
 *     gives the last answer time to leave, shuts down and prints {"done":true,"sent":n,"checks":c}.
 *   check <namesrv> <group> <topic> [--answer ...] [--expect-checks N (default 1)] [--timeout-ms MS]
 *     A producer of the group that sends nothing and only answers checks (as `send` with no states);
 *     it looks the topic's route up so that its heartbeats reach the broker at once.
 *
 * stdout carries JSON lines only. Exit: 0 ok, 2 RocketMQ failure or timeout, 64 usage.
 */
package cleanrocketmq.compat;

import static cleanrocketmq.compat.ProbeSupport.emit;
import static cleanrocketmq.compat.ProbeSupport.obj;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;

public final class TransactionProbe {

    static final String USAGE = "usage: TransactionProbe send <namesrv> <group> <topic> <states> [opts]"
        + " | check <namesrv> <group> <topic> [opts] (see the comment at the top of TransactionProbe.java)";

    private static final long ANSWER_GRACE_MS = 1000;

    private TransactionProbe() {
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
        if (args.length < 4 || !Set.of("send", "check").contains(args[0])) {
            throw new ProbeArgs.UsageException("need send|check <namesrvAddr> <group> <topic> ...");
        }
        boolean send = args[0].equals("send");
        ProbeArgs a = new ProbeArgs(args, 1, Set.of("--answer", "--expect-checks", "--timeout-ms", "--instance"),
            Set.of());
        if (a.positional.size() != (send ? 4 : 3)) {
            throw new ProbeArgs.UsageException(send ? "send <namesrv> <group> <topic> <states>"
                : "check <namesrv> <group> <topic>");
        }
        String namesrv = a.positional.get(0);
        String group = a.positional.get(1);
        String topic = a.positional.get(2);
        String[] states = send ? a.positional.get(3).split(",") : new String[0];
        LocalTransactionState answer = state(a.str("--answer", "commit"));
        int expectChecks = a.integer("--expect-checks", send ? 0 : 1);
        long timeoutMs = a.longValue("--timeout-ms", 60000);
        for (String s : states) {
            state(s);
        }
        return exchange(namesrv, group, topic, states, answer, expectChecks, timeoutMs,
            a.str("--instance", "compat-tx-" + ProcessHandle.current().pid()));
    }

    private static LocalTransactionState state(String name) throws ProbeArgs.UsageException {
        switch (name) {
            case "commit":
                return LocalTransactionState.COMMIT_MESSAGE;
            case "rollback":
                return LocalTransactionState.ROLLBACK_MESSAGE;
            case "unknown":
                return LocalTransactionState.UNKNOW;
            default:
                throw new ProbeArgs.UsageException("a state is commit, rollback or unknown, not " + name);
        }
    }

    private static int exchange(String namesrv, String group, String topic, String[] states,
        LocalTransactionState answer, int expectChecks, long timeoutMs, String instance) throws Exception {
        AtomicInteger checks = new AtomicInteger();
        TransactionMQProducer producer = new TransactionMQProducer(group);
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName(instance);
        producer.setVipChannelEnabled(false);
        producer.setHeartbeatBrokerInterval(1000);
        producer.setPollNameServerInterval(1000);
        producer.setTransactionListener(new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                return (LocalTransactionState) arg;
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                emit(obj("check", true, "body", new String(msg.getBody(), StandardCharsets.UTF_8),
                    "topic", msg.getTopic(), "queueId", msg.getQueueId(), "transactionId", msg.getTransactionId(),
                    "checkTimes", msg.getProperty(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES),
                    "answer", answer.name(), "atMs", System.currentTimeMillis()));
                checks.incrementAndGet();
                return answer;
            }
        });
        producer.start();
        try {
            if (states.length == 0) {
                // A producer that sends nothing learns the broker from a route, then heartbeats to it.
                producer.getDefaultMQProducerImpl().getMqClientFactory().updateTopicRouteInfoFromNameServer(topic);
                producer.getDefaultMQProducerImpl().getMqClientFactory().sendHeartbeatToAllBrokerWithLock();
            }
            for (int i = 0; i < states.length; i++) {
                Message m = new Message(topic, ("tx-" + i).getBytes(StandardCharsets.UTF_8));
                TransactionSendResult r = producer.sendMessageInTransaction(m, state(states[i]));
                emit(obj("i", i, "state", r.getLocalTransactionState().name(), "sendStatus", r.getSendStatus().name(),
                    "msgId", r.getMsgId(), "offsetMsgId", r.getOffsetMsgId(), "transactionId", r.getTransactionId(),
                    "queueId", r.getMessageQueue().getQueueId(), "queueOffset", r.getQueueOffset()));
            }
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (checks.get() < expectChecks) {
                if (System.currentTimeMillis() > deadline) {
                    emit(obj("error", "timeout", "checks", checks.get(), "expected", expectChecks));
                    return ProbeSupport.EXIT_ROCKETMQ;
                }
                Thread.sleep(50);
            }
            if (expectChecks > 0) {
                // The answer (END_TRANSACTION, oneway) leaves from the checker's thread after the line above.
                Thread.sleep(ANSWER_GRACE_MS);
            }
        } finally {
            ProbeSupport.shutdownBounded(producer::shutdown, 2000);
        }
        emit(obj("done", true, "sent", states.length, "checks", checks.get()));
        return ProbeSupport.EXIT_OK;
    }
}
