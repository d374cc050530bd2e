package io.masqharness.latency;

/**
 * One throughput trial ({@code tcp-stream}): a mode, a path (pod or host network), a direction
 * ({@link #UPLOAD}: from the pod or node to the external host; {@link #DOWNLOAD}: the external host
 * sends back over the connection the pod opened, {@code iperf3 -R}), how many parallel streams, and
 * what iperf3 measured, with the sender's TCP congestion control as iperf3 read it (empty when it did not say).
 */
public record StreamTrial(String mode, String kind, String path, String direction, int index, int streams, long goodputBps,
                          long retransmits, String congestionControl) {

    public static final String KIND = "tcp-stream";
    public static final String UPLOAD = "upload";
    public static final String DOWNLOAD = "download";

    public String tag() {
        return mode + "." + kind + "." + path + "." + direction + ".t" + index;
    }
}
