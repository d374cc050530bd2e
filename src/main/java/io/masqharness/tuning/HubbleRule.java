package io.masqharness.tuning;

/** Hubble ({@code hubble.enabled}, default true; disabling it is the tuning step). Facts §2.7. */
final class HubbleRule {

    static final String SOURCE = "chart cilium-1.13.4 templates/validate.yaml (relay and UI need Hubble), templates/cilium-configmap.yaml"
            + " (enable-hubble only when enabled); tuning guide (1-15 % overhead); facts/cilium-tuning-series.md §2.7";

    private HubbleRule() {
    }

    static ToggleVerdict judge(TuningContext c) {
        boolean on = c.bool("hubble.enabled", true);
        Verdicts v = new Verdicts(Toggle.HUBBLE, Verdicts.onOff(on), c.set("hubble.enabled"), SOURCE);
        String note = c.restartNote("hubble.enabled");
        boolean relay = c.bool("hubble.relay.enabled", false);
        boolean ui = c.bool("hubble.ui.enabled", false);
        if (!on && relay) {
            return v.of("enabled", Outcome.REFUSED, "Hubble Relay requires .Values.hubble.enabled=true (Helm; set hubble.relay.enabled=false"
                    + (ui ? " and hubble.ui.enabled=false" : "") + " in the same upgrade: --reuse-values keeps them)" + note,
                    ToggleVerdict.Stage.HELM);
        }
        if (ui && !relay) {
            return v.of(Verdicts.onOff(on), Outcome.REFUSED, "Hubble UI requires .Values.hubble.relay.enabled=true (Helm)" + note,
                    ToggleVerdict.Stage.HELM);
        }
        return on ? v.of("enabled", Outcome.ON, "Hubble observes every flow (1-15 % overhead by the tuning guide); evidence: `Hubble: Ok …`"
                + note, ToggleVerdict.Stage.NONE)
                : v.of("disabled", Outcome.OFF, "Hubble off: the chart leaves enable-hubble out (agent default false); evidence:"
                + " `Hubble: Disabled`" + note, ToggleVerdict.Stage.NONE);
    }
}
