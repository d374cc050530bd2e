package io.masqharness.tuning;

import java.util.Optional;

/** Builds verdicts for the rules: one toggle, its words, its source. */
final class Verdicts {

    private final Toggle toggle;
    private final String requested;
    private final boolean explicit;
    private final String source;

    Verdicts(Toggle toggle, String requested, boolean explicit, String source) {
        this.toggle = toggle;
        this.requested = requested;
        this.explicit = explicit;
        this.source = source;
    }

    ToggleVerdict of(String effective, Outcome outcome, String why, ToggleVerdict.Stage stage) {
        return new ToggleVerdict(toggle, requested, effective, outcome, why, explicit, source, Optional.empty(), stage);
    }

    ToggleVerdict of(String effective, Outcome outcome, String why, ToggleVerdict.Stage stage, String citedSource, String unverified) {
        return new ToggleVerdict(toggle, requested, effective, outcome, why, explicit, citedSource,
                Optional.ofNullable(unverified), stage);
    }

    static String onOff(boolean on) {
        return on ? "enabled" : "disabled";
    }
}
