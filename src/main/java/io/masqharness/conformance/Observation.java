package io.masqharness.conformance;

import java.util.List;

/**
 * What the receiving end saw.
 *
 * @param answered the flow completed (echo answer received, or ping reply back in the pod)
 * @param sources  the source addresses the receiver saw (echo server's peer, or tcpdump's echo request source)
 * @param evidence the raw lines it is based on
 * @param attempts how many times the flow was probed: more than 1 means it was retried after getting no answer
 */
public record Observation(boolean answered, List<String> sources, String evidence, int attempts) {
    public Observation {
        sources = List.copyOf(sources);
    }
}
