package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.scenario.ModeSpec;
import java.time.Duration;
import java.util.List;

/** A cluster that passes everything to another; tests (here and the suites') override the one behaviour they change. */
public class DelegatingCluster implements Cluster {

    private final Cluster delegate;

    public DelegatingCluster(Cluster delegate) {
        this.delegate = delegate;
    }

    @Override
    public String datapath() {
        return delegate.datapath();
    }

    @Override
    public boolean runsCilium() {
        return delegate.runsCilium();
    }

    @Override
    public List<Host> nodes() {
        return delegate.nodes();
    }

    @Override
    public List<Pod> pods() {
        return delegate.pods();
    }

    @Override
    public Host externalHost() {
        return delegate.externalHost();
    }

    @Override
    public void applyMode(ModeSpec mode) {
        delegate.applyMode(mode);
    }

    @Override
    public Duration modeSwitchBound() {
        return delegate.modeSwitchBound();
    }

    @Override
    public List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected) {
        return delegate.verifyMode(mode, expected);
    }

    @Override
    public String icmpCapture(Host receiver) {
        return delegate.icmpCapture(receiver);
    }

    @Override
    public ClusterFacts clusterFacts() {
        return delegate.clusterFacts();
    }

    @Override
    public boolean canSwitchModes() {
        return delegate.canSwitchModes();
    }

    @Override
    public String diagnostics() {
        return delegate.diagnostics();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
