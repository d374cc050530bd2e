package io.masqharness.tuning;

import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.AgentConfigDeriver;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.HelmRefusedException;
import io.masqharness.oracle.HelmResolution;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.oracle.OracleException;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.oracle.VersionRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tuning toggles of one mode, as Helm and the agent would run them on a node with a given kernel: each rule in the
 * agent's order (facts/cilium-tuning-series.md §1.4), the interlocks carried from one to the next (iptables masquerading
 * → legacy host routing → BIG TCP and BBR refused). Pure: no cluster, no files.
 */
public final class TuningOracle {

    private TuningOracle() {
    }

    /**
     * @param values   the mode's Helm values, base and mode flattened as {@code --reuse-values --set} leaves them
     * @param modeKeys the keys the mode itself sets: its upgrade changes only these
     * @param file     the ip-masq-agent file the agent reads (the masquerading oracle needs it)
     */
    public static TuningAnswer judge(String mode, HelmValues values, Set<String> modeKeys, IpMasqAgentFile file, CiliumVersion version,
                                     Kernel kernel) {
        Map<Toggle, String> refusals = new LinkedHashMap<>();
        HelmValues readable = values;
        HelmResolution helm;
        try {
            helm = HelmResolution.of(readable, version);
        } catch (RefusedConfigurationException e) {
            // An invalid kubeProxyReplacement or routing value: refused, and the rest read without it.
            Toggle t = e.getMessage().contains("routing mode") || e.getMessage().contains("tunnel mode") ? Toggle.NATIVE_ROUTING
                    : Toggle.KUBE_PROXY_REPLACEMENT;
            refusals.put(t, e.getMessage());
            Map<String, Object> without = new LinkedHashMap<>(values.asMap());
            without.keySet().removeAll(t == Toggle.NATIVE_ROUTING ? Set.of("tunnel", "routingMode", "tunnelProtocol")
                    : Set.of("kubeProxyReplacement"));
            readable = HelmValues.of(without);
            helm = HelmResolution.of(readable, version);
        }
        Optional<AgentConfig> agent = Optional.empty();
        Optional<String> otherRefusal = Optional.empty();
        boolean helmOther = false;
        try {
            agent = Optional.of(AgentConfigDeriver.derive(readable, file, version));
        } catch (RefusedConfigurationException e) {
            Optional<Toggle> owner = owner(e);
            String why = (e instanceof HelmRefusedException ? "Helm refuses: " : "") + e.getMessage();
            if (owner.isPresent()) {
                refusals.putIfAbsent(owner.get(), why);
            } else {
                otherRefusal = Optional.of(why);
                helmOther = e instanceof HelmRefusedException;
            }
        } catch (OracleException e) {
            otherRefusal = Optional.of(e.getMessage());
        }
        boolean masquerading = readable.bool("ipv4.enabled", true) && readable.bool("enableIPv4Masquerade", true);
        boolean bpfMasquerade = agent.map(a -> a.mode() == MasqueradeMode.BPF)
                .orElse(masquerading && readable.bool("bpf.masquerade", false) && helm.nodePort());
        TuningContext c = new TuningContext(readable, modeKeys, version, kernel, helm, bpfMasquerade, masquerading);

        List<ToggleVerdict> verdicts = new ArrayList<>();
        verdicts.add(NativeRoutingRule.judge(c, Optional.ofNullable(refusals.get(Toggle.NATIVE_ROUTING))));
        verdicts.add(KubeProxyReplacementRule.judge(c, Optional.ofNullable(refusals.get(Toggle.KUBE_PROXY_REPLACEMENT))));
        verdicts.add(BpfMasqueradeRule.judge(c, agent, Optional.ofNullable(refusals.get(Toggle.BPF_MASQUERADE))));
        verdicts.add(DsrRule.judge(c));
        ToggleVerdict hostRouting = HostRoutingRule.judge(c);
        boolean bpfHostRouting = hostRouting.effective().equals("bpf");
        verdicts.add(NoConntrackRule.judge(c, bpfHostRouting));
        verdicts.add(hostRouting);
        verdicts.add(BigTcpRule.judge(c, bpfHostRouting));
        verdicts.add(HubbleRule.judge(c));
        verdicts.add(MtuRule.judge(c));
        ToggleVerdict bandwidthManager = BandwidthManagerRule.judge(c);
        verdicts.add(bandwidthManager);
        verdicts.add(BbrRule.judge(c, bandwidthManager, bpfHostRouting));
        verdicts.add(XdpRule.judge(c));
        verdicts.add(MapSizesRule.judge(c));

        Optional<String> other = otherRefusal;
        Optional<String> refused = verdicts.stream().filter(v -> v.outcome() == Outcome.REFUSED)
                .min(Comparator.comparing(ToggleVerdict::stage))
                .map(v -> v.toggle().jsonName() + ": " + v.why())
                .or(() -> other);
        if (helmOther && other.isPresent()) {
            refused = other; // Helm fails first: nothing is deployed for the agent to refuse
        }
        return new TuningAnswer(mode, refused, verdicts);
    }

    /** Which toggle a refusal of the masquerading oracle belongs to; empty for one that is none of them. */
    static Optional<Toggle> owner(RefusedConfigurationException e) {
        Optional<VersionRule> rule = e.rule();
        if (rule.filter(r -> r == VersionRule.KPR_TRUE_FALSE || r == VersionRule.KPR_TRUE_FALSE_REFUSED
                || r == VersionRule.KPR_LEGACY_REFUSED).isPresent()) {
            return Optional.of(Toggle.KUBE_PROXY_REPLACEMENT);
        }
        if (rule.filter(r -> r == VersionRule.TUNNEL_REFUSED || r == VersionRule.AUTO_DIRECT_ROUTES_TUNNEL).isPresent()
                || e.getMessage().startsWith("native routing cidr")) {
            return Optional.of(Toggle.NATIVE_ROUTING);
        }
        if (e.getMessage().contains("masquerade") || e.getMessage().contains("Masquerade")) {
            return Optional.of(Toggle.BPF_MASQUERADE);
        }
        return Optional.empty();
    }
}
