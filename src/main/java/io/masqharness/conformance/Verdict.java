package io.masqharness.conformance;

import io.masqharness.oracle.Expectation;
import java.util.List;

/** Expected versus observed for one cell, with the evidence and the oracle's reason. */
public record Verdict(boolean passed, boolean applicable, String message) {

    /** A cell nobody can judge on this backend: reported as skipped with the reason, never as passed. */
    public static Verdict notApplicable(String reason) {
        return new Verdict(false, false, reason);
    }

    public static Verdict judge(Cell cell, Expectation expected, Observation observed) {
        String want = switch (expected.source()) {
            case NODE_IP -> expected.sourceAddress().map(Object::toString).orElse("?");
            case POD_IP -> cell.podAddress();
            default -> null;
        };
        boolean passed = want == null
                ? !observed.answered() && observed.sources().isEmpty() && expected.source() == Expectation.Source.DROPPED
                : observed.answered() && observed.sources().equals(List.of(want));
        String observedText = observed.sources().isEmpty() ? "nothing arrived" : "arrived from " + String.join(", ", observed.sources());
        String message = cell + ": expected " + expected.source().label() + (want == null ? "" : " " + want)
                + ", observed " + observedText + (observed.answered() ? " (answered)" : " (no answer)")
                + "\n  why expected: " + expected.reason()
                + "\n  evidence: " + (observed.evidence().isBlank() ? "(none)" : observed.evidence().strip().replace("\n", "\n    "));
        return new Verdict(passed, true, message);
    }
}
