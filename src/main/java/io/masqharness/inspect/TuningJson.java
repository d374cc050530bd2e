package io.masqharness.inspect;

import io.masqharness.cilium.TuningStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code status.tuning} of {@code inspect --json}: one field per tuning line the capture shows, values as Cilium
 * prints them; a line the capture does not show has no field (never a default).
 */
public final class TuningJson {

    private TuningJson() {
    }

    static Map<String, Object> of(TuningStatus t) {
        Map<String, Object> j = new LinkedHashMap<>();
        t.kubeProxyReplacement().ifPresent(k -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", k.mode().printed());
            m.put("devices", k.devices());
            m.put("directRoutingDevice", k.directRoutingDevice().orElse(null));
            j.put("kubeProxyReplacement", m);
        });
        t.hostRouting().ifPresent(h -> j.put("hostRouting", h.printed()));
        t.routing().ifPresent(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("network", r.network().printed());
            m.put("tunnelProtocol", r.tunnelProtocol().orElse(null));
            m.put("host", r.host().printed());
            j.put("routing", m);
        });
        t.attachMode().ifPresent(a -> j.put("attachMode", a));
        t.deviceMode().ifPresent(d -> j.put("deviceMode", d));
        t.bandwidthManager().ifPresent(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("enabled", b.enabled());
            m.put("congestionControl", b.congestionControl().orElse(null));
            m.put("devices", b.devices());
            j.put("bandwidthManager", m);
        });
        t.ipv4BigTcp().ifPresent(b -> j.put("ipv4BigTcp", bigTcp(b)));
        t.ipv6BigTcp().ifPresent(b -> j.put("ipv6BigTcp", bigTcp(b)));
        t.hubble().ifPresent(h -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", h.state());
            m.put("enabled", h.enabled());
            j.put("hubble", m);
        });
        t.nodePortMode().ifPresent(n -> j.put("nodePortMode", n.printed()));
        t.dsrDispatchMode().ifPresent(d -> j.put("dsrDispatchMode", d));
        t.xdpAcceleration().ifPresent(x -> j.put("xdpAcceleration", x.printed()));
        return j;
    }

    private static Map<String, Object> bigTcp(TuningStatus.BigTcp b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", b.enabled());
        m.put("maxGro", b.maxGro().orElse(null));
        m.put("maxGso", b.maxGso().orElse(null));
        return m;
    }

    /** One line for the text summary, or empty when the capture shows no tuning line. */
    public static Optional<String> summary(Map<String, Object> tuning) {
        if (tuning == null || tuning.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder();
        tuning.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return Optional.of(s.toString());
    }
}
