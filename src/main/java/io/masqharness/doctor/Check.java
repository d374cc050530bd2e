package io.masqharness.doctor;

/**
 * One thing a backend needs on this machine, as {@code doctor} prints it and as a skipped suite
 * gives its reason: what was found, and the fix when it is not enough.
 */
public record Check(String name, Status status, String found, String fix) {

    public enum Status { PASS, WARN, FAIL }

    public static Check pass(String name, String found) {
        return new Check(name, Status.PASS, found, "");
    }

    public static Check warn(String name, String found, String fix) {
        return new Check(name, Status.WARN, found, fix);
    }

    public static Check fail(String name, String found, String fix) {
        return new Check(name, Status.FAIL, found, fix);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    /** {@code FAIL  privileged containers   Docker refused ...} and, indented below, the fix. */
    public String line() {
        return String.format("%-4s  %-24s %s", status, name, found) + (fix.isEmpty() ? "" : "\n      fix: " + fix);
    }

    /** One line, for a skip reason: {@code privileged containers: Docker refused ... (fix: ...)}. */
    public String reason() {
        return name + ": " + found + (fix.isEmpty() ? "" : " (fix: " + fix + ")");
    }
}
