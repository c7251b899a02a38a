package cleanrocketmq.compat.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;

/**
 * The gRPC half of the cross-protocol tests (test/compat/cross-protocol-java.test.ts), with the official
 * RocketMQ 5 Java client: a Producer whose messages a Remoting consumer reads, and a SimpleConsumer or
 * PushConsumer that reads what a Remoting producer sent, printing what it got.
 *
 *   GrpcInteropProbe <endpoint> send <topic> <count>           body "grpc-i", tag "TagG", keys "gkey-i",
 *                                                              properties color=green-i, origin=grpc
 *   GrpcInteropProbe <endpoint> simple|push <topic> <group> <count>
 *
 * send prints {"messageId":..,"body":..} per message; simple and push print one line per distinct message
 * {"messageId","body","tag","keys":[..],"properties":{..}} (acked) once <count> came (60 s at most). Exit 0,
 * or {"error":..} and exit 2.
 */
public final class GrpcInteropProbe {
  private GrpcInteropProbe() {}

  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println("usage: GrpcInteropProbe <endpoint> send <topic> <count> | simple|push <topic> <group> <count>");
      System.exit(64);
    }
    ClientConfiguration configuration = ClientConfiguration.newBuilder()
        .setEndpoints(args[0])
        .enableSsl(false)
        .setRequestTimeout(Duration.ofSeconds(10))
        .build();
    try {
      switch (args[1]) {
        case "send":
          send(configuration, args[2], Integer.parseInt(args[3]));
          break;
        case "simple":
          simple(configuration, args[2], args[3], Integer.parseInt(args[4]));
          break;
        case "push":
          push(configuration, args[2], args[3], Integer.parseInt(args[4]));
          break;
        default:
          throw new IllegalArgumentException("unknown command " + args[1]);
      }
    } catch (Exception e) {
      e.printStackTrace();
      System.out.println("{\"error\":" + json(String.valueOf(e)) + "}");
      System.out.flush();
      System.exit(2);
    }
    System.out.flush();
    System.exit(0);
  }

  private static void send(ClientConfiguration configuration, String topic, int count) throws Exception {
    ClientServiceProvider provider = ClientServiceProvider.loadService();
    try (Producer producer = provider.newProducerBuilder()
        .setClientConfiguration(configuration)
        .setTopics(topic)
        .build()) {
      for (int i = 0; i < count; i++) {
        String body = "grpc-" + i;
        Message message = provider.newMessageBuilder()
            .setTopic(topic)
            .setBody(body.getBytes(StandardCharsets.UTF_8))
            .setTag("TagG")
            .setKeys("gkey-" + i)
            .addProperty("color", "green-" + i)
            .addProperty("origin", "grpc")
            .build();
        SendReceipt receipt = producer.send(message);
        System.out.println("{\"messageId\":" + json(receipt.getMessageId().toString()) + ",\"body\":" + json(body) + "}");
      }
    }
  }

  private static void simple(ClientConfiguration configuration, String topic, String group, int count)
      throws Exception {
    ClientServiceProvider provider = ClientServiceProvider.loadService();
    Map<String, String> seen = new TreeMap<>();
    try (SimpleConsumer consumer = provider.newSimpleConsumerBuilder()
        .setClientConfiguration(configuration)
        .setConsumerGroup(group)
        .setAwaitDuration(Duration.ofSeconds(5))
        .setSubscriptionExpressions(Collections.singletonMap(topic, FilterExpression.SUB_ALL))
        .build()) {
      long deadline = System.currentTimeMillis() + 60_000;
      while (seen.size() < count) {
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException("received " + seen.size());
        List<MessageView> messages = consumer.receive(16, Duration.ofSeconds(30));
        for (MessageView message : messages) {
          consumer.ack(message);
          seen.put(message.getMessageId().toString(), line(message));
        }
      }
    }
    seen.values().forEach(System.out::println);
  }

  private static void push(ClientConfiguration configuration, String topic, String group, int count)
      throws Exception {
    ClientServiceProvider provider = ClientServiceProvider.loadService();
    Map<String, String> seen = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(count);
    PushConsumer consumer = provider.newPushConsumerBuilder()
        .setClientConfiguration(configuration)
        .setConsumerGroup(group)
        .setSubscriptionExpressions(Collections.singletonMap(topic, FilterExpression.SUB_ALL))
        .setMessageListener(message -> {
          if (seen.putIfAbsent(message.getMessageId().toString(), line(message)) == null) all.countDown();
          return ConsumeResult.SUCCESS;
        })
        .build();
    if (!all.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("received " + seen.size());
    // No close(): the client's close waits out its in-flight long-polling receive (~20 s, against Apache's
    // proxy too); main exits the JVM right after these lines.
    new TreeMap<>(seen).values().forEach(System.out::println);
  }

  private static String line(MessageView message) {
    StringBuilder keys = new StringBuilder("[");
    for (String key : message.getKeys()) keys.append(keys.length() > 1 ? "," : "").append(json(key));
    StringBuilder properties = new StringBuilder("{");
    for (Map.Entry<String, String> entry : new TreeMap<>(message.getProperties()).entrySet()) {
      properties.append(properties.length() > 1 ? "," : "").append(json(entry.getKey())).append(':')
          .append(json(entry.getValue()));
    }
    return "{\"messageId\":" + json(message.getMessageId().toString())
        + ",\"body\":" + json(StandardCharsets.UTF_8.decode(message.getBody()).toString())
        + ",\"tag\":" + json(message.getTag().orElse(""))
        + ",\"keys\":" + keys + "]"
        + ",\"properties\":" + properties + "}}";
  }

  static String json(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }
}
