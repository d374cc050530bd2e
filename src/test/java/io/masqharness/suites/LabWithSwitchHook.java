package io.masqharness.suites;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.cluster.lab.LabCluster;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.scenario.ModeSpec;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** The lab, with a known fault set or cleared by {@code afterSwitch} each time a mode is applied (the gate suites' slowdowns). */
record LabWithSwitchHook(LabCluster lab, Consumer<ModeSpec> afterSwitch) implements Cluster {

    @Override
    public void applyMode(ModeSpec mode) {
        lab.applyMode(mode);
        afterSwitch.accept(mode);
    }

    @Override
    public String datapath() {
        return lab.datapath();
    }

    @Override
    public boolean runsCilium() {
        return lab.runsCilium();
    }

    @Override
    public List<Host> nodes() {
        return lab.nodes();
    }

    @Override
    public List<Pod> pods() {
        return lab.pods();
    }

    @Override
    public Host externalHost() {
        return lab.externalHost();
    }

    @Override
    public Duration modeSwitchBound() {
        return lab.modeSwitchBound();
    }

    @Override
    public List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected) {
        return lab.verifyMode(mode, expected);
    }

    @Override
    public String icmpCapture(Host receiver) {
        return lab.icmpCapture(receiver);
    }

    @Override
    public ClusterFacts clusterFacts() {
        return lab.clusterFacts();
    }

    @Override
    public String diagnostics() {
        return lab.diagnostics();
    }

    @Override
    public void close() {
        lab.close();
    }
}
