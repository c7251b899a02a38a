package cleanrocketmq.compat;

import static cleanrocketmq.compat.ProbeSupport.emit;
import static cleanrocketmq.compat.ProbeSupport.obj;

import java.nio.charset.StandardCharsets;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;

/**
 * The Remoting half of the cross-protocol tests (test/compat/cross-protocol-java.test.ts): the official
 * DefaultMQProducer 5.5.0 sends <count> messages, message i with body "remoting-i", tag "TagR", keys "rkey-i"
 * and the user properties color=blue-i and origin=remoting, for a gRPC consumer to receive.
 *
 *   InteropProducer <namesrv> <topic> <count>
 *
 * One line per message {"i":i,"msgId":..,"body":..,"status":..}, then {"done":true,"sent":n}; exit 0, or
 * {"error":..} and exit 2.
 */
public final class InteropProducer {

    private InteropProducer() {
    }

    public static void main(String[] args) {
        ProbeSupport.init();
        if (args.length != 3) {
            ProbeSupport.fail(ProbeSupport.EXIT_USAGE, obj("error", "usage: InteropProducer <namesrv> <topic> <count>"));
        }
        DefaultMQProducer producer = new DefaultMQProducer("interop_producer");
        producer.setNamesrvAddr(args[0]);
        producer.setInstanceName("interop-producer-" + ProcessHandle.current().pid());
        try {
            producer.start();
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) {
                String body = "remoting-" + i;
                Message message = new Message(args[1], "TagR", "rkey-" + i, body.getBytes(StandardCharsets.UTF_8));
                message.putUserProperty("color", "blue-" + i);
                message.putUserProperty("origin", "remoting");
                SendResult result = producer.send(message);
                emit(obj("i", i, "msgId", result.getMsgId(), "body", body, "status", result.getSendStatus().name()));
            }
            emit(obj("done", true, "sent", count));
        } catch (Exception e) {
            ProbeSupport.fail(ProbeSupport.EXIT_ROCKETMQ, obj("error", String.valueOf(e)));
        } finally {
            producer.shutdown();
        }
        System.exit(ProbeSupport.EXIT_OK);
    }
}
