package io.masqharness.upgrade;

import java.util.List;

/**
 * What an upgrade from one Cilium version to another changes for a scenario's modes, as {@code upgrade}
 * prints it. The JSON shape is the command's contract:
 * {@code {"from","to","modes":[{"mode","before":{"effectiveMode","refused"},"after":{"effectiveMode","refused"},
 * "changes":[{"from","to","protocol","before","after"}]}],"values":[{"key","problem","suggestion"}],"unverified":[...]}}.
 */
public record UpgradeReport(String from, String to, List<Mode> modes, List<Value> values, List<String> unverified) {

    /** Nothing changes. */
    public static final int UNCHANGED = 0;
    /** Some mode's implementation, or some flow's source, changes. */
    public static final int CHANGED = 1;
    /** A mode would break: Cilium or Helm refuses it after the upgrade. */
    public static final int BREAKS = 2;

    public UpgradeReport {
        modes = List.copyOf(modes);
        values = List.copyOf(values);
        unverified = List.copyOf(unverified);
    }

    /** One mode before and after, and every flow whose source changes. */
    public record Mode(String mode, Side before, Side after, List<Change> changes) {
        public Mode {
            changes = List.copyOf(changes);
        }

        public boolean changed() {
            return !before.equals(after) || !changes.isEmpty();
        }
    }

    /**
     * @param effectiveMode iptables, bpf or disabled (IPv4 masquerading), or refused
     * @param refused       null, or why Cilium (the agent) or Helm refuses the mode
     */
    public record Side(String effectiveMode, String refused) {
    }

    /**
     * @param from     the flow's source, {@code pod:NODE}
     * @param to       the destination's name (as in the scenario), or {@code node:NODE} / {@code pod:NODE}
     * @param protocol tcp, udp, icmp-echo, ...
     * @param before   the source it leaves with before: node-ip, pod-ip, router-ip or dropped
     * @param after    the same after the upgrade
     */
    public record Change(String from, String to, String protocol, String before, String after) {
    }

    /** A value that must change for the target version (or should: deprecations), with its replacement. */
    public record Value(String key, String problem, String suggestion) {
    }

    /** 0 nothing changes, 1 something changes, 2 a mode would break after the upgrade. */
    public int exitCode() {
        if (modes.stream().anyMatch(m -> m.after().refused() != null)) {
            return BREAKS;
        }
        return modes.stream().anyMatch(Mode::changed) ? CHANGED : UNCHANGED;
    }
}
