package cleanrocketmq.compat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal "positional args + --option value + --flag" parser; throws UsageException on misuse. */
final class ProbeArgs {

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String msg) {
            super(msg);
        }
    }

    final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    /**
     * @param valued options that take a value ("--tag")
     * @param flags  options without a value ("--broadcast")
     */
    ProbeArgs(String[] args, int from, Set<String> valued, Set<String> flags) throws UsageException {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String name = a;
                String inline = null;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    inline = a.substring(eq + 1);
                }
                if (flags.contains(name) && inline == null) {
                    options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (inline == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException("option " + name + " needs a value");
                        }
                        inline = args[++i];
                    }
                    options.put(name, inline);
                } else {
                    throw new UsageException("unknown option " + a);
                }
            } else {
                positional.add(a);
            }
        }
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String str(String name, String dflt) {
        String v = options.get(name);
        return v == null ? dflt : v;
    }

    int integer(String name, int dflt) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return dflt;
        }
        return parseInt(name, v);
    }

    long longValue(String name, long dflt) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return dflt;
        }
        return parseLong(name, v);
    }

    static int parseInt(String what, String v) throws UsageException {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": not an integer: " + v);
        }
    }

    static long parseLong(String what, String v) throws UsageException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": not an integer: " + v);
        }
    }
}
