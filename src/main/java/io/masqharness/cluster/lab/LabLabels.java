package io.masqharness.cluster.lab;

import java.util.Map;

/** Labels on every lab container and network: how a later run finds what a killed run left. */
final class LabLabels {

    static final String LAB = "io.masqharness.lab";
    static final String RUN = "io.masqharness.run";
    static final String PID = "io.masqharness.pid";

    private LabLabels() {
    }

    static Map<String, String> of(String runId) {
        return Map.of(LAB, "true", RUN, runId, PID, Long.toString(ProcessHandle.current().pid()));
    }
}
