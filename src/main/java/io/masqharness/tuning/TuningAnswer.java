package io.masqharness.tuning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A mode's tuning toggles as the agent would run them.
 *
 * @param refused why Helm or the agent would refuse the mode: the first refusal in the agent's order, else empty
 * @param toggles every toggle of {@link Toggle}, in that order
 */
public record TuningAnswer(String mode, Optional<String> refused, List<ToggleVerdict> toggles) {

    public TuningAnswer {
        toggles = List.copyOf(toggles);
    }

    public ToggleVerdict toggle(Toggle t) {
        return toggles.stream().filter(v -> v.toggle() == t).findFirst().orElseThrow();
    }

    /** Exactly {@code {"mode", "refused", "toggles": [...]}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("mode", mode);
        j.put("refused", refused.orElse(null));
        j.put("toggles", toggles.stream().map(ToggleVerdict::toJson).toList());
        return j;
    }

    /** The readable form: one line per toggle, then its why. */
    public String toText() {
        StringBuilder s = new StringBuilder("mode ").append(mode).append(": ")
                .append(refused.map(r -> "REFUSED: " + r).orElse("runs")).append('\n');
        for (ToggleVerdict v : toggles) {
            s.append(String.format("  %-21s requested %-10s effective %-10s %s%n", v.toggle().jsonName(), v.requested(), v.effective(),
                    v.outcome().label()));
            s.append("      ").append(v.fullWhy()).append('\n');
        }
        return s.toString().stripTrailing();
    }
}
