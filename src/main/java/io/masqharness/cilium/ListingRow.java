package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One row of {@code iptables -L}: the columns its header names ({@code [num] [pkts bytes] target prot opt [in out]
 * source destination}), then the matches iptables prints in words ({@code /* comment *}{@code /},
 * {@code match-set NAME dst}, {@code to:ADDR}). The target column is blank for a rule without {@code -j}.
 */
final class ListingRow {

    static final List<String> DEFAULT_COLUMNS = List.of("target", "prot", "opt", "source", "destination");

    private static final Set<String> OPTS = Set.of("--", "-f", "!f");
    private static final Set<String> ANY_ADDRESS = Set.of("0.0.0.0/0", "anywhere", "::/0");
    private static final Set<String> ANY_PROTOCOL = Set.of("all", "0");

    private ListingRow() {
    }

    static boolean isHeader(String line) {
        List<String> t = Arrays.asList(line.split("\\s+"));
        return t.contains("target") && t.contains("prot") && t.contains("source");
    }

    static List<String> columns(String header) {
        return List.of(header.split("\\s+"));
    }

    /** The row as iptables-save tokens, or null when it does not fit the header. */
    static IptablesRule rule(String table, String chain, List<String> columns, String row) {
        String[] t = row.split("\\s+");
        int i = 0;
        if (columns.contains("num")) {
            i++;
        }
        if (columns.contains("pkts")) {
            i += 2;
        }
        int opt = -1;
        for (int j = i + 1; j < Math.min(t.length, i + 3); j++) {
            if (OPTS.contains(t[j])) {
                opt = j;
                break;
            }
        }
        boolean ifaces = columns.contains("in");
        int addresses = opt + 1 + (ifaces ? 2 : 0);
        if (opt < 0 || t.length < addresses + 2) {
            return null;
        }
        String target = opt - i == 2 ? t[i] : null;
        List<String> tokens = new ArrayList<>();
        if (!ANY_PROTOCOL.contains(t[opt - 1])) {
            tokens.addAll(List.of("-p", t[opt - 1]));
        }
        address(tokens, "-s", t[addresses]);
        address(tokens, "-d", t[addresses + 1]);
        if (ifaces) {
            iface(tokens, "-i", t[opt + 1]);
            iface(tokens, "-o", t[opt + 2]);
        }
        String extra = String.join(" ", Arrays.copyOfRange(t, addresses + 2, t.length));
        matches(tokens, extra);
        if (target != null) {
            tokens.addAll(List.of("-j", target));
        }
        return new IptablesRule(table, chain, List.copyOf(tokens), row);
    }

    private static void address(List<String> tokens, String flag, String value) {
        boolean negated = value.startsWith("!");
        String v = negated ? value.substring(1) : value;
        if (negated || !ANY_ADDRESS.contains(v)) {
            if (negated) {
                tokens.add("!");
            }
            tokens.addAll(List.of(flag, v));
        }
    }

    private static void iface(List<String> tokens, String flag, String value) {
        boolean negated = value.startsWith("!");
        String v = negated ? value.substring(1) : value;
        if (!v.equals("*") && !v.equals("any")) {
            if (negated) {
                tokens.add("!");
            }
            tokens.addAll(List.of(flag, v));
        }
    }

    /** The words iptables prints for matches that the masquerade checks read; the rest is kept as written. */
    private static void matches(List<String> tokens, String extra) {
        String rest = extra;
        int open = rest.indexOf("/* ");
        int close = open < 0 ? -1 : rest.indexOf(" */", open + 3);
        if (open >= 0 && close >= 0) {
            tokens.addAll(List.of("-m", "comment", "--comment", rest.substring(open + 3, close)));
            rest = (rest.substring(0, open) + rest.substring(close + 3)).strip();
        }
        String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        for (int w = 0; w < words.length; w++) {
            if (words[w].equals("match-set") && w + 2 < words.length) {
                tokens.addAll(List.of("-m", "set", "--match-set", words[w + 1], words[w + 2]));
                w += 2;
            } else if (words[w].startsWith("to:")) {
                tokens.addAll(List.of("--to-source", words[w].substring(3)));
            } else {
                tokens.add(words[w]);
            }
        }
    }
}
