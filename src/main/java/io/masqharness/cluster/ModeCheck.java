package io.masqharness.cluster;

/**
 * One piece of evidence that a node runs the mode asked for: the status line, the iptables rules,
 * the ip-masq-agent map. {@code NOT_APPLICABLE} is for checks only Cilium can answer, on backends
 * that are not Cilium: never reported as passed.
 */
public record ModeCheck(String node, String check, Status status, String message, String evidence) {

    public enum Status { PASSED, FAILED, NOT_APPLICABLE }

    public static ModeCheck passed(String node, String check, String message, String evidence) {
        return new ModeCheck(node, check, Status.PASSED, message, evidence);
    }

    public static ModeCheck failed(String node, String check, String message, String evidence) {
        return new ModeCheck(node, check, Status.FAILED, message, evidence);
    }

    public static ModeCheck notApplicable(String node, String check, String reason) {
        return new ModeCheck(node, check, Status.NOT_APPLICABLE, reason, "");
    }
}
