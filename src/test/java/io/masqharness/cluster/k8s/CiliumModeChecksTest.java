package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.AgentConfigDeriver;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiliumModeChecksTest {

    static final Cidr PODS = Cidr.parse("10.42.0.0/24");
    static final Map<String, Object> NATIVE = Map.of("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
            "kubeProxyReplacement", "strict");

    static AgentConfig agent(Map<String, Object> more, IpMasqAgentFile file) {
        return AgentConfigDeriver.derive(HelmValues.of(NATIVE).with(more), file);
    }

    static CiliumModeChecks.Capture golden(String name) throws Exception {
        return CiliumModeChecks.Capture.of(new ExecResult(0, Files.readString(Path.of("src/test/resources/golden", name)), ""));
    }

    @Test
    void statusLineMatchesTheExpectedMode() throws Exception {
        AgentConfig bpf = agent(Map.of("bpf.masquerade", true), new IpMasqAgentFile.Absent());
        ModeCheck ok = CiliumModeChecks.statusLine("node-1", bpf, java.util.Optional.of(PODS), golden("cilium-status-bpf.txt"));
        assertThat(ok.status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(ok.message()).isEqualTo("BPF on [eth0]");
    }

    @Test
    void aSilentFallbackFailsAndSaysSo() throws Exception {
        AgentConfig bpf = agent(Map.of("bpf.masquerade", true), new IpMasqAgentFile.Absent());
        ModeCheck c = CiliumModeChecks.statusLine("node-1", bpf, java.util.Optional.of(PODS), golden("cilium-status-iptables.txt"));
        assertThat(c.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(c.message()).contains("expected BPF, the agent runs IPTables").contains("silent fallback");
    }

    @Test
    void theExclusionCidrIsChecked() throws Exception {
        AgentConfig bpf = agent(Map.of("bpf.masquerade", true, "ipv4NativeRoutingCIDR", "10.0.0.0/8"), new IpMasqAgentFile.Absent());
        ModeCheck c = CiliumModeChecks.statusLine("node-1", bpf, java.util.Optional.of(PODS), golden("cilium-status-bpf.txt"));
        assertThat(c.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(c.message()).contains("expected exclusion CIDR 10.0.0.0/8, status shows 10.42.0.0/16");
    }

    @Test
    void ipMasqMapMustHoldExactlyTheOraclesCidrs() throws Exception {
        AgentConfig rfc1918 = agent(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true), new IpMasqAgentFile.Present(
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16")), false));
        assertThat(CiliumModeChecks.ipMasqMap("n", rfc1918, golden("cilium-bpf-ipmasq-list.txt")).status())
                .isEqualTo(ModeCheck.Status.PASSED);
        AgentConfig defaults = agent(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true), new IpMasqAgentFile.Absent());
        ModeCheck c = CiliumModeChecks.ipMasqMap("n", defaults, golden("cilium-bpf-ipmasq-list.txt"));
        assertThat(c.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(c.message()).contains("100.64.0.0/10");
    }

    /** D9: cilium status exits 1 on a Warning after printing everything; the mode is still read, the health fails apart. */
    @Test
    void anUnhealthyAgentStillShowsItsModeAndFailsTheHealthCheck() throws Exception {
        String warning = golden("cilium-status-bpf.txt").stdout().replaceFirst("(?m)^(\\s*Cilium:\\s+)Ok", "$1Warning");
        CiliumModeChecks.Capture exit1 = CiliumModeChecks.Capture.of(new ExecResult(1, warning, ""));
        AgentConfig bpf = agent(Map.of("bpf.masquerade", true), new IpMasqAgentFile.Absent());
        assertThat(CiliumModeChecks.statusLine("node-1", bpf, java.util.Optional.of(PODS), exit1).status()).isEqualTo(ModeCheck.Status.PASSED);
        ModeCheck health = CiliumModeChecks.agentHealth("node-1", exit1);
        assertThat(health.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(health.message()).contains("exited 1").contains("Cilium: Warning");
        assertThat(CiliumModeChecks.agentHealth("node-1", golden("cilium-status-bpf.txt")).status()).isEqualTo(ModeCheck.Status.PASSED);
    }

    /** D10: the NAT-entry flow goes to a destination this mode masquerades, not simply the first one listed. */
    @Test
    void theNatEntryFlowGoesToADestinationThisModeMasquerades() {
        ClusterFacts facts = new ClusterFacts(List.of(new ClusterFacts.Node("node-1", Ipv4.parse("172.28.0.11"), PODS, "eth0"),
                new ClusterFacts.Node("node-2", Ipv4.parse("172.28.0.12"), Cidr.parse("10.42.1.0/24"), "eth0")));
        AgentConfig rfc1918 = agent(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true), new IpMasqAgentFile.Present(
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16")), false));
        Ipv4 pod = Ipv4.parse("10.42.0.10");
        List<Ipv4> rfc1918First = List.of(Ipv4.parse("192.168.77.10"), Ipv4.parse("172.28.0.12"), Ipv4.parse("198.20.0.10"));
        assertThat(CiliumModeChecks.natDestination(facts, rfc1918, "node-1", pod, rfc1918First)).contains(Ipv4.parse("198.20.0.10"));
        assertThat(CiliumModeChecks.natDestination(facts, rfc1918, "node-1", pod, rfc1918First.subList(0, 2))).isEmpty();
    }
}
