package io.masqharness.tuning;

/** What becomes of a toggle once Helm has rendered the values and the agent has started with them. */
public enum Outcome {
    /** In force. */
    ON,
    /** Not asked for, and not in force. */
    OFF,
    /** Asked for, silently not in force: the agent runs, logs at most a warning, and the status line tells. */
    FALLBACK,
    /** The agent (crash loop) or Helm (no release) fails on it. */
    REFUSED,
    /** The chart renders nothing for it: cilium-config does not even carry the request. */
    IGNORED;

    public String label() {
        return name().toLowerCase();
    }
}
