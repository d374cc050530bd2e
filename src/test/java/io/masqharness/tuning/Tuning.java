package io.masqharness.tuning;

import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Test fixtures: a K3s-style native-routing base (the masquerade-toggle scenario's values) and answers on it. */
final class Tuning {

    /** scenarios/masquerade-toggle.yaml's base values: native routing, full KPR, BPF masquerading. */
    static Map<String, Object> base() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("tunnel", "disabled");
        v.put("ipv4NativeRoutingCIDR", "10.42.0.0/16");
        v.put("autoDirectNodeRoutes", true);
        v.put("kubeProxyReplacement", "strict");
        v.put("bpf.masquerade", true);
        return v;
    }

    static Map<String, Object> with(Map<String, Object> v, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>(v);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove((String) kv[i]);
            } else {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    static TuningAnswer answer(String version, String kernel, Map<String, Object> values) {
        return answer(version, kernel, values, Set.of());
    }

    static TuningAnswer answer(String version, String kernel, Map<String, Object> values, Set<String> modeKeys) {
        return TuningOracle.judge("m", HelmValues.of(values), modeKeys, new IpMasqAgentFile.Absent(), CiliumVersion.parse(version),
                Kernel.parse(kernel));
    }

    static ToggleVerdict v(TuningAnswer a, Toggle t) {
        return a.toggle(t);
    }

    private Tuning() {
    }
}
