package io.masqharness.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens Helm values to dotted keys and checks the ones masquerading depends on. Other keys pass
 * through to Helm untouched (Cilium has hundreds), except near-misses of a checked key, which are
 * almost always typos that would silently test the wrong mode.
 */
final class HelmValueRules {

    private enum Type { BOOL, CIDR, CIDR6, CIDR_LIST, TUNNEL, ROUTING_MODE, TUNNEL_PROTOCOL, STRING, STRING_OR_LIST }

    private static final Map<String, Type> CHECKED = new LinkedHashMap<>();

    static {
        for (String b : List.of("bpf.masquerade", "ipMasqAgent.enabled", "enableIPv4Masquerade",
                "enableIPv6Masquerade", "ipv4.enabled", "ipv6.enabled", "remoteNodeIdentity", "nodePort.enabled",
                "socketLB.enabled", "autoDirectNodeRoutes", "sctp.enabled", "bpf.hostLegacyRouting",
                "iptablesRandomFully", "ipMasqAgent.config.masqLinkLocal", "ipMasqAgent.config.masqLinkLocalIPv6",
                "enableMasqueradeRouteSource", "hostFirewall.enabled")) {
            CHECKED.put(b, Type.BOOL);
        }
        CHECKED.put("ipv4NativeRoutingCIDR", Type.CIDR);
        CHECKED.put("ipv6NativeRoutingCIDR", Type.CIDR6);
        CHECKED.put("ipMasqAgent.config.nonMasqueradeCIDRs", Type.CIDR_LIST);
        CHECKED.put("tunnel", Type.TUNNEL);
        CHECKED.put("routingMode", Type.ROUTING_MODE);
        CHECKED.put("tunnelProtocol", Type.TUNNEL_PROTOCOL);
        CHECKED.put("kubeProxyReplacement", Type.STRING);
        CHECKED.put("egressMasqueradeInterfaces", Type.STRING);
        CHECKED.put("devices", Type.STRING_OR_LIST);
    }

    private HelmValueRules() {
    }

    /** Whether the oracle reads this Helm value: what a replica of a cluster must keep. */
    static boolean decidesMasquerading(String key) {
        return CHECKED.containsKey(key) || key.startsWith("ipMasqAgent.");
    }

    /** Returns the values flattened to dotted keys, recording problems into the field. */
    static Map<String, Object> flatten(Field values, boolean dualStack) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (!values.present()) {
            return result;
        }
        if (!values.node().isObject()) {
            values.unexpected("a mapping of Helm values (dotted keys as in --set, or nested)");
            return result;
        }
        flattenInto("", values, result, dualStack);
        return result;
    }

    private static void flattenInto(String prefix, Field field, Map<String, Object> out, boolean dualStack) {
        for (Map.Entry<String, Field> e : field.entries()) {
            String key = prefix + e.getKey();
            Field value = e.getValue();
            if (value.node().isObject() && !value.node().isEmpty()) {
                flattenInto(key + ".", value, out, dualStack);
                continue;
            }
            if (out.containsKey(key)) {
                value.problem("Helm value " + key + " is given twice (once nested, once dotted)");
                continue;
            }
            Object checked = check(key, value, dualStack);
            if (checked != null) {
                out.put(key, checked);
            }
        }
    }

    private static Object check(String key, Field value, boolean dualStack) {
        Type type = CHECKED.get(key);
        if (type == null) {
            Field.suggestion(key, CHECKED.keySet(), 2)
                    .ifPresent(s -> value.problem("unknown Helm value '" + key + "' (did you mean '" + s + "'?)"));
            return plain(value);
        }
        switch (type) {
            case BOOL:
                return value.bool().orElse(null);
            case CIDR:
                return value.cidr().map(Cidr::toString).orElse(null);
            case CIDR6:
                return value.cidr6().map(Cidr6::toString).orElse(null);
            case CIDR_LIST: {
                List<String> cidrs = new ArrayList<>();
                for (Field item : value.list("a list of IPv4 CIDRs")) {
                    nonMasqueradeCidr(item, dualStack).ifPresent(cidrs::add);
                }
                return cidrs;
            }
            case TUNNEL:
                return oneOf(value, List.of("vxlan", "geneve", "disabled"), "(Helm 'tunnel', read up to 1.14)");
            case ROUTING_MODE:
                return oneOf(value, List.of("native", "tunnel"), "(Helm 'routingMode', 1.14 on)");
            case TUNNEL_PROTOCOL:
                return oneOf(value, List.of("vxlan", "geneve"), "(Helm 'tunnelProtocol', 1.14 on)");
            case STRING_OR_LIST:
                return plain(value);
            default:
                return value.node().isValueNode() && !value.node().isNull() ? value.node().asText()
                        : value.text("a text value").orElse(null);
        }
    }

    private static String oneOf(Field value, List<String> allowed, String which) {
        String expected = String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
        String t = value.text(expected).orElse(null);
        if (t != null && !allowed.contains(t)) {
            value.unexpected(expected + " " + which);
            return null;
        }
        return t;
    }

    /**
     * A {@code nonMasqueradeCIDRs} entry as canonical text. On a dual-stack cluster an IPv6 entry is
     * accepted on purpose: Cilium 1.13's agent then rejects the whole file (pkg/ipmasq/ipmasq.go:63-71
     * at v1.13.4), which the oracle predicts and a run can show. On an IPv4-only cluster it can only
     * be a mistake, and is refused as before.
     */
    static java.util.Optional<String> nonMasqueradeCidr(Field item, boolean dualStack) {
        boolean v6 = item.node() != null && item.node().isTextual() && io.masqharness.net.Ipv4.looksLikeIpv6(item.node().textValue());
        return v6 && dualStack ? item.cidr6().map(Cidr6::toString) : item.cidr().map(Cidr::toString);
    }

    private static Object plain(Field value) {
        JsonNode n = value.node();
        if (n.isNull()) {
            value.unexpected("a value (omit the key to use the chart's default)");
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isArray()) {
            List<Object> items = new ArrayList<>();
            n.forEach(i -> items.add(i.isValueNode() ? i.asText() : i.toString()));
            return items;
        }
        if (n.isObject()) {
            return Map.of();
        }
        return n.asText();
    }
}
