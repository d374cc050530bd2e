package io.masqharness.cluster.docker;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels on every container and network the harness starts: how a later run finds what a killed run left, and whose it was. */
public final class RunLabels {

    public static final String LAB = "io.masqharness.owned";
    public static final String RUN = "io.masqharness.run";
    public static final String PID = "io.masqharness.pid";

    private RunLabels() {
    }

    public static Map<String, String> of(String runId) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of(LAB, "true", RUN, runId));
        labels.putAll(Owner.current().labels());
        return Map.copyOf(labels);
    }
}
