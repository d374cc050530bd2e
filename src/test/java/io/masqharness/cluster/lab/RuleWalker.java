package io.masqharness.cluster.lab;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a packet through the rules {@link LabRules#forMode} writes, the way netfilter does at
 * POSTROUTING (mangle, then nat): for tests of what the rules do to a flow rather than what text
 * they contain. It knows only the matches and targets the lab writes (-s, -d, -p, --icmp-type,
 * --match-set dst, --mark, comments; RETURN, DROP, ACCEPT, MARK --set-xmark, MASQUERADE, CT --notrack, jumps),
 * and fails on anything else, so a rule it cannot read is never silently skipped.
 */
final class RuleWalker {

    enum Fate { SNAT, UNCHANGED, DROPPED }

    /** @param icmpType {@code echo-request}, {@code echo-reply}, {@code timestamp-request}, ...; null unless icmp */
    record Packet(String src, String dst, String protocol, String icmpType) {
        static Packet of(String src, String dst, String protocol) {
            return protocol.startsWith("icmp-") ? new Packet(src, dst, "icmp", protocol.substring("icmp-".length()))
                    : new Packet(src, dst, protocol, null);
        }
    }

    static final String EGRESS = "eth0";

    private final Map<String, List<List<String>>> chains = new LinkedHashMap<>();
    private final Set<String> nodeSet;
    private int mark;

    /** @param restore the {@code iptables-restore} input of a mode */
    RuleWalker(String restore, Set<String> nodeSet) {
        this.nodeSet = nodeSet;
        String table = "";
        for (String line : restore.lines().toList()) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith("-A ")) {
                List<String> words = words(line);
                chains.computeIfAbsent(table + "/" + words.get(1), k -> new ArrayList<>()).add(words.subList(2, words.size()));
            }
        }
    }

    Fate walk(Packet p) {
        boolean tracked = tracked(p); // raw PREROUTING, before mangle and nat
        mark = 0;
        String mangle = chain("mangle", LabRules.BPF_CHAIN, p);
        if (mangle.equals("DROP")) {
            return Fate.DROPPED;
        }
        if (!tracked) {
            return Fate.UNCHANGED; // netfilter's nat table never sees an untracked flow
        }
        String nat = chain("nat", io.masqharness.cilium.MasqueradeRules.CHAIN, p);
        if (nat.equals("MASQUERADE")) {
            return Fate.SNAT;
        }
        if (nat.equals("ACCEPT")) {
            return Fate.UNCHANGED; // accepted in nat POSTROUTING: the chains after it are not reached
        }
        return chain("nat", LabRules.BPF_NAT_CHAIN, p).equals("MASQUERADE") ? Fate.SNAT : Fate.UNCHANGED;
    }

    /**
     * Whether conntrack tracks the packet as it arrives from a pod (raw PREROUTING): the lab's exemption chain is fed
     * first (ACCEPT ends the raw table: tracked), then Cilium's CILIUM_PRE_raw ({@code CT --notrack}: untracked).
     */
    boolean tracked(Packet p) {
        mark = 0;
        if (chain("raw", LabRules.NOTRACK_EXEMPT_CHAIN, p).equals("ACCEPT")) {
            return true;
        }
        return !chain("raw", LabRules.PRE_RAW_CHAIN, p).equals("CT");
    }

    /** The verdict of a chain for the packet: a terminal target, or "RETURN" when it falls off the end. */
    private String chain(String table, String name, Packet p) {
        for (List<String> rule : chains.getOrDefault(table + "/" + name, List.of())) {
            if (!matches(rule, p)) {
                continue;
            }
            int j = rule.indexOf("-j");
            String target = rule.get(j + 1);
            switch (target) {
                case "RETURN":
                    return "RETURN";
                case "DROP", "ACCEPT", "MASQUERADE":
                    return target;
                case "CT":
                    if (!rule.contains("--notrack")) {
                        throw new IllegalArgumentException("the walker knows only CT --notrack: " + rule);
                    }
                    return "CT";
                case "MARK":
                    mark |= Integer.decode(rule.get(rule.indexOf("--set-xmark") + 1).split("/")[0]);
                    break;
                default:
                    String verdict = chain(table, target, p);
                    if (!verdict.equals("RETURN")) {
                        return verdict;
                    }
            }
        }
        return "RETURN";
    }

    private boolean matches(List<String> rule, Packet p) {
        for (int i = 0; i < rule.size(); i++) {
            String w = rule.get(i);
            boolean not = w.equals("!");
            if (not) {
                w = rule.get(++i);
            }
            boolean hit;
            switch (w) {
                case "-s" -> hit = in(p.src(), rule.get(++i));
                case "-d" -> hit = in(p.dst(), rule.get(++i));
                case "-p" -> hit = p.protocol().equals(rule.get(++i));
                case "-o" -> {
                    String device = rule.get(++i);
                    // Every flow walked here leaves by the node's eth0, never a cilium_ device.
                    hit = device.endsWith("+") ? EGRESS.startsWith(device.substring(0, device.length() - 1)) : EGRESS.equals(device);
                }
                case "--icmp-type" -> hit = rule.get(++i).equals(p.icmpType());
                case "--match-set" -> {
                    i += 2;
                    hit = nodeSet.contains(p.dst());
                }
                case "--mark" -> {
                    String[] m = rule.get(++i).split("/");
                    hit = (mark & Integer.decode(m[1])) == Integer.decode(m[0]);
                }
                case "--comment" -> {
                    i++;
                    hit = true;
                }
                case "-m" -> {
                    i++;
                    hit = true;
                }
                case "-j" -> {
                    return true;
                }
                default -> throw new IllegalArgumentException("the walker cannot read '" + w + "' in " + rule);
            }
            if (hit == not) {
                return false;
            }
        }
        return true;
    }

    private static boolean in(String ip, String cidr) {
        return Cidr.parse(cidr.contains("/") ? cidr : cidr + "/32").contains(Ipv4.parse(ip));
    }

    /** Words of a rule, a quoted comment as one. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (!w.isEmpty()) {
                    words.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (!w.isEmpty()) {
            words.add(w.toString());
        }
        return words;
    }
}
