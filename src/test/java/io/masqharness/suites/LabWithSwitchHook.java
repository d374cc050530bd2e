package io.masqharness.suites;

import io.masqharness.cluster.lab.LabCluster;
import io.masqharness.conformance.DelegatingCluster;
import io.masqharness.scenario.ModeSpec;
import java.util.function.Consumer;

/** The lab, with a known fault set or cleared by {@code afterSwitch} each time a mode is applied (the gate suites' slowdowns). */
final class LabWithSwitchHook extends DelegatingCluster {

    private final Consumer<ModeSpec> afterSwitch;

    LabWithSwitchHook(LabCluster lab, Consumer<ModeSpec> afterSwitch) {
        super(lab);
        this.afterSwitch = afterSwitch;
    }

    @Override
    public void applyMode(ModeSpec mode) {
        super.applyMode(mode);
        afterSwitch.accept(mode);
    }
}
