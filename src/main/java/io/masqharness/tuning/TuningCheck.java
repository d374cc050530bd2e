package io.masqharness.tuning;

/**
 * One toggle the mode asks for, held against what one agent reports. {@code NOT_APPLICABLE} when the capture has no line
 * that could tell (never reported as passed).
 *
 * @param evidence the agent's own line (status line, cilium-config key, device MTU, iptables rule)
 */
public record TuningCheck(Toggle toggle, Status status, String message, String evidence) {

    public enum Status { PASSED, FAILED, NOT_APPLICABLE }

    static TuningCheck passed(Toggle t, String message, String evidence) {
        return new TuningCheck(t, Status.PASSED, message, evidence);
    }

    static TuningCheck failed(Toggle t, String message, String evidence) {
        return new TuningCheck(t, Status.FAILED, message, evidence);
    }

    static TuningCheck notApplicable(Toggle t, String reason) {
        return new TuningCheck(t, Status.NOT_APPLICABLE, reason, "");
    }

    /** The name the check goes by in mode checks and reports: {@code tuning hostRouting}. */
    public String name() {
        return checkName(toggle);
    }

    /** The check's name for a toggle: what a backend that cannot honour the toggle reports as not applicable. */
    public static String checkName(Toggle t) {
        return "tuning " + t.jsonName();
    }
}
