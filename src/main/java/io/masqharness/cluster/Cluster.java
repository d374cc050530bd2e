package io.masqharness.cluster;

import io.masqharness.oracle.AgentConfig;
import io.masqharness.scenario.ModeSpec;
import java.util.List;

/**
 * A running cluster the suites probe: nodes, probe pods, and an external host that answers on
 * every scenario destination. Backends: lab (reference datapath), k3s, kubeconfig.
 */
public interface Cluster extends AutoCloseable {

    /** Probe ports: echo servers listen here on the external host, every node and every pod. */
    int TCP_PORT = 7000;
    int UDP_PORT = 7001;

    /** What answers the packets, as reports must name it, e.g. "lab reference datapath (not Cilium)". */
    String datapath();

    boolean runsCilium();

    List<Host> nodes();

    List<Pod> pods();

    Host externalHost();

    /** Switches every node to the mode and waits, bounded, until the switch has converged. */
    void applyMode(ModeSpec mode);

    /** The longest a mode switch may take here (used to bound what runs during it). */
    java.time.Duration modeSwitchBound();

    /** Evidence, per node, that the mode in force is {@code expected}; checks nobody can answer here are NOT_APPLICABLE. */
    List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected);

    /**
     * The ICMP echo lines {@code tcpdump -n -l icmp} has seen arrive at (and leave) a receiver's
     * network device since the cluster started: the external host, or a node.
     */
    String icmpCapture(Host receiver);

    /** Nodes, their IPs and pod CIDRs as this cluster really has them: what the oracle reasons about. */
    io.masqharness.oracle.ClusterFacts clusterFacts();

    /** False for a cluster the harness may only observe: then only {@link #currentMode()} is probed. */
    default boolean canSwitchModes() {
        return true;
    }

    /** The mode the cluster is in now, read from the cluster (only for backends that cannot switch). */
    default ModeSpec currentMode() {
        throw new UnsupportedOperationException(datapath() + " switches modes itself");
    }

    /**
     * Upgrades Cilium to {@code upgrade.to()} ({@code cilium.upgradeTo}), with the values rewritten for it; the next
     * {@link #applyMode} runs the target release's modes. Backends that cannot upgrade say why.
     */
    default void upgradeCilium(io.masqharness.scenario.ScenarioUpgrade upgrade) {
        throw new UnsupportedOperationException("the " + datapath() + " cannot upgrade Cilium (cilium.upgradeTo " + upgrade.to().text()
                + "): not built for this backend yet; run the scenario on the lab, or rehearse with two runs at either version");
    }

    /** Whether {@link #icmpCapture} can read what arrives at this receiver. */
    default boolean capturesIcmp(Host receiver) {
        return true;
    }

    /** Rules, routes, logs: what a person needs when a check failed. */
    String diagnostics();

    @Override
    void close();
}
