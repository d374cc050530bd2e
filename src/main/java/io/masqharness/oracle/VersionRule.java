package io.masqharness.oracle;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What differs between the Cilium versions the oracle knows, one entry per difference: from which
 * release on (and until which) it holds, what it is, where it was read, and, for a fact not settled
 * against the release itself, why it is not ({@link #unverified()}). Everything not listed here is
 * shared by every line: the 1.13.4 rules ({@link #BASELINE}). A line's differences are
 * {@link #in(CiliumVersion)}.
 *
 * <p>"chart cilium-X templates/…" means the file in the Helm chart released as X (github.com/cilium/charts,
 * cilium-X.tgz), read for every patch release of 1.13 to 1.16.
 */
public enum VersionRule {

    BASELINE("cilium-1.13", range(13, 0, 99, 0),
            "the Cilium 1.13.4 masquerading rules, shared by every later line unless a rule below replaces them",
            "facts/cilium-1.13-masquerading.md, read at tag v1.13.4; 1.14-1.16 changes: facts/cilium-masquerading-1.14-1.16.md",
            null),

    KPR_TRUE_FALSE_REFUSED("kpr-legacy-values-only", range(13, 0, 14, 0),
            "kubeProxyReplacement must be disabled, partial or strict: the 1.13 chart fails on any other value (true, false)",
            "chart cilium-1.13.4 templates/cilium-configmap.yaml:56-58", null),

    ROUTING_MODE("routing-mode", range(14, 0, 99, 0),
            "Helm routingMode (native|tunnel) and tunnelProtocol (vxlan|geneve) choose the routing; tunnel is deprecated"
                    + " (tunnel=disabled is routing-mode native, tunnel=vxlan|geneve is routing-mode tunnel)",
            "chart cilium-1.14.0 templates/cilium-configmap.yaml:428-457; Documentation/operations/upgrade.rst 1.14 notes (PR #26577)",
            null),

    TUNNEL_IGNORED("tunnel-ignored", range(15, 0, 15, 8, 16, 0, 16, 2),
            "the chart no longer reads tunnel: routing-mode comes from routingMode only and defaults to tunnel (vxlan),"
                    + " so tunnel=disabled silently turns native routing into vxlan tunnelling",
            "chart cilium-1.15.0..1.15.7 and cilium-1.16.0..1.16.1 templates/cilium-configmap.yaml (routing-mode from"
                    + " routingMode only) and templates/validate.yaml (no tunnel check)", null),

    TUNNEL_REFUSED("tunnel-refused", range(15, 8, 16, 0, 16, 2, 99, 0),
            "Helm refuses any tunnel value: 'tunnel was deprecated in v1.14 and has been removed in v1.15.'",
            "chart cilium-1.15.8 and cilium-1.16.2 templates/validate.yaml (added in those patch releases)", null),

    KPR_TRUE_FALSE("kpr-true-false", range(14, 0, 99, 0),
            "kubeProxyReplacement true|false; strict (read as true), partial and disabled are deprecated; the chart's default"
                    + " is false, with which nodePort.enabled and socketLB.enabled are honoured (1.13's default, disabled, ignored them)",
            "chart cilium-1.14.0 templates/cilium-configmap.yaml:14,62-68,670-681; Documentation/operations/upgrade.rst 1.14"
                    + " notes (PR #26577)", null),

    KPR_LEGACY_REFUSED("kpr-legacy-refused", range(16, 0, 99, 0),
            "Helm refuses kubeProxyReplacement strict, partial and disabled: 'kubeProxyReplacement must be explicitly set"
                    + " to a valid value (true or false) to continue.' (the agent refuses them too)",
            "chart cilium-1.16.0 templates/cilium-configmap.yaml:69-71; PR #31286", null),

    FALLBACK_BOTH_FAMILIES("fallback-either-family", range(14, 0, 15, 0),
            "BPF masquerading's prerequisites (and its silent fallback to iptables) apply when IPv4 or IPv6 is masqueraded",
            "facts C1 (daemon/cmd/daemon.go, 1.14-era revisions)",
            "C1: read in 1.14-era revisions of daemon/cmd/daemon.go, not at a v1.14 tag"),

    FALLBACK_FATAL("no-silent-fallback", range(15, 0, 99, 0),
            "a BPF masquerading prerequisite that is missing makes the agent fail ('unable to initialize BPF masquerade"
                    + " support') instead of falling back to iptables",
            "PR #29778 (not backported); Documentation/operations/upgrade.rst 1.15 notes", null),

    NO_MASQUERADING_FATAL("bpf-needs-masquerading", range(15, 0, 99, 0),
            "bpf.masquerade with IPv4 and IPv6 masquerading both off makes the agent fail instead of turning BPF masquerading off",
            "PR #29778; daemon/cmd/daemon.go 1.15-era revision ('BPF masquerade requires (--enable-ipv4-masquerade=\"true\""
                    + " or --enable-ipv6-masquerade=\"true\")')", null),

    REMOTE_NODE_IDENTITY_DEPRECATED("remote-node-identity-deprecated", range(15, 0, 16, 0),
            "remoteNodeIdentity is deprecated (still written as enable-remote-node-identity and still required by BPF masquerading)",
            "chart cilium-1.15.0 values.yaml:2239-2242 and templates/cilium-configmap.yaml:847; Documentation/operations/upgrade.rst 1.15 notes",
            null),

    REMOTE_NODE_IDENTITY_ALWAYS("remote-node-identity-always", range(16, 0, 99, 0),
            "remote nodes always have the remote-node identity: the chart no longer writes remoteNodeIdentity, and BPF"
                    + " masquerading no longer requires it",
            "chart cilium-1.16.0 templates/cilium-configmap.yaml (no enable-remote-node-identity); Documentation/operations/"
                    + "upgrade.rst 1.16 notes", null),

    REMOTE_NODE_IDENTITY_REFUSED("remote-node-identity-refused", range(16, 2, 99, 0),
            "Helm refuses remoteNodeIdentity when it is set to true: 'remoteNodeIdentity was deprecated in v1.15 and has been"
                    + " removed in v1.16.' (false is ignored)",
            "chart cilium-1.16.2 templates/validate.yaml:21-22", null),

    IPV6_BPF_MASQUERADE("ipv6-bpf-masquerade", range(14, 0, 99, 0),
            "BPF masquerading translates IPv6 as it does IPv4 (exclusion CIDR, ip-masq-agent, remote-node identity in native"
                    + " routing); ICMPv6 echo request is translated, other ICMPv6 needing SNAT is dropped",
            "PR #23165 (v1.14.0 release notes: 'Implement BPF-based masquerading for IPv6'); bpf/lib/nat.h snat_v6_needs_masquerade,"
                    + " snat_v6_nat (facts D1, D2)", null),

    IPV6_BPF_HOST_FIREWALL("ipv6-bpf-host-firewall", range(14, 0, 16, 0),
            "the agent refuses IPv6 BPF masquerading with the host firewall: 'IPv6 BPF masquerade is not supported along with"
                    + " the host firewall.'",
            "PR #23165 (commit 10 of its list); lifted in 1.16 by PR #31511 (revert of that check, in main before v1.16.0-pre.3"
                    + " per PR #32685 of 2024-05-23)", null),

    IPV6_IP_MASQ_AGENT("ipv6-ip-masq-agent", range(14, 0, 99, 0),
            "the ip-masq-agent reads IPv6 nonMasqueradeCIDRs (applied to IPv6 flows) and masqLinkLocalIPv6 (fe80::/10 is"
                    + " not masqueraded unless it is true); a file with IPv6 entries is no longer rejected",
            "PR #23219; pkg/ipmasq/ipmasq.go (facts M1, M2)", null),

    IP_MASQ_AGENT_EITHER_FAMILY("ip-masq-agent-either-family", range(14, 0, 99, 0),
            "the ip-masq-agent needs BPF masquerading and IPv4 or IPv6 masquerading (1.13: IPv4 masquerading and IPv4)",
            "daemon/cmd/daemon.go 1.14/1.15-era revisions (facts M4)", null),

    IP_MASQ_AGENT_NATIVE_CIDR_OPTIONAL("ip-masq-agent-exclusion", range(15, 0, 99, 0),
            "with the ip-masq-agent the native-routing CIDR is optional, and only it is excluded by CIDR (the node's pod CIDR"
                    + " no longer is)",
            "PR #27747 (facts C7, M5)",
            "C7/M5: PR #27747 was merged into main after 2023-08-29 (its review); its presence at the v1.15.0 tag was"
                    + " not confirmed against the tag"),

    ROUTE_SOURCE("masquerade-route-source", range(15, 0, 99, 0),
            "enableMasqueradeRouteSource (iptables only: SNAT to the route's source address); with BPF masquerading the agent"
                    + " refuses it",
            "PR #27618; chart cilium-1.15.0 values.yaml:1821-1822 and templates/cilium-configmap.yaml; daemon/cmd/daemon.go"
                    + " 1.15-era revision", null),

    AUTO_DIRECT_ROUTES_TUNNEL("auto-direct-routes-tunnel", range(14, 0, 99, 0),
            "the agent refuses autoDirectNodeRoutes with tunnelling: 'auto-direct-node-routes cannot be used with tunneling.'",
            "daemon/cmd/daemon_main.go initEnv (TunnelingEnabled() && EnableAutoDirectRouting); a 1.15.3 agent's log"
                    + " (facts/cilium-tuning-series.md §2.1)", null),

    SOCKET_LB_TUNNEL_116("socket-lb-tunnel-1.16", range(16, 0, 17, 0),
            "BPF masquerading in tunnel mode still requires socket-LB in 1.16",
            "facts C8: PR #33728 removed the requirement on main (2024-07-11)",
            "C8: PR #33728 was merged after the v1.16 branch was cut; whether 1.16.x has it was not checked"),

    KPR_STRICT_115("kpr-strict-1.15", range(15, 0, 16, 0),
            "kubeProxyReplacement=strict is read as true (NodePort and socket-LB on)",
            "Documentation/operations/upgrade.rst 1.14 notes ('true corresponds to strict')",
            "H5: issue #32711 reports 1.15.5 not enabling NodePort with strict (closed, need-more-info); not checked in 1.15 code"),

    CILIUM_HOST_IPV6("cilium-host-ipv6", range(14, 0, 99, 0),
            "cilium_host's IPv6 is assigned from the IPAM pool instead of the node's address",
            "facts I6: 1.14 upgrade notes, as summarised in facts/cilium-masquerading-1.14-1.16.md",
            "I6: host-network IPv6 to a pod, routed through cilium_host, may leave with cilium_host's pod-range IPv6 rather"
                    + " than the node's from 1.14; the route's source was not checked in 1.14+ code"),

    BPF_NODE_ADDRESS_116("bpf-masquerade-node-address-1.16", range(16, 0, 17, 0),
            "BPF masquerading takes the node address from the node-address table: the egress device's primary address,"
                    + " a public one preferred over a private one (1.15 preferred the K8s node IP on that device)",
            "PR #30457 (merged into main in January 2024, in 1.16 by branch timing: facts S1); issue #41866 ('Cilium 1.16 BPF"
                    + " Masquerade picks different host IP address (when using multiple IPs per interface)', affects/v1.16,"
                    + " reported on v1.16.15); PR #33629 (K8s node IP prioritisation); fix PR #43996 (January 2026)",
            "S1: on a node with several IPv4 addresses (IPv6 for an IPv6 flow) on the egress device, the BPF masquerade source is taken from the"
                    + " node-address table (primary, public preferred over private; PR #30457) and can differ from 1.15's"
                    + " choice, the K8s node IP (issue #41866, fixed by PR #43996); which 1.16 patch releases have PR #33629"
                    + " and whether PR #43996 reached 1.16 was not checked"),

    HOST_ICMP_NAT_CONFLICT("host-icmp-nat-conflict", range(15, 0, 17, 0),
            "host-originated ICMP other than echo, leaving through a BPF NodePort device, is still predicted dropped by the"
                    + " port-collision SNAT of host traffic (as in 1.13/1.14: issues #23955, #29250)",
            "facts D4: PR #26674 (merged July 2023, 1.15 by timing) moved that SNAT into nodeport_has_nat_conflict_ipv4;"
                    + " a later bpf/lib/nodeport_egress.h (>=1.17) calls it only under lb_is_svc_proto(tuple.nexthdr)",
            "D4: the release that added the lb_is_svc_proto guard before nodeport_has_nat_conflict_ipv4 was not found"
                    + " (bpf/lib/nodeport.h was not read at v1.15.0 or v1.16.0); with the guard, host ICMP is not SNATed and"
                    + " leaves with the node IP"),

    EGRESS_INTERFACES_JOINED_115("egress-masquerade-interfaces-joined-1.15", range(15, 0, 16, 0),
            EgressInterfaceRules.RULE, EgressInterfaceRules.SOURCE + "; 1.15's list type: daemon/cmd/daemon_main.go 1.15-era"
                    + " revision (len(option.Config.MasqueradeInterfaces), facts H8)",
            "I4: the join was read in a 1.16-era iptables.go, not in 1.15's (1.15 already holds the list, facts H8), and"
                    + " whether PR #36103 was backported to this 1.15 patch release was not found (it was nominated for"
                    + " v1.15 in January 2025, PR #36504's discussion, and questioned as outside the backport criteria);"
                    + " if it was, this flow leaves with the node IP"),

    EGRESS_INTERFACES_JOINED_116("egress-masquerade-interfaces-joined-1.16", range(16, 0, 17, 0),
            EgressInterfaceRules.RULE, EgressInterfaceRules.SOURCE,
            "I4: whether PR #36103 was backported to this 1.16 patch release was not found (PR #36103's discussion:"
                    + " 'technically we could consider this a bugfix for v1.16', after reverting the flag's type change,"
                    + " PR #36504); if it was, this flow leaves with the node IP");

    private final String id;
    private final int[] ranges;
    private final String rule;
    private final String source;
    private final String unverified;

    VersionRule(String id, int[] ranges, String rule, String source, String unverified) {
        this.id = id;
        this.ranges = ranges;
        this.rule = rule;
        this.source = source;
        this.unverified = unverified;
    }

    public String id() {
        return id;
    }

    public String rule() {
        return rule;
    }

    public String source() {
        return source;
    }

    /** Why the fact is not settled against the release, when it is not. */
    public Optional<String> unverified() {
        return Optional.ofNullable(unverified);
    }

    /** Whether the rule holds in that release. */
    public boolean appliesTo(CiliumVersion v) {
        for (int i = 0; i < ranges.length; i += 4) {
            if (v.atLeast(ranges[i], ranges[i + 1]) && !v.atLeast(ranges[i + 2], ranges[i + 3])) {
                return true;
            }
        }
        return false;
    }

    /** The rules of a release, baseline first: its differences from 1.13.4 read as this list. */
    public static List<VersionRule> in(CiliumVersion v) {
        return Arrays.stream(values()).filter(r -> r.appliesTo(v)).toList();
    }

    /** Pairs of [from, until) minor.patch bounds, e.g. 15,0,15,8 for 1.15.0 up to (not including) 1.15.8. */
    private static int[] range(int... bounds) {
        return bounds;
    }

    @Override
    public String toString() {
        return id;
    }
}
