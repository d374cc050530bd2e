package io.masqharness.probe;

/** One ping from a pod: whether the echo reply came back, and why not when ping itself failed. */
public record PingAnswer(boolean replied, String error) {

    public static final PingAnswer NO_REPLY = new PingAnswer(false, null);
}
