package cleanrocketmq.compat.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;

/**
 * The official RocketMQ 5 Java client's SimpleConsumer over gRPC: receives (long polling, 30 s invisible)
 * until <count> messages came, acks each, prints one JSON line per message ({"messageId":...,"body":...,
 * "attempt":...}) and exits 0, or prints {"error":...} and exits 2 (also after 60 s without them).
 *
 *   GrpcProducerProbe <endpoint> receive <topic> <group> <count>
 */
final class GrpcSimpleConsumerProbe {
  private GrpcSimpleConsumerProbe() {}

  static void run(String endpoint, String topic, String group, int count) throws Exception {
    ClientServiceProvider provider = ClientServiceProvider.loadService();
    ClientConfiguration configuration = ClientConfiguration.newBuilder()
        .setEndpoints(endpoint)
        .enableSsl(false)
        .setRequestTimeout(Duration.ofSeconds(10))
        .build();
    try (SimpleConsumer consumer = provider.newSimpleConsumerBuilder()
        .setClientConfiguration(configuration)
        .setConsumerGroup(group)
        .setAwaitDuration(Duration.ofSeconds(5))
        .setSubscriptionExpressions(Collections.singletonMap(topic, FilterExpression.SUB_ALL))
        .build()) {
      long deadline = System.currentTimeMillis() + 60_000;
      int received = 0;
      while (received < count) {
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException("received " + received);
        List<MessageView> messages = consumer.receive(16, Duration.ofSeconds(30));
        for (MessageView message : messages) {
          consumer.ack(message);
          String body = StandardCharsets.UTF_8.decode(message.getBody()).toString();
          System.out.println("{\"messageId\":\"" + message.getMessageId() + "\",\"body\":\"" + body
              + "\",\"attempt\":\"" + message.getDeliveryAttempt() + "\"}");
          received++;
        }
      }
    }
  }
}
