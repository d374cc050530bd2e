package io.masqharness.cluster.lab;

import static io.masqharness.cluster.lab.RuleWalker.Fate.DROPPED;
import static io.masqharness.cluster.lab.RuleWalker.Fate.SNAT;
import static io.masqharness.cluster.lab.RuleWalker.Fate.UNCHANGED;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.net.Cidr;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the lab's rules do to flows, walked packet by packet ({@link RuleWalker}), against the facts
 * of Cilium 1.13 (facts/cilium-1.13-masquerading.md §1.1-1.2, §1.4): BPF mode translates TCP, UDP and
 * ICMP echo from local endpoints and drops other ICMP that needs SNAT; it never SNATs to the exclusion
 * CIDR or to a remote node (native routing: remote-node identity); iptables mode masquerades every
 * protocol leaving the pod CIDR except to the nodes. The expected fates come from those facts, not
 * from the rules' text.
 */
class LabRulesBehaviourTest {

    static final Cidr PODS = Cidr.parse("10.44.0.0/24");
    static final String POD = "10.44.0.10";
    static final String NODE = "172.29.0.11";
    static final String OTHER_NODE = "172.29.0.12";
    static final Set<String> NODES = Set.of(NODE, OTHER_NODE);
    static final Map<String, Object> NATIVE = Map.of("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.44.0.0/16");

    static RuleWalker walker(Map<String, Object> mode, IpMasqAgentFile agent) {
        Map<String, Object> values = new java.util.HashMap<>(NATIVE);
        values.putAll(mode);
        return new RuleWalker(LabRules.forMode(HelmValues.of(values), PODS, agent), NODES);
    }

    static RuleWalker bpf() {
        return walker(Map.of("bpf.masquerade", true), new IpMasqAgentFile.Absent());
    }

    @ParameterizedTest(name = "bpf: {0} from the pod to a public address -> {1}")
    @CsvSource({"tcp, SNAT", "udp, SNAT", "icmp-echo-request, SNAT", "icmp-timestamp-request, DROPPED",
            "icmp-destination-unreachable, DROPPED"})
    void bpfModeTranslatesTcpUdpAndEchoOnlyAndDropsOtherIcmpThatNeedsSnat(String protocol, RuleWalker.Fate fate) {
        // Replies (an echo reply answering a ping to the pod) are conntrack's, which the walker does not model: not walked.
        assertThat(bpf().walk(RuleWalker.Packet.of(POD, "198.20.0.10", protocol))).isEqualTo(fate);
    }

    @Test
    void bpfModeSnatsEachTranslatableProtocolAndNothingElse() {
        RuleWalker w = bpf();
        for (String p : List.of("tcp", "udp", "icmp-echo-request")) {
            assertThat(w.walk(RuleWalker.Packet.of(POD, "198.20.0.10", p))).as(p).isEqualTo(SNAT);
        }
        assertThat(w.walk(RuleWalker.Packet.of(POD, "198.20.0.10", "icmp-timestamp-request"))).isEqualTo(DROPPED);
    }

    @ParameterizedTest(name = "bpf: {0} from the pod to another node is not SNATed (remote-node identity, native routing)")
    @CsvSource({"tcp", "udp", "icmp-echo-request", "icmp-timestamp-request"})
    void bpfModeNeverSnatsToARemoteNodeWhateverTheProtocol(String protocol) {
        assertThat(bpf().walk(RuleWalker.Packet.of(POD, OTHER_NODE, protocol))).isEqualTo(UNCHANGED);
    }

    @Test
    void bpfModeLeavesTheExclusionCidrAndNonLocalSourcesAlone() {
        RuleWalker w = bpf();
        assertThat(w.walk(RuleWalker.Packet.of(POD, "10.44.1.10", "tcp"))).as("a pod on another node").isEqualTo(UNCHANGED);
        assertThat(w.walk(RuleWalker.Packet.of(NODE, "198.20.0.10", "tcp"))).as("the host itself").isEqualTo(UNCHANGED);
        assertThat(w.walk(RuleWalker.Packet.of(NODE, "198.20.0.10", "icmp-timestamp-request"))).as("nor dropped").isEqualTo(UNCHANGED);
    }

