package io.masqharness.tuning;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which toggles a mode asks for, from its flattened Helm values (base and mode, dotted keys as {@code --set} spells them):
 * a toggle is asked for when the values set its key to something other than the chart's default. Backends that cannot
 * honour a toggle (the lab's reference datapath) report it as not applicable from this list.
 */
public final class TuningRequest {

    private TuningRequest() {
    }

    public static Set<Toggle> of(Map<String, ?> values) {
        Set<Toggle> t = EnumSet.noneOf(Toggle.class);
        if ("disabled".equals(text(values, "tunnel")) || "native".equals(text(values, "routingMode"))) {
            t.add(Toggle.NATIVE_ROUTING);
        }
        String kpr = text(values, "kubeProxyReplacement");
        if (kpr != null && !kpr.equals("disabled") && !kpr.equals("false")) {
            t.add(Toggle.KUBE_PROXY_REPLACEMENT);
        }
        flag(values, "bpf.masquerade", true, Toggle.BPF_MASQUERADE, t);
        String lb = text(values, "loadBalancer.mode");
        if (lb != null && !lb.equals("snat")) {
            t.add(Toggle.DSR);
        }
        flag(values, "installNoConntrackIptablesRules", true, Toggle.NO_CONNTRACK, t);
        flag(values, "bpf.hostLegacyRouting", false, Toggle.HOST_ROUTING, t);
        flag(values, "enableIPv6BIGTCP", true, Toggle.BIG_TCP_IPV6, t);
        flag(values, "hubble.enabled", false, Toggle.HUBBLE, t);
        String mtu = text(values, "MTU");
        if (mtu != null && !mtu.equals("0")) {
            t.add(Toggle.MTU);
        }
        flag(values, "bandwidthManager.enabled", true, Toggle.BANDWIDTH_MANAGER, t);
        flag(values, "bandwidthManager.bbr", true, Toggle.BBR, t);
        String xdp = text(values, "loadBalancer.acceleration");
        if (xdp != null && !xdp.equals("disabled")) {
            t.add(Toggle.XDP_ACCELERATION);
        }
        if (MapSizesRule.KEYS.keySet().stream().anyMatch(values::containsKey)) {
            t.add(Toggle.MAP_SIZES);
        }
        return t;
    }

    /** Asked for when the key is set to {@code asking} (true: turn on; false for hostLegacyRouting and hubble). */
    private static void flag(Map<String, ?> values, String key, boolean asking, Toggle toggle, Set<Toggle> into) {
        if (String.valueOf(asking).equals(text(values, key))) {
            into.add(toggle);
        }
    }

    private static String text(Map<String, ?> values, String key) {
        Object v = values.get(key);
        return v == null ? null : v.toString().strip().toLowerCase();
    }
}
