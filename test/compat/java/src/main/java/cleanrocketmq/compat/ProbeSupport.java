package cleanrocketmq.compat;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;

/**
 * Shared plumbing for ClientProbe (and any later probe): a JSON-lines stdout that nothing
 * else can write to, quiet RocketMQ logging, a tiny JSON writer and error rendering.
 * Independent of AdminProbe on purpose (AdminProbe is maintained separately).
 */
final class ProbeSupport {

    /** Exit codes shared by all probes. */
    static final int EXIT_OK = 0;
    static final int EXIT_ROCKETMQ = 2;
    static final int EXIT_USAGE = 64;

    private static PrintStream out;

    private ProbeSupport() {
    }

    /**
     * Grab the real stdout for our JSON lines and point System.out at stderr so library
     * chatter can never corrupt the JSON stream. Call first thing in main.
     */
    static synchronized void init() {
        if (out == null) {
            out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            System.setOut(System.err);
            quietLogging();
        }
    }

    /** Print one JSON object as one line (thread-safe; lines are never interleaved). */
    static synchronized void emit(Map<String, Object> obj) {
        out.println(toJson(obj));
        out.flush();
    }

    /** Print an error line and exit with the given code. */
    static void fail(int code, Map<String, Object> obj) {
        emit(obj);
        System.exit(code);
    }

    static Map<String, Object> obj(Object... kv) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(String.valueOf(kv[i]), kv[i + 1]);
        }
        return m;
    }

    /**
     * Route RocketMQ's own logging to a temp dir / stderr at WARN-or-above, and broadcasting offsets to a
     * temp dir, unless overridden.
     */
    private static void quietLogging() {
        String root = System.getProperty("rocketmq.log.root");
        if (root == null || root.isEmpty()) {
            root = new File(System.getProperty("java.io.tmpdir"), "clean-rocketmq-compat-logs").getPath();
            System.setProperty("rocketmq.log.root", root);
        }
        // RocketMQ's shaded logback otherwise picks rmq.client.logback.xml (INFO to ~/logs/rocketmqlogs).
        setIfAbsent("rmq.logback.configurationFile", "rmq.compat.logback.xml");
        setIfAbsent("rocketmq.client.logRoot", root);
        setIfAbsent("rocketmq.log.level", "ERROR");
        setIfAbsent("rocketmq.client.logLevel", "ERROR");
        setIfAbsent("mq.consoleAppender.enabled", "false");
        setIfAbsent("rocketmq.client.logUseSlf4j", "false");
        // Broadcasting consumers keep their offsets in local files (default ~/.rocketmq_offsets).
        setIfAbsent("rocketmq.client.localOffsetStoreDir",
            new File(System.getProperty("java.io.tmpdir"), "clean-rocketmq-compat-offsets").getPath());
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * {"error": "Class: message", "responseCode": n (first known code in the cause chain),
     * "errorMessage": ..., "cause": ...}.
     */
    static Map<String, Object> errorObj(Throwable t) {
        Map<String, Object> root = obj("error", t.getClass().getName() + ": " + t.getMessage());
        Integer code = null;
        String errorMessage = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof MQClientException) {
                MQClientException e = (MQClientException) c;
                if (code == null && e.getResponseCode() != -1) {
                    code = e.getResponseCode();
                    errorMessage = e.getErrorMessage();
                }
            } else if (c instanceof MQBrokerException) {
                MQBrokerException e = (MQBrokerException) c;
                if (code == null && e.getResponseCode() != -1) {
                    code = e.getResponseCode();
                    errorMessage = e.getErrorMessage();
                }
            }
        }
        if (code != null) {
            root.put("responseCode", code);
        }
        if (errorMessage != null) {
            root.put("errorMessage", errorMessage);
        }
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            root.put("cause", cause.getClass().getName() + ": " + cause.getMessage());
        }
        return root;
    }

    /**
     * Run a client's shutdown() on a daemon thread and wait at most waitMillis: the RocketMQ
     * clients persist offsets / unregister early in shutdown() but then linger ~3 s in Netty.
     */
    static void shutdownBounded(Runnable shutdown, long waitMillis) {
        Thread t = new Thread(() -> {
            try {
                shutdown.run();
            } catch (Throwable ignored) {
                // best effort
            }
        }, "compat-probe-shutdown");
        t.setDaemon(true);
        t.start();
        try {
            t.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ JSON

    static String toJson(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            quote(sb, (String) v);
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
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
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
            quote(sb, v.toString());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
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
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