    @Test
    void bpfWithTheIpMasqAgentSnatsOnlyOutsideItsCidrsStillPerProtocol() {
        RuleWalker w = walker(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true),
                new IpMasqAgentFile.Present(List.of(Cidr.parse("192.168.0.0/16")), false));
        assertThat(w.walk(RuleWalker.Packet.of(POD, "192.168.77.10", "tcp"))).isEqualTo(UNCHANGED);
        assertThat(w.walk(RuleWalker.Packet.of(POD, "192.168.77.10", "icmp-timestamp-request"))).as("no SNAT needed: not dropped")
                .isEqualTo(UNCHANGED);
        assertThat(w.walk(RuleWalker.Packet.of(POD, "169.254.77.10", "udp"))).as("link-local, masqLinkLocal false").isEqualTo(UNCHANGED);
        assertThat(w.walk(RuleWalker.Packet.of(POD, "198.20.0.10", "udp"))).isEqualTo(SNAT);
        assertThat(w.walk(RuleWalker.Packet.of(POD, "198.20.0.10", "icmp-timestamp-request"))).isEqualTo(DROPPED);
        assertThat(w.walk(RuleWalker.Packet.of(POD, OTHER_NODE, "tcp"))).as("remote node before the agent").isEqualTo(UNCHANGED);
        RuleWalker defaults = walker(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true), new IpMasqAgentFile.Absent());
        assertThat(defaults.walk(RuleWalker.Packet.of(POD, "100.64.77.10", "tcp"))).as("in the default list").isEqualTo(UNCHANGED);
        assertThat(defaults.walk(RuleWalker.Packet.of(POD, "198.20.0.10", "tcp"))).isEqualTo(SNAT);
    }

    @ParameterizedTest(name = "iptables: {0} from the pod")
    @CsvSource({"tcp", "udp", "icmp-echo-request", "icmp-timestamp-request"})
    void iptablesModeMasqueradesEveryProtocolOutOfTheClusterButNotToNodes(String protocol) {
        RuleWalker w = walker(Map.of("bpf.masquerade", false), new IpMasqAgentFile.Absent());
        assertThat(w.walk(RuleWalker.Packet.of(POD, "198.20.0.10", protocol))).isEqualTo(SNAT);
        assertThat(w.walk(RuleWalker.Packet.of(POD, OTHER_NODE, protocol))).isEqualTo(UNCHANGED);
        assertThat(w.walk(RuleWalker.Packet.of(POD, "10.44.1.10", protocol))).isEqualTo(UNCHANGED);
    }

    /**
     * installNoConntrackIptablesRules (facts/cilium-tuning-series.md §2.4): Cilium's raw rules leave every flow from or to
     * the native-routing CIDR untracked. With Cilium's BPF masquerading that costs nothing (BPF SNATs without conntrack);
     * the lab's BPF emulation is netfilter NAT, so the flows it must translate stay tracked and are still SNATed, and
     * every other pod flow is untracked.
     */
    @ParameterizedTest(name = "bpf + no-conntrack: {0} from the pod to a public address is still SNAT")
    @CsvSource({"tcp", "udp", "icmp-echo-request"})
    void withoutConntrackBpfModeStillTranslatesWhatItMust(String protocol) {
        RuleWalker w = walker(Map.of("bpf.masquerade", true, "installNoConntrackIptablesRules", true), new IpMasqAgentFile.Absent());
        assertThat(w.walk(RuleWalker.Packet.of(POD, "198.20.0.10", protocol))).isEqualTo(SNAT);
        assertThat(w.tracked(RuleWalker.Packet.of(POD, "198.20.0.10", protocol))).as("tracked for the lab's netfilter NAT").isTrue();
        assertThat(w.walk(RuleWalker.Packet.of(POD, "198.20.0.10", "icmp-timestamp-request"))).isEqualTo(DROPPED);
    }

    @Test
    void withoutConntrackEveryPodFlowThatNeedsNoSnatIsUntracked() {
        RuleWalker w = walker(Map.of("bpf.masquerade", true, "installNoConntrackIptablesRules", true), new IpMasqAgentFile.Absent());
        assertThat(w.tracked(RuleWalker.Packet.of(POD, "10.44.1.10", "tcp"))).as("to a pod on another node").isFalse();
        assertThat(w.tracked(RuleWalker.Packet.of(POD, OTHER_NODE, "tcp"))).as("to another node").isFalse();
        assertThat(w.tracked(RuleWalker.Packet.of("10.44.1.10", POD, "udp"))).as("from a remote pod to this node's pod").isFalse();
        assertThat(w.tracked(RuleWalker.Packet.of("198.20.0.10", POD, "tcp"))).as("to a pod from outside (-d the CIDR)").isFalse();
        assertThat(w.tracked(RuleWalker.Packet.of(NODE, "198.20.0.10", "tcp"))).as("the host's own traffic").isTrue();
        assertThat(w.walk(RuleWalker.Packet.of(POD, "10.44.1.10", "tcp"))).isEqualTo(UNCHANGED);
        RuleWalker agent = walker(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true, "installNoConntrackIptablesRules", true),
                new IpMasqAgentFile.Present(List.of(Cidr.parse("192.168.0.0/16")), false));
        assertThat(agent.tracked(RuleWalker.Packet.of(POD, "192.168.77.10", "tcp"))).as("an ip-masq-agent CIDR: not SNATed").isFalse();
        assertThat(agent.walk(RuleWalker.Packet.of(POD, "192.168.77.10", "tcp"))).isEqualTo(UNCHANGED);
        assertThat(agent.walk(RuleWalker.Packet.of(POD, "198.20.0.10", "tcp"))).isEqualTo(SNAT);
    }

    /** Why Cilium refuses the toggle without BPF masquerading: iptables' MASQUERADE cannot see an untracked flow. */
    @Test
    void withoutConntrackIptablesMasqueradingNoLongerSeesPodFlows() {
        RuleWalker w = walker(Map.of("bpf.masquerade", false, "installNoConntrackIptablesRules", true), new IpMasqAgentFile.Absent());
        assertThat(w.tracked(RuleWalker.Packet.of(POD, "198.20.0.10", "tcp"))).isFalse();
        assertThat(w.walk(RuleWalker.Packet.of(POD, "198.20.0.10", "tcp"))).isEqualTo(UNCHANGED);
        RuleWalker tracked = walker(Map.of("bpf.masquerade", false), new IpMasqAgentFile.Absent());
        assertThat(tracked.tracked(RuleWalker.Packet.of(POD, "10.44.1.10", "tcp"))).as("without the toggle everything is tracked").isTrue();
    }
}
