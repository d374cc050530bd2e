package io.masqharness.probe.agent;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} options; the agent has no dependencies, so no option library. */
final class Args {

    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    static Args parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        return new Args(values);
    }

    String required(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    int integer(String key, int defaultValue, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("--" + key + " " + v + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " " + v + " is not a whole number");
        }
    }

    /** An {@code IP:PORT} option. */
    record Target(String host, int port) {
        java.net.InetSocketAddress address() {
            return new java.net.InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    Target target(String key) {
        String v = required(key);
        if (v.startsWith("[")) {
            int close = v.indexOf("]:");
            if (close < 2) {
                throw new IllegalArgumentException("--" + key + " must be [IPv6]:PORT, got '" + v + "'");
            }
            return new Target(v.substring(1, close), parse(new String[] {"--port", v.substring(close + 2)}).integer("port", 0, 1, 65535));
        }
        int colon = v.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--" + key + " must be IP:PORT, got '" + v + "'");
        }
        return new Target(v.substring(0, colon), parse(new String[] {"--port", v.substring(colon + 1)}).integer("port", 0, 1, 65535));
    }

    String text(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }
}
