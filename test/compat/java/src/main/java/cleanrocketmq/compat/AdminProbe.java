package cleanrocketmq.compat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
 * Everything the RocketMQ libraries might print goes to stderr instead (ProbeSupport).
 *
 * System properties: compat.timeoutMillis (default 3000) is the per-call
 * timeout handed to DefaultMQAdminExt.
 */
public final class AdminProbe {

    private AdminProbe() {
    }

    public static void main(String[] args) {
        // Keeps the real stdout for our single JSON line and quiets RocketMQ's logging.
        ProbeSupport.init();
        if (args.length < 2) {
            usage();
            return;
        }
        String namesrvAddr = args[0];
        String command = args[1];
        if (!command.equals("clusterList") && !command.equals("topicList")
            && !(command.equals("topicRoute") && args.length >= 3)) {
            usage();
            return;
        }

        long timeoutMillis = Long.getLong("compat.timeoutMillis", 3000L);
        int code;
        Map<String, Object> line;
        DefaultMQAdminExt admin = null;
        try {
            admin = new DefaultMQAdminExt(timeoutMillis);
            admin.setNamesrvAddr(namesrvAddr);
            admin.setInstanceName("compat-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            admin.setVipChannelEnabled(false);
            admin.start();
            switch (command) {
                case "clusterList":
                    line = clusterList(admin.examineBrokerClusterInfo());
                    break;
                case "topicRoute":
                    line = topicRoute(admin.examineTopicRouteInfo(args[2]));
                    break;
                default:
                    line = topicList(admin.fetchAllTopicList());
                    break;
            }
            code = 0;
        } catch (Throwable t) {
            line = ProbeSupport.errorObj(t);
            code = 2;
        } finally {
            if (admin != null) {
                // shutdown() lingers ~3 s in Netty; the process exits right after anyway.
                ProbeSupport.shutdownBounded(admin::shutdown, Long.getLong("compat.shutdownWaitMillis", 500L));
            }
        }
        ProbeSupport.emit(line);
        // Netty/scheduler threads may linger; exit explicitly.
        System.exit(code);
    }

    private static void usage() {
        ProbeSupport.fail(ProbeSupport.EXIT_USAGE,
            ProbeSupport.obj("error", "usage: AdminProbe <namesrvAddr> clusterList|topicList|topicRoute <topic>"));
    }

    // ---------------------------------------------------------------- commands

    static Map<String, Object> clusterList(ClusterInfo info) {
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
        return root;
    }

    static Map<String, Object> topicRoute(TopicRouteData route) {
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
        return root;
    }

    static Map<String, Object> topicList(TopicList list) {
        TreeMap<String, Object> root = new TreeMap<>();
        root.put("topics", sorted(list.getTopicList()));
        return root;
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
}
