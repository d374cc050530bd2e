package io.masqharness.cluster;

/** A cluster operation failed: names the operation, the object, and what was seen. */
public class ClusterException extends RuntimeException {

    static final int OPERATION_LIMIT = 100;

    public ClusterException(String operation, String object, String detail) {
        super("Operation [" + oneLine(operation) + "] on [" + object + "] failed: " + detail);
    }

    public ClusterException(String operation, String object, Throwable cause) {
        super("Operation [" + oneLine(operation) + "] on [" + object + "] failed: " + cause.getMessage(), cause);
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    /** A script as the operation would push the object's name out of the first line of the message. */
    private static String oneLine(String operation) {
        String flat = operation.replaceAll("\\s+", " ").strip();
        return flat.length() <= OPERATION_LIMIT ? flat : flat.substring(0, OPERATION_LIMIT) + "...";
    }
}
