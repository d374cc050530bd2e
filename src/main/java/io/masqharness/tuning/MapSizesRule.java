package io.masqharness.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * eBPF map sizes: {@code bpf.mapDynamicSizeRatio} and explicit sizes ({@code bpf.ctTcpMax}, {@code bpf.ctAnyMax},
 * {@code bpf.natMax}, {@code bpf.neighMax}, {@code bpf.policyMapMax}, {@code bpf.lbMapMax}). Facts §2.12.
 */
final class MapSizesRule {

    static final String SOURCE = "chart cilium-1.13.4 values.yaml and templates/cilium-configmap.yaml (bpf-*-max, bpf-map-dynamic-size-ratio);"
            + " pkg/option/config.go checkMapSizeLimits; Documentation/network/ebpf/maps.rst; facts/cilium-tuning-series.md §2.12";
    static final long MIN = 1 << 10;
    static final long MAX = 1 << 24;
    /** Helm key → cilium-config key, in the chart's order. */
    static final Map<String, String> KEYS = mapOf();

    private MapSizesRule() {
    }

    private static Map<String, String> mapOf() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("bpf.mapDynamicSizeRatio", "bpf-map-dynamic-size-ratio");
        m.put("bpf.ctTcpMax", "bpf-ct-global-tcp-max");
        m.put("bpf.ctAnyMax", "bpf-ct-global-any-max");
        m.put("bpf.natMax", "bpf-nat-global-max");
        m.put("bpf.neighMax", "bpf-neigh-global-max");
        m.put("bpf.policyMapMax", "bpf-policy-map-max");
        m.put("bpf.lbMapMax", "bpf-lb-map-max");
        return java.util.Collections.unmodifiableMap(m);
    }

    static ToggleVerdict judge(TuningContext c) {
        List<String> given = new ArrayList<>();
        KEYS.keySet().forEach(k -> c.values().get(k).ifPresent(x -> given.add(k.substring(4) + "=" + x)));
        String requested = given.isEmpty() ? "default" : String.join(", ", given);
        Verdicts v = new Verdicts(Toggle.MAP_SIZES, requested, !given.isEmpty(), SOURCE);
        String note = c.restartNote(KEYS.keySet().toArray(String[]::new));
        if (given.isEmpty()) {
            return v.of("default", Outcome.OFF, "sizes from the chart's dynamic ratio 0.0025 of total memory (CT, NAT, neighbour maps)"
                    + note, ToggleVerdict.Stage.NONE);
        }
        List<String> problems = new ArrayList<>();
        for (String key : List.of("bpf.ctTcpMax", "bpf.ctAnyMax", "bpf.natMax")) {
            c.values().get(key).ifPresent(x -> range(key, x.toString(), problems));
        }
        c.values().get("bpf.mapDynamicSizeRatio").ifPresent(x -> ratio(x.toString(), problems));
        if (!problems.isEmpty()) {
            return v.of(requested, Outcome.REFUSED, String.join("; ", problems) + note, ToggleVerdict.Stage.VALIDATE, SOURCE,
                    c.values().get("bpf.mapDynamicSizeRatio").isPresent() ? "the ratio's range check was read on main" : null);
        }
        return v.of(requested, Outcome.ON, "explicit sizes override the dynamic ratio; changing the CT sizes recreates the maps at the"
                + " next start (tracked connections may be disrupted); evidence: cilium-config bpf-*-max, `cilium status --verbose`"
                + " BPF Maps" + note, ToggleVerdict.Stage.NONE, SOURCE, "that explicit sizes win over the ratio is read on main (facts [L] for 1.13)");
    }

    private static void range(String key, String value, List<String> problems) {
        long n;
        try {
            n = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            problems.add(key + "=" + value + " is not a number");
            return;
        }
        String what = key.equals("bpf.natMax") ? "specified NAT table size " + n : "specified CT tables values " + n;
        if (n < MIN) {
            problems.add(what + " must exceed minimum " + MIN + " (" + key + ")");
        } else if (n > MAX) {
            problems.add(what + " must not exceed maximum " + MAX + " (" + key + ")");
        }
    }

    private static void ratio(String value, List<String> problems) {
        double r;
        try {
            r = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            problems.add("bpf.mapDynamicSizeRatio=" + value + " is not a number");
            return;
        }
        if (r < 0 || r > 1) {
            problems.add("bpf.mapDynamicSizeRatio=" + value + " must be in [0, 1] (0 turns dynamic sizing off)");
        }
    }
}
