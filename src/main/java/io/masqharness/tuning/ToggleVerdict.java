package io.masqharness.tuning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One toggle of one mode: what the values ask for, what the agent ends up running, and why.
 *
 * @param requested  what the mode's values ask for, in the toggle's words ({@code native}, {@code strict}, {@code enabled},
 *                   {@code 9000}); the chart's or agent's default when the values say nothing
 * @param effective  what the agent runs ({@code hostRouting}: {@code bpf} or {@code legacy})
 * @param explicit   whether the mode's values (base and mode, flattened) set the toggle's keys: only such toggles are
 *                   verified on the agents
 * @param source     where the rule comes from (chart file, agent source file, PR, issue, doc)
 * @param unverified why the rule is not settled against the release, when it is not (facts [L]/[?])
 * @param stage      the agent's order of decision ({@link Stage}): the first refusal is the mode's
 */
public record ToggleVerdict(Toggle toggle, String requested, String effective, Outcome outcome, String why, boolean explicit,
                            String source, Optional<String> unverified, Stage stage) {

    /** Where in the chart's rendering or the agent's start the decision falls (facts §1.4). */
    public enum Stage { HELM, INIT_ENV, VALIDATE, KPR_INIT, BANDWIDTH_PROBE, HOST_ROUTING, MASQUERADE, BIG_TCP, XDP_ATTACH, BANDWIDTH_INIT, NONE }

    /** The reason with its source and, when unsettled, why: what the JSON's {@code why} carries. */
    public String fullWhy() {
        return why + " [source: " + source + "]" + unverified.map(u -> " (unverified: " + u + ")").orElse("");
    }

    /** Exactly {@code {"name","requested","effective","outcome","why"}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", toggle.jsonName());
        j.put("requested", requested);
        j.put("effective", effective);
        j.put("outcome", outcome.label());
        j.put("why", fullWhy());
        return j;
    }

    @Override
    public String toString() {
        return toggle.jsonName() + ": " + requested + " -> " + effective + " (" + outcome.label() + ")";
    }
}
