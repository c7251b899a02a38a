package cleanrocketmq.compat;

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.TopicList;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Wire-compatibility probe driving the official Apache RocketMQ admin client
 * (DefaultMQAdminExt) against a name server.
 *
 * <pre>
 * AdminProbe &lt;namesrvAddr&gt; clusterList
 * AdminProbe &lt;namesrvAddr&gt; topicRoute &lt;topic&gt;
 * AdminProbe &lt;namesrvAddr&gt; topicList
 * </pre>
 *
 * Prints exactly ONE line of JSON to stdout (keys sorted, deterministic).
 * Exit codes: 0 success, 2 the RocketMQ call failed ({"error":...}), 64 usage.
 * Everything the RocketMQ libraries might print goes to stderr instead.
 *
 * System properties: compat.timeoutMillis (default 3000) is the per-call
 * timeout handed to DefaultMQAdminExt.
 */
public final class AdminProbe {

    private AdminProbe() {
    }

    public static void main(String[] args) {
        // Keep the real stdout for our single JSON line; anything else that
        // would be printed to System.out (library chatter) goes to stderr.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);
        System.setOut(System.err);
        quietLogging();

        if (args.length < 2) {
            usage(out);
            System.exit(64);
            return;
        }
        String namesrvAddr = args[0];
        String command = args[1];
        if (!command.equals("clusterList") && !command.equals("topicList")
            && !(command.equals("topicRoute") && args.length >= 3)) {
            usage(out);
            System.exit(64);
            return;
        }

        long timeoutMillis = Long.getLong("compat.timeoutMillis", 3000L);
        int code;
        String line;
        DefaultMQAdminExt admin = null;
        try {
            admin = new DefaultMQAdminExt(timeoutMillis);
            admin.setNamesrvAddr(namesrvAddr);
            admin.setInstanceName("compat-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            admin.setVipChannelEnabled(false);
            admin.start();
            switch (command) {
                case "clusterList":
                    line = clusterListJson(admin.examineBrokerClusterInfo());
                    break;
                case "topicRoute":
                    line = topicRouteJson(admin.examineTopicRouteInfo(args[2]));
                    break;
                default:
                    line = topicListJson(admin.fetchAllTopicList());
                    break;
            }
            code = 0;
        } catch (Throwable t) {
            line = errorJson(t);
            code = 2;
        } finally {
            if (admin != null) {
                shutdownBounded(admin);
            }
        }
        out.println(line);
        out.flush();
        // Netty/scheduler threads may linger; exit explicitly.
        System.exit(code);
    }

    /**
     * DefaultMQAdminExt.shutdown() closes channels quickly but then waits up to ~3 s for its
     * NettyEventExecutor thread to notice; bound the wait (compat.shutdownWaitMillis, default
     * 500) so every probe run does not pay 3 s. The process exits right after anyway.
     */
    private static void shutdownBounded(DefaultMQAdminExt admin) {
        Thread t = new Thread(() -> {
            try {
                admin.shutdown();
            } catch (Throwable ignored) {
                // best effort
            }
        }, "compat-probe-shutdown");
        t.setDaemon(true);
        t.start();
        try {
            t.join(Long.getLong("compat.shutdownWaitMillis", 500L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usage(PrintStream out) {
        out.println("{\"error\":" + q("usage: AdminProbe <namesrvAddr> clusterList|topicList|topicRoute <topic>")
            + "}");
    }

    /** Route RocketMQ's own logging to a temp dir at error level unless the caller chose otherwise. */
    private static void quietLogging() {
        String root = System.getProperty("rocketmq.log.root");
        if (root == null || root.isEmpty()) {
            root = new File(System.getProperty("java.io.tmpdir"), "clean-rocketmq-compat-logs").getPath();
            System.setProperty("rocketmq.log.root", root);
        }
        // RocketMQ's shaded logback otherwise picks rmq.tools.logback.xml (INFO to ~/logs/rocketmqlogs).
        setIfAbsent("rmq.logback.configurationFile", "rmq.compat.logback.xml");
        setIfAbsent("rocketmq.client.logRoot", root);
        setIfAbsent("rocketmq.log.level", "ERROR");
        setIfAbsent("rocketmq.client.logLevel", "ERROR");
        setIfAbsent("mq.consoleAppender.enabled", "false");
        setIfAbsent("rocketmq.client.logUseSlf4j", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    // ---------------------------------------------------------------- commands

    static String clusterListJson(ClusterInfo info) {
        TreeMap<String, Object> clusters = new TreeMap<>();
        Map<String, Set<String>> clusterTable = info.getClusterAddrTable();
        if (clusterTable != null) {
            for (Map.Entry<String, Set<String>> e : clusterTable.entrySet()) {
                clusters.put(e.getKey(), sorted(e.getValue()));
            }
        }
        TreeMap<String, Object> brokers = new TreeMap<>();
        Map<String, BrokerData> brokerTable = info.getBrokerAddrTable();
        if (brokerTable != null) {
            for (Map.Entry<String, BrokerData> e : brokerTable.entrySet()) {
                BrokerData bd = e.getValue();
                TreeMap<String, Object> b = new TreeMap<>();
                b.put("cluster", bd.getCluster());
                b.put("addrs", addrs(bd.getBrokerAddrs()));
                brokers.put(e.getKey(), b);
            }
        }
        TreeMap<String, Object> root = new TreeMap<>();
        root.put("clusters", clusters);
        root.put("brokers", brokers);
        return toJson(root);
    }

    static String topicRouteJson(TopicRouteData route) {
        List<Object> brokerDatas = new ArrayList<>();
        if (route.getBrokerDatas() != null) {
            TreeMap<String, List<BrokerData>> byName = new TreeMap<>();
            for (BrokerData bd : route.getBrokerDatas()) {
                byName.computeIfAbsent(String.valueOf(bd.getBrokerName()), k -> new ArrayList<>()).add(bd);
            }
            for (List<BrokerData> group : byName.values()) {
                for (BrokerData bd : group) {
                    TreeMap<String, Object> b = new TreeMap<>();
                    b.put("brokerName", bd.getBrokerName());
                    b.put("cluster", bd.getCluster());
                    b.put("brokerAddrs", addrs(bd.getBrokerAddrs()));
                    brokerDatas.add(b);
                }
            }
        }
        List<Object> queueDatas = new ArrayList<>();
        if (route.getQueueDatas() != null) {
            TreeMap<String, List<QueueData>> byName = new TreeMap<>();
            for (QueueData qd : route.getQueueDatas()) {
                byName.computeIfAbsent(String.valueOf(qd.getBrokerName()), k -> new ArrayList<>()).add(qd);
            }
            for (List<QueueData> group : byName.values()) {
                for (QueueData qd : group) {
                    TreeMap<String, Object> m = new TreeMap<>();
                    m.put("brokerName", qd.getBrokerName());
                    m.put("readQueueNums", qd.getReadQueueNums());
                    m.put("writeQueueNums", qd.getWriteQueueNums());
                    m.put("perm", qd.getPerm());
                    m.put("topicSysFlag", qd.getTopicSysFlag());
                    queueDatas.add(m);
                }
            }
        }
        TreeMap<String, Object> root = new TreeMap<>();
        root.put("brokerDatas", brokerDatas);
        root.put("queueDatas", queueDatas);
        return toJson(root);
    }

    static String topicListJson(TopicList list) {
        TreeMap<String, Object> root = new TreeMap<>();
        root.put("topics", sorted(list.getTopicList()));
        return toJson(root);
    }

    static String errorJson(Throwable t) {
        TreeMap<String, Object> root = new TreeMap<>();
        root.put("error", t.getClass().getName() + ": " + t.getMessage());
        if (t instanceof MQClientException) {
            MQClientException e = (MQClientException) t;
            root.put("responseCode", e.getResponseCode());
            if (e.getErrorMessage() != null) {
                root.put("errorMessage", e.getErrorMessage());
            }
        } else if (t instanceof MQBrokerException) {
            MQBrokerException e = (MQBrokerException) t;
            root.put("responseCode", e.getResponseCode());
            if (e.getErrorMessage() != null) {
                root.put("errorMessage", e.getErrorMessage());
            }
        }
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            root.put("cause", cause.getClass().getName() + ": " + cause.getMessage());
        }
        return toJson(root);
    }

    // ------------------------------------------------------------------ helpers

    private static TreeMap<String, Object> addrs(Map<Long, String> brokerAddrs) {
        // Keys are broker ids (0 = master); sort numerically, then render as strings.
        TreeMap<Long, String> numeric = new TreeMap<>();
        if (brokerAddrs != null) {
            numeric.putAll(brokerAddrs);
        }
        TreeMap<String, Object> out = new TreeMap<>((a, b) -> {
            int c = Long.compare(Long.parseLong(a), Long.parseLong(b));
            return c != 0 ? c : a.compareTo(b);
        });
        for (Map.Entry<Long, String> e : numeric.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    private static List<Object> sorted(Collection<String> values) {
        List<Object> out = new ArrayList<>();
        if (values != null) {
            out.addAll(new TreeSet<>(values));
        }
        return out;
    }

    static String toJson(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            sb.append(q((String) v));
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(q(String.valueOf(e.getKey()))).append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Collection) {
            sb.append('[');
            boolean first = true;
            for (Object o : (Collection<?>) v) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else {
            sb.append(q(v.toString()));
        }
    }

    private static String q(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
