package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cilium.Golden;
import io.masqharness.cilium.NatList;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.ModeCheck.Status;
import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The text checks the live backends and {@code inspect} share, on captured text: each verdict path meets a
 * capture that should pass it and one that should fail it. Expected values come from the captures and the
 * scenario's values, never from the code under test.
 */
class CiliumCaptureChecksTest {

    static final Optional<Cidr> PODS = Optional.of(CiliumModeChecksTest.PODS);
    static final AgentConfig BPF = CiliumModeChecksTest.agent(Map.of("bpf.masquerade", true), new IpMasqAgentFile.Absent());
    static final AgentConfig IPTABLES = CiliumModeChecksTest.agent(Map.of("bpf.masquerade", false), new IpMasqAgentFile.Absent());
    static final AgentConfig RFC1918 = CiliumModeChecksTest.agent(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true),
            new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16")), false));
    static final AgentConfig OFF = CiliumModeChecksTest.agent(Map.of("enableIPv4Masquerade", false), new IpMasqAgentFile.Absent());

    static CiliumModeChecks.Capture file(String name) {
        return CiliumModeChecks.Capture.file(Golden.read(name));
    }

    static CiliumModeChecks.Capture text(String text) {
        return CiliumModeChecks.Capture.file(text);
    }

    @Test
    void healthFromTheCiliumLineOfAFileAndFromTheExitStatusLive() {
        assertThat(CiliumModeChecks.agentHealth("n", file("cilium-status-bpf.txt")).status()).isEqualTo(Status.PASSED);
        ModeCheck warning = CiliumModeChecks.agentHealth("n", text("Cilium:   Warning   1.13.4\nMasquerading: BPF"));
        assertThat(warning.status()).isEqualTo(Status.FAILED);
        assertThat(warning.message()).isEqualTo("the agent is not healthy; Cilium: Warning");
        ModeCheck grep = CiliumModeChecks.agentHealth("n", file("status/shell-comment-prefix.txt"));
        assertThat(grep.status()).isEqualTo(Status.NOT_APPLICABLE);
        assertThat(CiliumModeChecks.agentHealth("n", text("garbage")).status()).isEqualTo(Status.NOT_APPLICABLE);
        ModeCheck liveOk = CiliumModeChecks.agentHealth("n", CiliumModeChecks.Capture.of(new ExecResult(0, "Masquerading: BPF", "")));
        assertThat(liveOk.status()).isEqualTo(Status.PASSED);
        assertThat(liveOk.message()).isEqualTo("Cilium: no 'Cilium:' line");
    }

    @Test
    void statusLineVerdicts() {
        assertThat(CiliumModeChecks.statusLine("n", IPTABLES, PODS, file("cilium-status-iptables.txt")).message()).isEqualTo("IPTables");
        ModeCheck unreadable = CiliumModeChecks.statusLine("n", BPF, PODS, text("Masquerading: Sometimes"));
        assertThat(unreadable.status()).isEqualTo(Status.FAILED);
        assertThat(unreadable.message()).startsWith("unrecognised Masquerading line");
        ModeCheck live = CiliumModeChecks.statusLine("n", BPF, PODS, CiliumModeChecks.Capture.of(new ExecResult(1, "", "dial unix: refused")));
        assertThat(live.message()).endsWith("(exit 1)");
        assertThat(live.evidence()).contains("dial unix: refused");
        ModeCheck two = CiliumModeChecks.statusLine("n", BPF, PODS, text("Masquerading: IPTables\nMasquerading: BPF [eth0] 10.42.0.0/16"));
        assertThat(two.status()).isEqualTo(Status.FAILED);
        assertThat(two.message()).startsWith("cannot tell the mode: 2: 2 Masquerading lines that disagree");
        ModeCheck v4off = CiliumModeChecks.statusLine("n", BPF, PODS, file("status/ens19.30-ipv4-disabled-ipv6-enabled.txt"));
        assertThat(v4off.message()).isEqualTo("expected BPF, the agent runs Disabled (the line shows IPv4: Disabled; 'BPF' applies to IPv6 only)");
        assertThat(CiliumModeChecks.statusLine("n", OFF, PODS, file("status/ens19.30-ipv4-disabled-ipv6-enabled.txt")).status())
                .isEqualTo(Status.PASSED);
        ModeCheck fellBack = CiliumModeChecks.statusLine("n", CiliumModeChecksTest.agent(Map.of("bpf.masquerade", true,
                "kubeProxyReplacement", "disabled"), new IpMasqAgentFile.Absent()), PODS, file("cilium-status-iptables.txt"));
        assertThat(fellBack.status()).isEqualTo(Status.PASSED);
        ModeCheck notPredicted = CiliumModeChecks.statusLine("n", IPTABLES, PODS, file("cilium-status-bpf.txt"));
        assertThat(notPredicted.message()).isEqualTo("expected IPTables, the agent runs BPF");
    }

