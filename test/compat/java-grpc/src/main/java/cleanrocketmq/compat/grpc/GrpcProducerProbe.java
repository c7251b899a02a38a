package cleanrocketmq.compat.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.apache.rocketmq.client.apis.producer.Transaction;
import org.apache.rocketmq.client.apis.producer.TransactionResolution;

/**
 * The official RocketMQ 5 Java client's Producer over gRPC, one command per run; prints one JSON line
 * per message sent ({"messageId":...,"body":...}) and exits 0, or prints {"error":...} and exits 2.
 *
 *   GrpcProducerProbe <endpoint> normal <topic> <count>       tag "TagA", key "key-i", body "java-i"
 *   GrpcProducerProbe <endpoint> fifo <topic> <group> <count> body "<group>:i"
 *   GrpcProducerProbe <endpoint> delay <topic> <delayMs>      body "delayed"
 *   GrpcProducerProbe <endpoint> checkback <topic>            a transaction left open; the checker commits
 *                                                             and prints {"checked":messageId} first
 */
public final class GrpcProducerProbe {
  private GrpcProducerProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: GrpcProducerProbe <endpoint> normal|fifo|delay|checkback|receive <topic> ...");
      System.exit(64);
    }
    String endpoint = args[0];
    String command = args[1];
    String topic = args[2];
    if (command.equals("receive")) {
      receive(endpoint, topic, args);
      return;
    }
    ClientServiceProvider provider = ClientServiceProvider.loadService();
    ClientConfiguration configuration = ClientConfiguration.newBuilder()
        .setEndpoints(endpoint)
        .enableSsl(false)
        .setRequestTimeout(Duration.ofSeconds(10))
        .build();
    CountDownLatch checked = new CountDownLatch(1);
    try (Producer producer = provider.newProducerBuilder()
        .setClientConfiguration(configuration)
        .setTopics(topic)
        .setTransactionChecker(view -> {
          System.out.println("{\"checked\":\"" + view.getMessageId() + "\"}");
          checked.countDown();
          return TransactionResolution.COMMIT;
        })
        .build()) {
      switch (command) {
        case "normal":
          for (int i = 0; i < Integer.parseInt(args[3]); i++) {
            Message message = base(provider, topic, "java-" + i).setTag("TagA").setKeys("key-" + i).build();
            print(producer.send(message), "java-" + i);
          }
          break;
        case "fifo":
          for (int i = 0; i < Integer.parseInt(args[4]); i++) {
            String body = args[3] + ":" + i;
            print(producer.send(base(provider, topic, body).setMessageGroup(args[3]).build()), body);
          }
          break;
        case "delay":
          long deliveryMs = System.currentTimeMillis() + Long.parseLong(args[3]);
          print(producer.send(base(provider, topic, "delayed").setDeliveryTimestamp(deliveryMs).build()), "delayed");
          break;
        case "checkback":
          Transaction transaction = producer.beginTransaction();
          print(producer.send(base(provider, topic, "java-tx").build(), transaction), "java-tx");
          if (!checked.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("no check-back within 60 s");
          Thread.sleep(2000); // the checker's EndTransaction goes out after check() returns
          break;
        default:
          throw new IllegalArgumentException("unknown command " + command);
      }
    } catch (Exception e) {
      e.printStackTrace();
      System.out.println("{\"error\":\"" + String.valueOf(e).replace("\\", "\\\\").replace("\"", "'") + "\"}");
      System.out.flush();
      System.exit(2);
    }
    System.out.flush();
    System.exit(0);
  }

  /** `receive <topic> <group> <count>`: GrpcSimpleConsumerProbe. */
  private static void receive(String endpoint, String topic, String[] args) {
    try {
      GrpcSimpleConsumerProbe.run(endpoint, topic, args[3], Integer.parseInt(args[4]));
    } catch (Exception e) {
      e.printStackTrace();
      System.out.println("{\"error\":\"" + String.valueOf(e).replace("\\", "\\\\").replace("\"", "'") + "\"}");
      System.out.flush();
      System.exit(2);
    }
    System.out.flush();
    System.exit(0);
  }

  private static MessageBuilder base(ClientServiceProvider provider, String topic, String body) {
    return provider.newMessageBuilder().setTopic(topic).setBody(body.getBytes(StandardCharsets.UTF_8));
  }

  private static void print(SendReceipt receipt, String body) {
    System.out.println("{\"messageId\":\"" + receipt.getMessageId() + "\",\"body\":\"" + body + "\"}");
  }
}
