package cleanrocketmq.compat.grpc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;

/**
 * The gRPC load of `npm run bench:peer` (workload W11-grpc): N official RocketMQ 5 Java Producers, each keeping
 * W sends in flight (sendAsync), bodies of S bytes, and C PushConsumers (or SimpleConsumers) of one group
 * consuming the topic, against one gRPC endpoint (our broker, or Apache's proxy).
 *
 *   GrpcBench -e <endpoint> -t <topic> [-p producers (1)] [-w inFlightPerProducer (64)] [-s bodyBytes (1024)]
 *             [-c consumers (1), 0 = none] [-m push|simple (push)] [-g group (grpc_bench)] [-d seconds (0 = until
 *             stdin closes)] [-ri reportIntervalMs (1000)]
 *
 * Every interval, one line in the format of the official benchmark tools:
 *   Current Time: <ms> | Send TPS: n | Average RT(ms): x | Max RT(ms): n | Send Failed: n | Consume TPS: n
 *     | AVG(B2C) RT(ms): x | MAX(B2C) RT(ms): n | Consumed Total: n
 * A line "mark" on stdin starts a measured window and "end" closes it with one JSON line
 *   {"window":true,"seconds","sent","sendTps","failed","p50Ms","p90Ms","p99Ms","p999Ms","maxMs","consumed",
 *    "consumeTps","b2cP50Ms","b2cP99Ms"}
 * (send latency: from sendAsync to its completion, 10 µs resolution; B2C: born timestamp to the listener, 0.1 ms). With -d the whole run
 * is the window and the JSON line is printed at the end. Exits when stdin closes or -d has passed.
 */
public final class GrpcBench {
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder consumed = new LongAdder();
  private final LongAdder sendRtTotalUs = new LongAdder();
  private final LongAdder b2cTotalMs = new LongAdder();
  private final LongAccumulator sendRtMaxUs = new LongAccumulator(Math::max, 0);
  private final LongAccumulator b2cMaxMs = new LongAccumulator(Math::max, 0);
  private volatile Histogram sendWindow = new Histogram(10);
  private volatile Histogram b2cWindow = new Histogram(100);
  private volatile long windowStartNs;
  private volatile long sentAtMark;
  private volatile long failedAtMark;
  private volatile long consumedAtMark;
  private volatile boolean running = true;

  private GrpcBench() {}

  /** Latencies in buckets of bucketUs, a million of them (the last bucket takes everything above). */
  static final class Histogram {
    private final int bucketUs;
    private final AtomicLongArray buckets = new AtomicLongArray(1_000_000);
    private final LongAccumulator maxUs = new LongAccumulator(Math::max, 0);
    private final LongAdder count = new LongAdder();

    Histogram(int bucketUs) {
      this.bucketUs = bucketUs;
    }

    void record(long micros) {
      buckets.incrementAndGet((int) Math.min(buckets.length() - 1, Math.max(0, micros / bucketUs)));
      maxUs.accumulate(micros);
      count.increment();
    }

    double percentileMs(double p) {
      long total = count.sum();
      if (total == 0) return 0;
      long rank = (long) Math.ceil(p * total);
      long seen = 0;
      for (int i = 0; i < buckets.length(); i++) {
        seen += buckets.get(i);
        if (seen >= rank) return (i + 1) * (double) bucketUs / 1000.0;
      }
      return maxUs.get() / 1000.0;
    }

    double maxMs() {
      return maxUs.get() / 1000.0;
    }
  }

  public static void main(String[] args) throws Exception {
    String endpoint = option(args, "-e", null);
    String topic = option(args, "-t", null);
    if (endpoint == null || topic == null) {
      System.err.println("usage: GrpcBench -e <endpoint> -t <topic> [-p N] [-w N] [-s B] [-c N] [-m push|simple]"
          + " [-g group] [-d S] [-ri MS]");
      System.exit(64);
    }
    new GrpcBench().run(args, endpoint, topic);
  }

