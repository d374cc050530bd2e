package io.masqharness.cluster;

/** A cluster operation failed: names the operation, the object, and what was seen. */
public class ClusterException extends RuntimeException {

    public ClusterException(String operation, String object, String detail) {
        super("Operation [" + operation + "] on [" + object + "] failed: " + detail);
    }

    public ClusterException(String operation, String object, Throwable cause) {
        super("Operation [" + operation + "] on [" + object + "] failed: " + cause.getMessage(), cause);
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }
}
