package io.masqharness.conformance;

import java.util.List;

/**
 * What the receiving end saw.
 *
 * @param answered the flow completed (echo answer received, or ping reply back in the pod)
 * @param sources  the source addresses the receiver saw (echo server's peer, or tcpdump's echo request source)
 * @param evidence the raw lines it is based on
 */
public record Observation(boolean answered, List<String> sources, String evidence) {
    public Observation {
        sources = List.copyOf(sources);
    }
}
