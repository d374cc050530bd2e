package io.masqharness.oracle;

import io.masqharness.net.Ipv4;

/**
 * Host-originated IPv4 ICMP with BPF NodePort on (facts §1.1 step 1, §1.3, D4). In Cilium 1.13/1.14
 * bpf/lib/nat.h snat_v4_prepare_state SNATs every packet whose source is the node's address
 * ({@code IPV4_DIRECT_ROUTING}) on the direct-routing device once BPF NodePort is on, to avoid port
 * collisions with NodePort's own SNAT, even with iptables masquerading. snat_v4_nat then translates
 * only ICMP echo (request, and reply passed through) and Destination Unreachable / fragmentation
 * needed; every other type is dropped ({@code DROP_NAT_UNSUPP_PROTO}, other Destination Unreachable
 * codes {@code DROP_UNKNOWN_ICMP_CODE}): issue #23955 (1.12-1.14), issue #29250. From 1.15 the same
 * verdict is kept, unverified ({@link VersionRule#HOST_ICMP_NAT_CONFLICT}).
 */
final class HostIcmpRules {

    private HostIcmpRules() {
    }

    /** The host answer, or the drop when the flow is non-echo ICMP that leaves through a BPF NodePort device. */
    static Expectation apply(AgentConfig agent, ClusterFacts.Node node, Ipv4 dst, Protocol protocol, Expectation hostAnswer) {
        if (!agent.nodePort() || protocol.kind() != Protocol.Kind.ICMP || protocol.isIcmpEcho()
                || hostAnswer.source() != Expectation.Source.NODE_IP || node.ip().equals(dst)) {
            return hostAnswer;
        }
        Expectation dropped = Expectation.dropped("host traffic from the node's address " + node.ip() + " leaving through "
                + node.device() + " with BPF NodePort on is SNATed by bpf_host to avoid port collisions (even without BPF"
                + " masquerading), and BPF NAT translates only ICMP echo and fragmentation-needed: ICMP type "
                + protocol.icmpType() + " is dropped (DROP_NAT_UNSUPP_PROTO, or DROP_UNKNOWN_ICMP_CODE for other"
                + " destination-unreachable codes; issues #23955, #29250)" + (protocol.icmpType() == 3
                ? "; only code 4, fragmentation needed, would be translated, and a probe names no code" : ""));
        return VersionRule.HOST_ICMP_NAT_CONFLICT.appliesTo(agent.version()) ? dropped.by(VersionRule.HOST_ICMP_NAT_CONFLICT) : dropped;
    }
}
