package io.masqharness.tuning;

import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.MasqueradeMode;
import java.util.Optional;

/**
 * eBPF masquerading ({@code bpf.masquerade=true}): the masquerading oracle's answer, its silent fallback to iptables
 * (up to 1.14) or its refusal (1.15+), as a tuning toggle. Facts/cilium-1.13-masquerading.md; tuning facts §1.4.
 */
final class BpfMasqueradeRule {

    static final String SOURCE = "io.masqharness.oracle.AgentConfigDeriver (daemon/cmd/daemon.go newDaemon BPF masquerade checks;"
            + " PR #29778 for 1.15's refusal); facts/cilium-tuning-series.md §1.4";

    private BpfMasqueradeRule() {
    }

    /** @param agent the oracle's configuration, empty when it refused; {@code refusal} its message then */
    static ToggleVerdict judge(TuningContext c, Optional<AgentConfig> agent, Optional<String> refusal) {
        boolean asked = c.bool("bpf.masquerade", false);
        Verdicts v = new Verdicts(Toggle.BPF_MASQUERADE, asked ? "bpf" : "iptables", c.set("bpf.masquerade"), SOURCE);
        String note = c.restartNote("bpf.masquerade");
        if (refusal.isPresent()) {
            return v.of(asked ? "bpf" : "iptables", Outcome.REFUSED, refusal.get() + note, ToggleVerdict.Stage.MASQUERADE);
        }
        MasqueradeMode mode = agent.map(AgentConfig::mode).orElse(c.bpfMasquerade() ? MasqueradeMode.BPF
                : c.masquerading() ? MasqueradeMode.IPTABLES : MasqueradeMode.DISABLED);
        String effective = mode.label().toLowerCase();
        String evidence = " (evidence: `Masquerading: " + (mode == MasqueradeMode.BPF ? "BPF" : mode == MasqueradeMode.IPTABLES
                ? "IPTables" : "Disabled") + " …`)";
        if (mode == MasqueradeMode.DISABLED) {
            return v.of("disabled", asked ? Outcome.FALLBACK : Outcome.OFF, "IPv4 masquerading is off (enableIPv4Masquerade=false)"
                    + (asked ? ": bpf.masquerade has nothing to do" : "") + evidence + note, ToggleVerdict.Stage.MASQUERADE);
        }
        if (asked && mode != MasqueradeMode.BPF) {
            Optional<String> fallback = agent.flatMap(AgentConfig::fallback);
            return v.of(effective, Outcome.FALLBACK, fallback.orElse("BPF masquerading is not in force") + " This also forces legacy"
                    + " host routing ('BPF masquerade could not be enabled. Falling back to legacy host routing')" + evidence + note,
                    ToggleVerdict.Stage.MASQUERADE);
        }
        return v.of(effective, asked ? Outcome.ON : Outcome.OFF, asked ? "BPF masquerading on the devices (TCP, UDP, ICMP echo only)"
                + evidence + note : "iptables masquerading; BPF host routing then falls back to legacy" + evidence + note,
                ToggleVerdict.Stage.MASQUERADE);
    }
}
