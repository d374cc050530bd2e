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

    private enum Type { BOOL, CIDR, CIDR6, CIDR_LIST, TUNNEL, ROUTING_MODE, TUNNEL_PROTOCOL, STRING, STRING_OR_LIST,
        MTU, MAP_SIZE, RATIO, ACCELERATION, LB_MODE, DSR_DISPATCH, ENCRYPTION_TYPE }

    private static final Map<String, Type> CHECKED = new LinkedHashMap<>();

    /**
     * The keys the tuning rules (package io.masqharness.tuning) read and masquerading does not: checked for their
     * type at load, so a wrong one names its field, but not part of what decides masquerading (a replica drops them).
     * Ranges the agent itself checks (an MTU below 1280, a CT map below 1024 entries, best-effort XDP before 1.15)
     * are left to the tuning rules, which predict the agent's refusal.
     */
    private static final Map<String, Type> TUNING = new LinkedHashMap<>();

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

        for (String b : List.of("bandwidthManager.enabled", "bandwidthManager.bbr", "enableIPv6BIGTCP",
                "installNoConntrackIptablesRules", "hubble.enabled", "hubble.relay.enabled", "hubble.ui.enabled",
                "loadBalancer.standalone", "endpointRoutes.enabled", "encryption.enabled", "azure.enabled", "eni.enabled",
                "gke.enabled")) {
            TUNING.put(b, Type.BOOL);
        }
        TUNING.put("MTU", Type.MTU);
        TUNING.put("loadBalancer.acceleration", Type.ACCELERATION);
        TUNING.put("loadBalancer.mode", Type.LB_MODE);
        TUNING.put("loadBalancer.dsrDispatch", Type.DSR_DISPATCH);
        TUNING.put("encryption.type", Type.ENCRYPTION_TYPE);
        TUNING.put("cni.chainingMode", Type.STRING);
        TUNING.put("bpf.mapDynamicSizeRatio", Type.RATIO);
        for (String m : List.of("bpf.ctTcpMax", "bpf.ctAnyMax", "bpf.natMax", "bpf.neighMax", "bpf.policyMapMax", "bpf.lbMapMax")) {
            TUNING.put(m, Type.MAP_SIZE);
        }
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
        Type type = CHECKED.containsKey(key) ? CHECKED.get(key) : TUNING.get(key);
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
            case MTU:
                return wholeNumber(value, 0, Integer.MAX_VALUE, "an MTU, a whole number from 0 (0: the device's MTU)");
            case MAP_SIZE:
                return wholeNumber(value, 0, Long.MAX_VALUE, "a map size, a whole number of entries");
            case RATIO:
                return ratio(value);
            case ACCELERATION:
                return word(value, List.of("disabled", "native", "generic", "best-effort"), " (best-effort from 1.15)");
            case LB_MODE:
                return word(value, List.of("snat", "dsr", "hybrid"), "");
            case DSR_DISPATCH:
                return word(value, List.of("opt", "ipip", "geneve"), " (geneve from 1.14)");
            case ENCRYPTION_TYPE:
                return word(value, List.of("ipsec", "wireguard"), "");
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

    /** One of the allowed words, as given (a number or text); anything else is a problem. */
    private static Object word(Field value, List<String> allowed, String note) {
        String expected = String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1) + note;
        JsonNode n = value.node();
        if (!n.isTextual() || !allowed.contains(n.textValue().strip())) {
            value.unexpected(expected);
            return null;
        }
        return plain(value);
    }

    /** A whole number in [min, max], given as a number or as its digits in text; kept as given. */
    private static Object wholeNumber(Field value, long min, long max, String expected) {
        JsonNode n = value.node();
        Long v = null;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.longValue();
        } else if (n.isTextual() && n.textValue().strip().matches("-?[0-9]{1,18}")) {
            v = Long.parseLong(n.textValue().strip());
        }
        if (v == null || v < min || v > max) {
            value.unexpected(expected);
            return null;
        }
        return plain(value);
    }

    /** bpf.mapDynamicSizeRatio: a fraction of total memory in [0, 1] (0 turns dynamic sizing off), as given. */
    private static Object ratio(Field value) {
        JsonNode n = value.node();
        Double v = null;
        if (n.isNumber()) {
            v = n.doubleValue();
        } else if (n.isTextual()) {
            try {
                v = Double.parseDouble(n.textValue().strip());
            } catch (NumberFormatException e) {
                v = null;
            }
        }
        if (v == null || v.isNaN() || v < 0 || v > 1) {
            value.unexpected("a fraction of total memory from 0 to 1, e.g. 0.0025 (0 turns dynamic sizing off)");
            return null;
        }
        return plain(value);
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
