package io.masqharness.cluster.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code plan --scenario scenarios/dual-stack.yaml}: both families' K3s flags and Cilium values. The
 * expected flags are K3s's documented dual-stack form (k3s docs, "Dual-stack": --cluster-cidr and
 * --service-cidr with both families; --node-ip with both, as pkg/agent/run.go requires); the addresses
 * come from the scenario file.
 */
class DualStackPlanTest {

    static final Scenario DUAL = new ScenarioLoader().load(Path.of("scenarios/dual-stack.yaml"));

    @Test
    void theK3sFlagsCarryBothFamilies() {
        K3sPlan plan = new K3sPlan(DUAL, "masq-harness-probe:abc");
        assertThat(plan.serverFlags()).contains("--cluster-cidr=10.42.0.0/16,fd00:42::/56",
                "--service-cidr=10.43.0.0/16,fd00:43::/112", "--node-ip=172.28.0.11,fd00:28::11",
                "--kube-controller-manager-arg=node-cidr-mask-size-ipv6=64");
        assertThat(plan.agentFlags(DUAL.cluster().nodes().get(1))).contains("--node-ip=172.28.0.12,fd00:28::12");
        assertThat(plan.nodeRoutes()).contains("ip route replace 198.20.0.10/32 via 172.28.0.100",
                "ip -6 route replace 2001:db8:20::10/128 via fd00:28::100");
    }

    @Test
    void thePlanShowsBothFamiliesFlagsAndValuesInOrder() {
        String text = PlanText.k3s(new K3sPlan(DUAL, "masq-harness-probe:abc"));
        assertThat(text).as("the plan says first that a run of it stops, and what runs it")
                .containsSubsequence("A RUN STOPS HERE, before starting anything: dual-stack is not wired yet", "-Dharness.backend=lab",
                        "-Dharness.backend=kubeconfig", "1. remove leftovers");
        assertThat(PlanText.k3s(new K3sPlan(new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml")), "img")))
                .doesNotContain("A RUN STOPS HERE");
        assertThat(text).containsSubsequence(
                "dual-stack: also IPv6 fd00:28::/64",
                "start container node-1 [k3s server] at 172.28.0.11 + fd00:28::11",
                "--cluster-cidr=10.42.0.0/16,fd00:42::/56 --service-cidr=10.43.0.0/16,fd00:43::/112",
                "--node-ip=172.28.0.11,fd00:28::11",
                "start container node-2 [k3s agent] at 172.28.0.12 + fd00:28::12", "--node-ip=172.28.0.12,fd00:28::12",
                "ip -6 addr add 2001:db8:20::10/128 dev lo",
                "ip -6 route replace 2001:db8:20::10/128 via fd00:28::100",
                "ipv6NativeRoutingCIDR: \"fd00:42::/56\"", "ipv6:\n         enabled: true",
                "== mode iptables", "Masquerading line is IPTables [IPv4: Enabled, IPv6: Enabled]",
                "`ip6tables-save -t nat` has the IPv6 'cilium masquerade non-cluster' rule",
                "== mode bpf", "setting bpf.masquerade=true, enableIPv6Masquerade=false",
                "Masquerading line is BPF [IPv4: Enabled, IPv6: Disabled]", "`ip6tables-save -t nat` has no IPv6",
                "== mode bpf-ip-masq-agent", "BPF (ip-masq-agent) [IPv4: Enabled, IPv6: Disabled]");
    }

    @Test
    void ipv4OnlyPlansCarryNoIpv6() {
        K3sPlan toggle = new K3sPlan(PlanTextTest.TOGGLE, "p");
        assertThat(toggle.serverFlags()).contains("--cluster-cidr=10.42.0.0/16", "--service-cidr=10.43.0.0/16", "--node-ip=172.28.0.11")
                .noneMatch(f -> f.contains("ipv6") || f.contains(":") && f.startsWith("--node-ip"));
        assertThat(PlanText.k3s(toggle)).doesNotContain("IPv6").doesNotContain("ip -6").doesNotContain("[IPv4:");
    }

    /** The run itself is not built: it stops before touching Docker, with the reason and the two ways that do run. */
    @Test
    void aDualStackK3sRunStopsAtOnceNamingTheWaysThatRun() {
        java.util.List<String> progress = new java.util.ArrayList<>();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> K3sCluster.start(DUAL, "masq-harness-probe:abc", progress::add))
                .isInstanceOf(io.masqharness.cluster.ClusterException.class)
                .hasMessageContaining("gives its node containers IPv4 addresses only")
                .hasMessageContaining("-Dharness.backend=lab").hasMessageContaining("-Dharness.backend=kubeconfig");
        assertThat(progress).as("nothing was started, so nothing was stopped").isEmpty();
    }
}
