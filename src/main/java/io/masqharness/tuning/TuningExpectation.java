package io.masqharness.tuning;

import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.Optional;
import java.util.Set;

/**
 * A mode's tuning, before the node is known: the live backends read each node's kernel and ask {@link #on} for that node's
 * answer, and confirm {@link #requested} on its agent.
 *
 * @param values   base and mode values flattened
 * @param modeKeys the keys the mode itself sets
 */
public record TuningExpectation(String mode, HelmValues values, Set<String> modeKeys, IpMasqAgentFile file, CiliumVersion version) {

    public TuningExpectation {
        modeKeys = Set.copyOf(modeKeys);
    }

    /** The toggles the mode asks for: each is confirmed on every agent. */
    public Set<Toggle> requested() {
        return TuningRequest.of(values.asMap());
    }

    /**
     * The answer for a node with this kernel ({@code status.nodeInfo.kernelVersion}); an unknown or unreadable kernel is
     * taken as new enough for every toggle, so that only the kernel-free rules explain a fallback.
     */
    public TuningAnswer on(Optional<String> kernel) {
        Kernel k;
        try {
            k = Kernel.parse(kernel.orElse(NEWEST));
        } catch (IllegalArgumentException e) {
            k = Kernel.parse(NEWEST);
        }
        return TuningOracle.judge(mode, values, modeKeys, file, version, k);
    }

    /** A kernel past every threshold the rules know (BIG TCP's 5.19 the highest). */
    static final String NEWEST = "99.0";

    /** The checks of one agent: {@link TuningChecks#judge} with the node's answer. */
    public java.util.List<TuningCheck> judge(Optional<String> kernel, AgentEvidence evidence) {
        return TuningChecks.judge(requested(), on(kernel), evidence);
    }
}
