package io.masqharness.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What an {@code iperf3 -J} client run measured (iperf3 3.12, Debian bookworm's): the goodput the
 * receiving side counted ({@code end.sum_received.bits_per_second}, the bytes that arrived over the
 * test, which is what a workload gets) and the sender's TCP retransmissions
 * ({@code end.sum_sent.retransmits}; in reverse mode, {@code -R}, the server is the sender and iperf3
 * hands its figure to the client), and the sender's congestion control ({@code end.sender_tcp_congestion}: what the
 * kernel used on the sending sockets, the pod's for an upload from a pod, the external host's for a download). iperf3 with {@code -J} exits 0 even when it failed, so a run is
 * judged by its JSON: an {@code "error"} is a {@link Failure} carrying iperf3's own words, never a NaN.
 * Golden files: {@code src/test/resources/iperf3/}.
 *
 * @param goodputBps  bits per second received, summed over the streams
 * @param retransmits the sender's retransmitted segments, summed over the streams
 * @param seconds     how long the receiver counted
 * @param streams     how many parallel streams the run had ({@code start.test_start.num_streams})
 * @param reverse     whether the server sent ({@code -R})
 * @param senderCongestionControl the sending sockets' TCP congestion control as iperf3 read it ({@code bbr}, {@code cubic},
 *                    ...); empty when iperf3 did not say (not Linux, or an iperf3 older than 3.1)
 */
public record Iperf3(long goodputBps, long retransmits, double seconds, int streams, boolean reverse, String senderCongestionControl) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** iperf3 did not measure: its own error, or output that is not a measurement. */
    public static final class Failure extends RuntimeException {
        public Failure(String message) {
            super(message);
        }
    }

    /** Reads one client run's {@code -J} output; throws {@link Failure} saying what was wrong. */
    public static Iperf3 parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (IOException e) {
            throw new Failure("iperf3 printed no JSON: " + excerpt(json));
        }
        if (root == null || !root.isObject()) {
            throw new Failure("iperf3 printed no JSON object: " + excerpt(json));
        }
        if (root.hasNonNull("error")) {
            throw new Failure("iperf3 failed: " + root.get("error").asText());
        }
        JsonNode received = root.path("end").path("sum_received");
        JsonNode sent = root.path("end").path("sum_sent");
        JsonNode bps = received.path("bits_per_second");
        if (!bps.isNumber()) {
            throw new Failure("iperf3's JSON has no end.sum_received.bits_per_second (not a TCP test, or cut short): " + excerpt(json));
        }
        JsonNode retransmits = sent.path("retransmits");
        if (!retransmits.canConvertToLong()) {
            throw new Failure("iperf3's JSON has no end.sum_sent.retransmits (the sender's kernel gave none): " + excerpt(json));
        }
        JsonNode test = root.path("start").path("test_start");
        return new Iperf3(Math.round(bps.doubleValue()), retransmits.asLong(), received.path("seconds").asDouble(),
                test.path("num_streams").asInt(), test.path("reverse").asInt() == 1, root.path("end").path("sender_tcp_congestion").asText(""));
    }

    /** Goodput in Gbit/s, as reports show it. */
    public double gbps() {
        return goodputBps / 1e9;
    }

    static String excerpt(String text) {
        if (text == null || text.isBlank()) {
            return "(nothing)";
        }
        String t = text.strip().replaceAll("\\s+", " ");
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }
}