    @Test
    void theExclusionCidrComesFromTheNodeTheIpamLineOrIsSaidToBeUnknown() {
        AgentConfig tunnel = CiliumModeChecksTest.agent(Map.of("bpf.masquerade", true, "tunnel", "vxlan", "ipv4NativeRoutingCIDR", ""),
                new IpMasqAgentFile.Absent());
        ModeCheck fromIpam = CiliumModeChecks.statusLine("n", tunnel, Optional.empty(), file("status/v1.14.5-wireguard-bracketed-lines.txt"));
        assertThat(fromIpam.status()).isEqualTo(Status.PASSED);
        assertThat(fromIpam.message()).isEqualTo("BPF on [enp1s0, cilium_wg0]");
        ModeCheck wrongNode = CiliumModeChecks.statusLine("n", tunnel, Optional.of(Cidr.parse("10.244.2.0/24")),
                file("status/v1.14.5-wireguard-bracketed-lines.txt"));
        assertThat(wrongNode.message()).isEqualTo("expected exclusion CIDR 10.244.2.0/24, status shows 10.244.1.0/24");
        ModeCheck unknown = CiliumModeChecks.statusLine("n", tunnel, Optional.empty(), file("status/shell-comment-prefix.txt"));
        assertThat(unknown.status()).isEqualTo(Status.PASSED);
        assertThat(unknown.message()).contains("not compared (the node's pod CIDR is unknown)");
        ModeCheck noCidr = CiliumModeChecks.statusLine("n", BPF, PODS, text("Masquerading: BPF [eth0]"));
        assertThat(noCidr.message()).isEqualTo("expected exclusion CIDR 10.42.0.0/16, status shows none");
    }

    @Test
    void ruleVerdictsInEveryDumpForm() {
        AgentConfig wide = CiliumModeChecksTest.agent(Map.of("bpf.masquerade", false, "ipv4NativeRoutingCIDR", "172.0.0.0/8"),
                new IpMasqAgentFile.Absent());
        assertThat(CiliumModeChecks.masqueradeRules("n", IPTABLES, PODS, file("iptables-save-nat-iptables-mode.txt")).status())
                .isEqualTo(Status.PASSED);
        ModeCheck listing = CiliumModeChecks.masqueradeRules("n", wide, PODS, file("iptables/issue-15234-list-line-numbers.txt"));
        assertThat(listing.message()).startsWith("'cilium masquerade non-cluster' rule excludes 172.29.3.0/24, expected 172.0.0.0/8");
        assertThat(CiliumModeChecks.masqueradeRules("n", wide, PODS, file("iptables/issue-10939-inline-code.txt")).status())
                .isEqualTo(Status.PASSED);
        ModeCheck bpf = CiliumModeChecks.masqueradeRules("n", BPF, PODS, file("iptables/zh-blog-S-commented-out.txt"));
        assertThat(bpf.message()).isEqualTo("'cilium masquerade non-cluster' rule present, expected absent in bpf mode");
        ModeCheck absent = CiliumModeChecks.masqueradeRules("n", IPTABLES, PODS, file("iptables-save-nat-bpf-mode.txt"));
        assertThat(absent.message()).isEqualTo("'cilium masquerade non-cluster' rule absent, expected present in iptables mode");
        assertThat(CiliumModeChecks.masqueradeRules("n", BPF, PODS, file("iptables-save-nat-bpf-mode.txt")).message())
                .isEqualTo("'cilium masquerade non-cluster' rule absent as in bpf mode");
        ModeCheck noCilium = CiliumModeChecks.masqueradeRules("n", BPF, PODS, text("*nat\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\nCOMMIT\n"));
        assertThat(noCilium.message()).startsWith("no Cilium chain in this dump");
        assertThat(CiliumModeChecks.masqueradeRules("n", BPF, PODS, text("table ip nat {\n}")).message()).startsWith("unreadable: ");
        ModeCheck failedExec = CiliumModeChecks.masqueradeRules("n", BPF, PODS,
                CiliumModeChecks.Capture.of(new ExecResult(127, "", "iptables-save: not found")));
        assertThat(failedExec.message()).isEqualTo("could not read: exit 127");
        assertThat(CiliumModeChecks.masqueradeRules("n", BPF, PODS, text("-N CILIUM_POST_nat\n")).status()).isEqualTo(Status.PASSED);
        assertThat(CiliumModeChecks.masqueradeRules("n", BPF, PODS, text("-A POSTROUTING -j CILIUM_POST_nat\n")).status()).isEqualTo(Status.PASSED);
    }

