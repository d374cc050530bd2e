package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cilium-config keys as the 1.13 agent reads them. Older captures carry earlier names ({@code masquerade}
 * before 1.10, {@code native-routing-cidr} before 1.12) and newer ones later names ({@code routing-mode} and
 * {@code tunnel-protocol} for {@code tunnel}, {@code kube-proxy-replacement: "true"} for {@code strict} from
 * 1.14). Each is mapped to the 1.13 key only when that key is absent, and every mapping is reported.
 */
public final class ConfigKeys {

    /** The configuration in 1.13's keys, and what was mapped or contradicts. */
    public record Effective(Map<String, String> config, List<InputProblem> problems) {
    }

    private ConfigKeys() {
    }

    public static Effective for113(Map<String, String> captured) {
        Map<String, String> c = new LinkedHashMap<>(captured);
        List<InputProblem> problems = new ArrayList<>();
        alias(c, problems, "masquerade", "enable-ipv4-masquerade", "the pre-1.10 name");
        alias(c, problems, "native-routing-cidr", "ipv4-native-routing-cidr", "the pre-1.12 name");
        String routing = captured.get("routing-mode");
        if (routing != null && !captured.containsKey("tunnel")) {
            String tunnel = routing.equals("native") ? "disabled" : captured.getOrDefault("tunnel-protocol", "vxlan");
            c.put("tunnel", tunnel);
            problems.add(InputProblem.at(0, "routing-mode=" + routing + " (Cilium 1.14+) read as tunnel=" + tunnel));
        }
        String kpr = captured.get("kube-proxy-replacement");
        if ("true".equals(kpr) || "false".equals(kpr)) {
            String mode = kpr.equals("true") ? "strict" : "disabled";
            c.put("kube-proxy-replacement", mode);
            problems.add(InputProblem.at(0, "kube-proxy-replacement=" + kpr + " (Cilium 1.14+) read as " + mode));
        }
        return new Effective(c, problems);
    }

    private static void alias(Map<String, String> c, List<InputProblem> problems, String older, String key, String which) {
        String old = c.get(older);
        if (old == null) {
            return;
        }
        String current = c.get(key);
        if (current == null) {
            c.put(key, old);
            problems.add(InputProblem.at(0, "'" + older + "' (" + which + " of '" + key + "') read as " + key + "=" + old));
        } else if (!current.equals(old)) {
            problems.add(InputProblem.at(0, "'" + older + "'=" + old + " (" + which + ") contradicts '" + key + "'=" + current
                    + "; Cilium 1.13 reads '" + key + "'"));
        }
    }
}