  private void run(String[] args, String endpoint, String topic) throws Exception {
    int producers = Integer.parseInt(option(args, "-p", "1"));
    int inFlight = Integer.parseInt(option(args, "-w", "64"));
    int size = Integer.parseInt(option(args, "-s", "1024"));
    int consumers = Integer.parseInt(option(args, "-c", "1"));
    String mode = option(args, "-m", "push");
    String group = option(args, "-g", "grpc_bench");
    long seconds = Long.parseLong(option(args, "-d", "0"));
    long reportMs = Long.parseLong(option(args, "-ri", "1000"));
    ClientServiceProvider provider = ClientServiceProvider.loadService();
    ClientConfiguration configuration = ClientConfiguration.newBuilder()
        .setEndpoints(endpoint)
        .enableSsl(false)
        .setRequestTimeout(Duration.ofSeconds(10))
        .build();
    List<AutoCloseable> clients = new ArrayList<>();
    for (int i = 0; i < consumers; i++) clients.add(startConsumer(provider, configuration, mode, topic, group));
    mark();
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    reporter.scheduleAtFixedRate(new Reporter(), reportMs, reportMs, TimeUnit.MILLISECONDS);
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < producers; i++) {
      Producer producer = provider.newProducerBuilder().setClientConfiguration(configuration).setTopics(topic).build();
      clients.add(producer);
      Thread sender = new Thread(() -> sendLoop(provider, producer, topic, size, inFlight), "grpc-bench-send-" + i);
      sender.setDaemon(true);
      sender.start();
      senders.add(sender);
    }
    if (seconds > 0) {
      Thread.sleep(seconds * 1000);
      printWindow();
    } else {
      followStdin();
    }
    running = false;
    reporter.shutdownNow();
    System.out.flush();
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        System.err.println("GrpcBench: close: " + e);
      }
    }
    System.exit(0);
  }

  private void followStdin() throws Exception {
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = stdin.readLine()) != null; ) {
      if (line.trim().equals("mark")) mark();
      if (line.trim().equals("end")) printWindow();
    }
  }

  private synchronized void mark() {
    sendWindow = new Histogram(10);
    b2cWindow = new Histogram(100);
    sentAtMark = sent.sum();
    failedAtMark = failed.sum();
    consumedAtMark = consumed.sum();
    windowStartNs = System.nanoTime();
  }

  private synchronized void printWindow() {
    double windowSeconds = (System.nanoTime() - windowStartNs) / 1e9;
    long windowSent = sent.sum() - sentAtMark;
    long windowConsumed = consumed.sum() - consumedAtMark;
    Histogram send = sendWindow;
    Histogram b2c = b2cWindow;
    System.out.printf("{\"window\":true,\"seconds\":%.3f,\"sent\":%d,\"sendTps\":%.1f,\"failed\":%d,\"p50Ms\":%.3f,"
            + "\"p90Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f,\"consumed\":%d,\"consumeTps\":%.1f,"
            + "\"b2cP50Ms\":%.3f,\"b2cP99Ms\":%.3f}%n",
        windowSeconds, windowSent, windowSent / windowSeconds, failed.sum() - failedAtMark,
        send.percentileMs(0.5), send.percentileMs(0.9), send.percentileMs(0.99), send.percentileMs(0.999),
        send.maxMs(), windowConsumed, windowConsumed / windowSeconds, b2c.percentileMs(0.5), b2c.percentileMs(0.99));
    System.out.flush();
  }

  /** Keeps `inFlight` sendAsync calls outstanding until the run ends. */
  private void sendLoop(ClientServiceProvider provider, Producer producer, String topic, int size, int inFlight) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'x');
    Semaphore permits = new Semaphore(inFlight);
    while (running) {
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        return;
      }
      Message message = provider.newMessageBuilder().setTopic(topic).setBody(body).build();
      long startNs = System.nanoTime();
      producer.sendAsync(message).whenComplete((receipt, error) -> {
        permits.release();
        long micros = (System.nanoTime() - startNs) / 1000;
        if (error != null) {
          failed.increment();
          return;
        }
        sent.increment();
        sendRtTotalUs.add(micros);
        sendRtMaxUs.accumulate(micros);
        sendWindow.record(micros);
      });
    }
  }

  private void consumedOne(MessageView message) {
    long b2cMs = Math.max(0, System.currentTimeMillis() - message.getBornTimestamp());
    consumed.increment();
    b2cTotalMs.add(b2cMs);
    b2cMaxMs.accumulate(b2cMs);
    b2cWindow.record(b2cMs * 1000);
  }

  private AutoCloseable startConsumer(ClientServiceProvider provider, ClientConfiguration configuration,
      String mode, String topic, String group) throws Exception {
    Map<String, FilterExpression> subscription = Collections.singletonMap(topic, FilterExpression.SUB_ALL);
    if (mode.equals("push")) {
      PushConsumer consumer = provider.newPushConsumerBuilder()
          .setClientConfiguration(configuration)
          .setConsumerGroup(group)
          .setSubscriptionExpressions(subscription)
          .setMessageListener(message -> {
            consumedOne(message);
            return ConsumeResult.SUCCESS;
          })
          .build();
      return consumer;
    }
    SimpleConsumer consumer = provider.newSimpleConsumerBuilder()
        .setClientConfiguration(configuration)
        .setConsumerGroup(group)
        .setAwaitDuration(Duration.ofSeconds(5))
        .setSubscriptionExpressions(subscription)
        .build();
    Thread receiver = new Thread(() -> receiveLoop(consumer), "grpc-bench-receive");
    receiver.setDaemon(true);
    receiver.start();
    return consumer;
  }

  private void receiveLoop(SimpleConsumer consumer) {
    while (running) {
      try {
        for (MessageView message : consumer.receive(32, Duration.ofSeconds(30))) {
          consumedOne(message);
          consumer.ackAsync(message);
        }
      } catch (Exception e) {
        if (running) System.err.println("GrpcBench: receive: " + e);
      }
    }
  }

  /** The per-interval line: deltas of the counters since the last one. */
  private final class Reporter implements Runnable {
    private long lastSent;
    private long lastRtUs;
    private long lastConsumed;
    private long lastB2cMs;
    private long lastAtNs = System.nanoTime();

    @Override
    public void run() {
      long now = System.nanoTime();
      double seconds = (now - lastAtNs) / 1e9;
      long sentNow = sent.sum();
      long rtNow = sendRtTotalUs.sum();
      long consumedNow = consumed.sum();
      long b2cNow = b2cTotalMs.sum();
      long sends = sentNow - lastSent;
      long consumes = consumedNow - lastConsumed;
      System.out.printf("Current Time: %d | Send TPS: %d | Average RT(ms): %.3f | Max RT(ms): %d | Send Failed: %d"
              + " | Consume TPS: %d | AVG(B2C) RT(ms): %.3f | MAX(B2C) RT(ms): %d | Consumed Total: %d%n",
          System.currentTimeMillis(), Math.round(sends / seconds), sends == 0 ? 0 : (rtNow - lastRtUs) / 1000.0 / sends,
          sendRtMaxUs.get() / 1000, failed.sum(), Math.round(consumes / seconds),
          consumes == 0 ? 0 : (double) (b2cNow - lastB2cMs) / consumes, b2cMaxMs.get(), consumedNow);
      System.out.flush();
      lastSent = sentNow;
      lastRtUs = rtNow;
      lastConsumed = consumedNow;
      lastB2cMs = b2cNow;
      lastAtNs = now;
    }
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) return args[i + 1];
    }
    return fallback;
  }
}