    @Test
    void ipMasqMapVerdicts() {
        assertThat(CiliumModeChecks.ipMasqMap("n", RFC1918, file("ipmasq/docs-rfc1918.txt")).message()).isEqualTo("exactly the 4 expected CIDRs");
        ModeCheck off = CiliumModeChecks.ipMasqMap("n", BPF, file("ipmasq/composed-no-entries.txt"));
        assertThat(off.status()).isEqualTo(Status.PASSED);
        assertThat(off.message()).isEqualTo("no CIDR, as the mode has no ip-masq-agent (map EMPTY)");
        ModeCheck stale = CiliumModeChecks.ipMasqMap("n", BPF, file("ipmasq/docs-rfc1918.txt"));
        assertThat(stale.status()).isEqualTo(Status.FAILED);
        assertThat(stale.message()).endsWith("; unexpected [10.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16]");
        ModeCheck live = CiliumModeChecks.ipMasqMap("n", RFC1918, CiliumModeChecks.Capture.of(new ExecResult(1, "",
                "error dumping contents of map: map not found")));
        assertThat(live.message()).startsWith("expected [10.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16], map MAP_ABSENT []");
        assertThat(CiliumModeChecks.ipMasqMap("n", RFC1918, CiliumModeChecks.Capture.of(new ExecResult(2, "", "boom"))).message())
                .contains("failed (exit 2)");
        assertThat(CiliumModeChecks.ipMasqMap("n", RFC1918, text(Golden.read("ipmasq/docs-rfc1918.txt") + "fe80::/10\n")).status())
                .isEqualTo(Status.PASSED);
    }

    @Test
    void natEntriesAgainstTheMode() {
        ClusterFacts facts = new ClusterFacts(List.of(new ClusterFacts.Node("node-1", Ipv4.parse("172.28.0.11"), PODS.get(), "eth0")));
        NatList nat = NatList.parse(Golden.read("cilium-bpf-nat-list.txt"));
        ModeCheck ok = CiliumModeChecks.natEntriesMatchMode("node-1", facts, RFC1918, nat);
        assertThat(ok.status()).isEqualTo(Status.PASSED);
        assertThat(ok.message()).startsWith("3 SNAT entries from pods");
        AgentConfig everything = CiliumModeChecksTest.agent(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true),
                new IpMasqAgentFile.Present(List.of(Cidr.parse("198.20.0.0/16")), false));
        ModeCheck contradicted = CiliumModeChecks.natEntriesMatchMode("node-1", facts, everything, nat);
        assertThat(contradicted.status()).isEqualTo(Status.FAILED);
        assertThat(contradicted.message()).isEqualTo("3 of 3 SNAT entries from pods go to destinations this mode does not masquerade");
        assertThat(contradicted.evidence()).contains("expected pod-ip");
        assertThat(CiliumModeChecks.natEntriesMatchMode("node-1", facts, RFC1918, NatList.parse(Golden.read("nat/created-sec-ago.txt"))).status())
                .isEqualTo(Status.NOT_APPLICABLE);
        assertThat(CiliumModeChecks.natEntriesMatchMode("node-1", facts, RFC1918, NatList.parse(
                "ANY OUT 10.42.0.5:0 -> 8.8.8.8:0 XLATE_SRC 172.28.0.11:0\nTCP OUT 10.42.0.5:1 -> [::1]:2 XLATE_SRC 172.28.0.11:1\n")).status())
                .isEqualTo(Status.NOT_APPLICABLE);
    }

    @Test
    void natEntryOfALiveFlow() {
        CiliumModeChecks.Capture nat = file("cilium-bpf-nat-list.txt");
        assertThat(CiliumModeChecks.natEntry("n", nat, "10.42.0.23", "198.20.0.10", 7000).status()).isEqualTo(Status.PASSED);
        ModeCheck none = CiliumModeChecks.natEntry("n", nat, "10.42.0.24", "198.20.0.10", 7000);
        assertThat(none.message()).isEqualTo("no SNAT entry for 10.42.0.24 -> 198.20.0.10:7000 after a flow");
        assertThat(CiliumModeChecks.natEntry("n", text("hello"), "10.42.0.24", "198.20.0.10", 7000).message()).startsWith("unreadable: ");
    }

    @Test
    void judgeRunsACheckForEachCaptureGiven() {
        assertThat(CiliumModeChecks.judge("n", RFC1918, PODS, new CiliumModeChecks.AgentCaptures(Optional.of(file("cilium-status-bpf-ip-masq-agent.txt")),
                Optional.of(file("iptables-save-nat-bpf-mode.txt")), Optional.of(file("cilium-bpf-ipmasq-list.txt")))))
                .extracting(ModeCheck::check, ModeCheck::status).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cilium status health", Status.PASSED),
                        org.assertj.core.groups.Tuple.tuple("cilium status Masquerading line", Status.PASSED),
                        org.assertj.core.groups.Tuple.tuple("iptables-save -t nat (cilium-agent)", Status.PASSED),
                        org.assertj.core.groups.Tuple.tuple("cilium bpf ipmasq list", Status.PASSED));
        assertThat(CiliumModeChecks.judge("n", RFC1918, PODS, new CiliumModeChecks.AgentCaptures(Optional.empty(), Optional.empty(),
                Optional.empty()))).isEmpty();
    }
}
