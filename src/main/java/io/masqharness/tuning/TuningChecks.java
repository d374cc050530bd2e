package io.masqharness.tuning;

import io.masqharness.cilium.CiliumInputException;
import io.masqharness.cilium.StatusCapture;
import io.masqharness.cilium.TuningStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each toggle a mode asks for ({@link TuningRequest}), confirmed from what one agent reports: a toggle the agent does not run
 * fails with the agent's own line, and with the oracle's reason when it predicted the fallback. One code path: the live
 * backends and {@code inspect} both call {@link #judge}.
 */
public final class TuningChecks {

    private TuningChecks() {
    }

    /**
     * @param requested the toggles the mode asks for (its flattened values through {@link TuningRequest#of})
     * @param expected  the oracle's answer for the node (its kernel), to explain a fallback
     */
    public static List<TuningCheck> judge(Set<Toggle> requested, TuningAnswer expected, AgentEvidence e) {
        TuningStatus status = TuningStatus.NONE;
        String text = e.status().orElse("");
        String unreadable = null;
        if (e.status().isPresent()) {
            try {
                status = StatusCapture.parse(text).tuning();
            } catch (CiliumInputException ex) {
                unreadable = ex.reason();
            }
        }
        Judging j = new Judging(expected, status, text, unreadable, e);
        List<TuningCheck> checks = new ArrayList<>();
        for (Toggle t : requested) {
            j.check(t).ifPresent(checks::add);
        }
        return checks;
    }

    /** The checks of one agent. */
    private record Judging(TuningAnswer expected, TuningStatus s, String text, String unreadable, AgentEvidence e) {

        Optional<TuningCheck> check(Toggle t) {
            return switch (t) {
                // The Masquerading line has its own check (CiliumModeChecks); judging it twice would only repeat it.
                case BPF_MASQUERADE -> Optional.empty();
                case NATIVE_ROUTING -> Optional.of(nativeRouting());
                case KUBE_PROXY_REPLACEMENT -> Optional.of(statusWord(t, "KubeProxyReplacement",
                        s.kubeProxyReplacement().map(k -> k.mode().printed()), kprWord(), "plain"));
                case DSR -> Optional.of(statusWord(t, "Mode", s.nodePortMode().map(TuningStatus.Printed::printed),
                        word(expected.toggle(t).requested()), "verbose"));
                case NO_CONNTRACK -> Optional.of(noConntrack());
                case HOST_ROUTING -> Optional.of(statusWord(t, s.routing().isPresent() ? "Routing" : "Host Routing",
                        s.hostRouting().map(TuningStatus.Printed::printed), "BPF", "plain"));
                case BIG_TCP_IPV6 -> Optional.of(statusWord(t, "IPv6 BIG TCP", s.ipv6BigTcp().map(b -> b.enabled() ? "Enabled"
                        : "Disabled"), "Enabled", "plain"));
                case HUBBLE -> Optional.of(statusWord(t, "Hubble", s.hubble().map(h -> h.enabled() ? "enabled" : "Disabled"),
                        "Disabled", "plain"));
                case MTU -> Optional.of(mtu());
                case BANDWIDTH_MANAGER -> Optional.of(statusWord(t, "BandwidthManager",
                        s.bandwidthManager().map(b -> b.enabled() ? "EDT with BPF" : "Disabled"), "EDT with BPF", "plain"));
                case BBR -> Optional.of(statusWord(t, "BandwidthManager", s.bandwidthManager().map(b -> b.enabled()
                        ? b.congestionControl().orElse("EDT with BPF (no congestion control printed)") : "Disabled"), "BBR", "plain"));
                case XDP_ACCELERATION -> Optional.of(statusWord(t, "XDP Acceleration", s.xdpAcceleration().map(TuningStatus.Printed::printed),
                        xdpWord(expected.toggle(t).requested()), "verbose"));
                case MAP_SIZES -> Optional.of(mapSizes());
            };
        }

        /** The line's value against the one the mode asks for; absent line: not applicable, saying which capture would tell. */
        private TuningCheck statusWord(Toggle t, String label, Optional<String> shown, String want, String which) {
            if (shown.isEmpty()) {
                if (unreadable != null) {
                    return TuningCheck.failed(t, "the status capture is unreadable: " + unreadable, text);
                }
                return TuningCheck.notApplicable(t, e.status().isEmpty() ? "no `cilium status` captured"
                        : "no readable '" + label + ":' line in the status capture" + (which.equals("verbose")
                        ? " (it is in `cilium status --verbose`)" : ""));
            }
            String line = line(label).orElse(label + ": " + shown.get());
            if (java.util.Arrays.stream(want.split("\\|")).anyMatch(shown.get()::equalsIgnoreCase)) {
                return TuningCheck.passed(t, shown.get() + " as the mode asks", line);
            }
            return TuningCheck.failed(t, "the mode asks for " + want.replace("|", " or ") + ", the agent reports " + shown.get() + prediction(t), line);
        }

        /** The oracle's account of the difference: the fallback or refusal it predicted, or that it did not. */
        private String prediction(Toggle t) {
            ToggleVerdict v = expected.toggle(t);
            return switch (v.outcome()) {
                case FALLBACK, IGNORED, REFUSED -> " (predicted, " + v.outcome().label() + ": " + v.why() + ")";
                default -> " (a silent fallback the oracle did not predict: see the agent log)";
            };
        }

        /** strict is read as true from 1.15 (VersionRule KPR_STRICT_115): either word then. */
        private String kprWord() {
            String r = expected.toggle(Toggle.KUBE_PROXY_REPLACEMENT).requested();
            return r.equals("strict") ? "Strict|True" : word(r);
        }

        private TuningCheck nativeRouting() {
            Toggle t = Toggle.NATIVE_ROUTING;
            if (s.routing().isPresent()) {
                return statusWord(t, "Routing", s.routing().map(r -> r.network().printed()), "Native", "plain");
            }
            Optional<Map<String, String>> config = e.config();
            Optional<String> mode = config.flatMap(c -> Optional.ofNullable(c.get("routing-mode")));
            Optional<String> tunnel = config.flatMap(c -> Optional.ofNullable(c.get("tunnel")));
            if (mode.isPresent() || tunnel.isPresent()) {
                boolean nativeMode = mode.map("native"::equals).orElse(tunnel.map("disabled"::equals).orElse(false));
                String line = mode.map(m -> "routing-mode: " + m).orElse("tunnel: " + tunnel.orElse(""));
                return nativeMode ? TuningCheck.passed(t, "native routing in cilium-config (no status line before 1.16)", line)
                        : TuningCheck.failed(t, "the mode asks for native routing, cilium-config says " + line + prediction(t), line);
            }
            return TuningCheck.notApplicable(t, "Cilium before 1.16 prints no routing line, and cilium-config "
                    + (config.isPresent() ? "has neither routing-mode nor tunnel" : "was not captured"));
        }

        private TuningCheck noConntrack() {
            Toggle t = Toggle.NO_CONNTRACK;
            if (e.iptablesRaw().isEmpty()) {
                return TuningCheck.notApplicable(t, "no status line shows it; `iptables-save -t raw` in the agent was not captured");
            }
            List<String> rules = e.iptablesRaw().get().lines().filter(l -> l.contains("NOTRACK for pod traffic")).toList();
            return rules.isEmpty()
                    ? TuningCheck.failed(t, "the mode asks for the conntrack bypass, the raw table has no 'cilium: NOTRACK for pod traffic'"
                    + " rule" + prediction(t), e.iptablesRaw().get())
                    : TuningCheck.passed(t, rules.size() + " 'cilium: NOTRACK for pod traffic' rules in the raw table", String.join("\n", rules));
        }

        private TuningCheck mtu() {
            Toggle t = Toggle.MTU;
            String want = expected.toggle(t).requested();
            Optional<String> configured = e.config().flatMap(c -> Optional.ofNullable(c.get("mtu"))).map(String::strip);
            Optional<String> device = e.ciliumHostMtu().map(String::strip).filter(m -> !m.isEmpty());
            if (configured.isPresent() && !configured.get().equals(want)) {
                return TuningCheck.failed(t, "the mode asks for MTU " + want + ", cilium-config says mtu: " + configured.get(),
                        "mtu: " + configured.get());
            }
            if (device.isPresent()) {
                return device.get().equals(want)
                        ? TuningCheck.passed(t, "cilium_host has MTU " + want, "cilium_host mtu " + device.get())
                        : TuningCheck.failed(t, "the mode asks for MTU " + want + ", cilium_host has " + device.get()
                        + " (the agent has not applied it: restarted?)", "cilium_host mtu " + device.get());
            }
            return configured.isPresent()
                    ? TuningCheck.passed(t, "cilium-config says mtu: " + want + " (the device's MTU was not captured)", "mtu: " + want)
                    : TuningCheck.notApplicable(t, "no status line shows the MTU; neither cilium-config nor cilium_host's MTU was captured");
        }

        private TuningCheck mapSizes() {
            Toggle t = Toggle.MAP_SIZES;
            if (e.config().isEmpty()) {
                return TuningCheck.notApplicable(t, "cilium-config was not captured (the status shows sizes only with --verbose)");
            }
            List<String> wrong = new ArrayList<>();
            List<String> right = new ArrayList<>();
            for (String item : expected.toggle(t).requested().split(", ")) {
                String helmKey = "bpf." + item.substring(0, item.indexOf('='));
                String value = item.substring(item.indexOf('=') + 1);
                String key = MapSizesRule.KEYS.get(helmKey);
                String got = e.config().get().get(key);
                (value.equals(got) ? right : wrong).add(key + ": " + got);
            }
            return wrong.isEmpty() ? TuningCheck.passed(t, "cilium-config carries the sizes the mode asks for", String.join("\n", right))
                    : TuningCheck.failed(t, "cilium-config does not carry the sizes the mode asks for (" + expected.toggle(t).requested()
                    + ")", String.join("\n", wrong));
        }

        /** The first line of the capture with this label, as the agent printed it. */
        private Optional<String> line(String label) {
            return text.lines().map(String::strip).filter(l -> l.startsWith(label + ":")).findFirst();
        }
    }

    /** {@code strict} → {@code Strict}, {@code dsr} → {@code DSR}: as the status prints a mode's value. */
    static String word(String value) {
        return switch (value) {
            case "dsr" -> "DSR";
            case "snat" -> "SNAT";
            default -> value.isEmpty() ? value : Character.toUpperCase(value.charAt(0)) + value.substring(1);
        };
    }

    static String xdpWord(String value) {
        return value.equals("best-effort") ? "Best-Effort" : word(value);
    }
}
