package io.masqharness.cli;

import java.util.List;
import java.util.Map;

/** The short readable summary {@code inspect} prints without {@code --json}: the same answer, line by line. */
final class InspectText {

    private InspectText() {
    }

    @SuppressWarnings("unchecked")
    static String of(Map<String, Object> answer) {
        StringBuilder s = new StringBuilder();
        if (answer.containsKey("nodes")) {
            ((List<Map<String, Object>>) answer.get("nodes")).forEach(n -> node(s, n));
        } else {
            node(s, answer);
        }
        if (answer.containsKey("config")) {
            Map<String, String> c = (Map<String, String>) answer.get("config");
            s.append("cilium-config: ").append(c.size()).append(" keys");
            for (String k : List.of("enable-ipv4-masquerade", "enable-bpf-masquerade", "enable-ip-masq-agent",
                    "kube-proxy-replacement", "tunnel", "routing-mode", "ipv4-native-routing-cidr", "masquerade")) {
                if (c.containsKey(k)) {
                    s.append(", ").append(k).append('=').append(c.get(k));
                }
            }
            s.append('\n');
        }
        if (answer.containsKey("ipMasqAgentConfig")) {
            Map<String, Object> a = (Map<String, Object>) answer.get("ipMasqAgentConfig");
            s.append("ip-masq-agent config: nonMasqueradeCIDRs=").append(a.get("nonMasqueradeCIDRs"))
                    .append(", masqLinkLocal=").append(a.get("masqLinkLocal")).append('\n');
        }
        List<Map<String, Object>> problems = (List<Map<String, Object>>) answer.get("problems");
        if (!problems.isEmpty()) {
            s.append("problems:\n");
            problems.forEach(p -> s.append("  ").append(p.get("file")).append(':').append(p.get("line")).append(": ")
                    .append(p.get("message")).append('\n'));
        }
        return s.toString().stripTrailing();
    }

    @SuppressWarnings("unchecked")
    private static void node(StringBuilder s, Map<String, Object> n) {
        s.append("node ").append(n.getOrDefault("node", "(captured files)")).append('\n');
        if (n.containsKey("status")) {
            Map<String, Object> st = (Map<String, Object>) n.get("status");
            s.append("  masquerading: ").append(st.get("masquerading") == null ? "unknown (see problems)" : st.get("masquerading")
                    + (Boolean.TRUE.equals(st.get("ipMasqAgent")) ? " (ip-masq-agent)" : "") + " devices " + st.get("devices")
                    + " excluded " + st.get("excludedCidrs") + " IPv4 " + st.get("ipv4") + " IPv6 " + st.get("ipv6")).append('\n');
            io.masqharness.inspect.TuningJson.summary((Map<String, Object>) st.get("tuning")).ifPresent(t -> s.append("  tuning: ").append(t).append('\n'));
        }
        if (n.containsKey("ipMasqMap")) {
            s.append("  ipmasq map: ").append(n.get("ipMasqMap")).append('\n');
        }
        if (n.containsKey("nat")) {
            List<Map<String, Object>> nat = (List<Map<String, Object>>) n.get("nat");
            s.append("  nat: ").append(nat.size()).append(" entries, ")
                    .append(nat.stream().filter(e -> "OUT".equals(e.get("direction"))).count()).append(" OUT\n");
        }
        if (n.containsKey("masqueradeRules")) {
            List<Map<String, Object>> rules = (List<Map<String, Object>>) n.get("masqueradeRules");
            s.append("  masquerade rules in CILIUM_ chains: ").append(rules.size()).append('\n');
            rules.forEach(r -> s.append("    ").append(r.get("chain")).append(' ').append(r.get("target")).append(" -s ")
                    .append(r.get("source")).append(" ! -d ").append(r.get("notDestination")).append(" -o ")
                    .append(r.get("outInterface")).append(" /* ").append(r.get("comment")).append(" */\n"));
        }
        if (n.containsKey("checks")) {
            s.append("  checks:\n");
            ((List<Map<String, Object>>) n.get("checks")).forEach(c -> s.append("    ").append(String.format("%-15s", c.get("status")))
                    .append(c.get("check")).append(": ").append(c.get("message")).append('\n'));
            Map<String, Object> x = (Map<String, Object>) n.get("expected");
            s.append("  expected sources (").append(x.get("agent")).append(", from ").append(x.get("from")).append("; ")
                    .append(String.join("; ", (List<String>) x.get("basis"))).append("):\n");
            ((List<Map<String, Object>>) x.get("flows")).forEach(f -> s.append("    ").append(f.get("destination")).append(' ')
                    .append(f.get("address")).append(' ').append(f.get("protocol")).append(": ").append(f.get("source"))
                    .append(f.get("sourceAddress") == null ? "" : " " + f.get("sourceAddress")).append('\n'));
        }
    }
}
