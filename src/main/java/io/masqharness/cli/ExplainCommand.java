package io.masqharness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.masqharness.explain.Explainer;
import io.masqharness.explain.Explanation;
import io.masqharness.explain.ModeMatrix;
import io.masqharness.explain.RuleRef;
import io.masqharness.explain.TuningExplainer;
import io.masqharness.tuning.Kernel;
import io.masqharness.tuning.TuningAnswer;
import io.masqharness.net.Family;
import io.masqharness.oracle.Protocol;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Print the source address a flow must leave with, and why, by the rules of the scenario's",
                "cilium.version (1.13.x to 1.16.x): the version rules the answer rests on, with their sources,",
                "and \"unverified\" when it rests on a fact not settled against the release.",
                "With --matrix: every mode x destination x protocol, marking what changes between modes.",
                "Exit status 2 when the scenario is invalid or Cilium (or Helm) would refuse the mode",
                "(with --matrix: any of its modes).",
                "With --tuning: each tuning toggle of the mode (native routing, kube-proxy replacement, BPF",
                "masquerading, DSR, conntrack bypass, host routing, IPv6 BIG TCP, Hubble, MTU, bandwidth manager,",
                "BBR, XDP, map sizes): requested, effective (on, off, fallback, refused, ignored) and why, on a",
                "node with --kernel (default: this machine's). Exit status 2 when the mode would be refused."})
final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "scenario YAML file")
    Path scenario;

    @Option(names = "--mode", paramLabel = "NAME", description = "mode name from the scenario")
    String mode;

    @Option(names = "--from", paramLabel = "pod:NODE|node:NODE", description = "flow source (default: pod on the first node)")
    String from;

    @Option(names = "--to", paramLabel = "IP|DESTINATION", description = "IP, destination name, node:NODE or pod:NODE")
    String to;

    @Option(names = "--protocol", paramLabel = "PROTO", defaultValue = "tcp",
            description = "tcp, udp, sctp, icmp-echo or icmp-<type> (default: ${DEFAULT-VALUE})")
    String protocol;

    @Option(names = "--family", paramLabel = "ipv4|ipv6",
            description = "the flow's family, for a destination given in both and for node:/pod: targets (default: ipv4;"
                    + " an IPv6 address or an IPv6-only destination is IPv6 by itself)")
    String family;

    @Option(names = "--matrix", description = "print the mode x destination x protocol table (IPv4 and IPv6 rows on a dual-stack cluster)")
    boolean matrix;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--tuning", description = "the tuning toggles of --mode instead of a flow")
    boolean tuning;

    @Option(names = "--kernel", paramLabel = "X.Y[.Z]", description = "with --tuning: the nodes' kernel (default: this machine's, uname -r)")
    String kernel;

    @Override
    public Integer call() throws Exception {
        Scenario s = new ScenarioLoader().load(scenario);
        String source = from != null ? from : "pod:" + s.cluster().nodes().get(0).name();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        var out = spec.commandLine().getOut();
        if (tuning) {
            return tuning(s, mapper, out);
        }
        if (kernel != null) {
            throw new ParameterException(spec.commandLine(), "--kernel goes with --tuning");
        }
        if (matrix) {
            ModeMatrix m = ModeMatrix.of(s, source);
            out.println(json ? mapper.writeValueAsString(m) : m.toTable());
            List<String> refused = m.modes().stream().filter(c -> c.refused() != null).map(c -> "'" + c.name() + "' (" + c.refused() + ")").toList();
            if (!refused.isEmpty()) {
                spec.commandLine().getErr().println("Cilium " + m.ciliumVersion() + " would refuse mode " + String.join(", mode ", refused)
                        + " of " + scenario);
                return Main.BAD_INPUT;
            }
            return 0;
        }
        if (mode == null || to == null) {
            throw new ParameterException(spec.commandLine(), "explain needs --mode and --to (or --matrix)");
        }
        Protocol proto;
        try {
            proto = Protocol.parse(protocol);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--protocol: " + e.getMessage());
        }
        java.util.Optional<Family> fam;
        try {
            fam = family == null ? java.util.Optional.empty() : java.util.Optional.of(Family.fromLabel(family));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--family: " + e.getMessage());
        }
        Explanation e;
        try {
            e = Explainer.explain(s, mode, source, to, fam, proto);
        } catch (RefusedConfigurationException refused) {
            String who = refused.by().equals("helm") ? "Helm (chart " + s.cilium().version() + ")" : "Cilium " + s.cilium().version();
            String message = who + " would refuse mode '" + mode + "' of " + scenario + ": " + refused.getMessage();
            if (json) {
                java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
                j.put("mode", mode);
                j.put("ciliumVersion", s.cilium().version());
                j.put("effectiveMode", "refused");
                j.put("refused", true);
                j.put("refusedBy", refused.by());
                j.put("reason", refused.getMessage());
                j.put("rules", RuleRef.of(refused.rule().stream().toList()));
                if (!refused.unverified().isEmpty()) {
                    j.put("unverified", Explainer.unverified(refused.unverified()));
                }
                out.println(mapper.writeValueAsString(j));
            }
            spec.commandLine().getErr().println(message);
            return Main.BAD_INPUT;
        }
        if (json) {
            out.println(mapper.writeValueAsString(e));
        } else {
            out.printf("%s -> %s (%s) %s in mode %s%n", e.from(), e.to(), e.destination(), e.protocol(), e.mode());
            out.printf("  agent:  %s%s%s%n", e.expectedStatus(), e.statusFamilies() != null ? " " + e.statusFamilies() : "", e.fallback() != null ? " (fell back: " + e.fallback() + ")" : "");
            if (e.ipMasqAgentCidrs() != null) {
                out.printf("  ip-masq-agent CIDRs: %s%n", String.join(", ", e.ipMasqAgentCidrs()));
            }
            out.printf("  source: %s%s%n", e.source(), e.sourceAddress() != null ? " " + e.sourceAddress() : "");
            out.printf("  why:    %s%n", e.reason());
            out.printf("  rules:  Cilium %s, routing %s%n", e.ciliumVersion(), e.routing());
            e.rules().forEach(r -> out.printf("    %s: %s [%s]%n", r.id(), r.rule(), r.source()));
            if (e.values() != null) {
                e.values().forEach(v -> out.printf("  value %s: %s -> %s%n", v.key(), v.problem(), v.suggestion()));
            }
            if (e.unverified() != null) {
                out.printf("  unverified: %s%n", e.unverified());
            }
        }
        return 0;
    }

    /** The tuning toggles of --mode: printed, and exit 2 when Helm or the agent would refuse the mode. */
    private int tuning(Scenario s, ObjectMapper mapper, java.io.PrintWriter out) throws Exception {
        if (mode == null || matrix || to != null) {
            throw new ParameterException(spec.commandLine(), "--tuning needs --mode (and no --to or --matrix)");
        }
        Kernel k;
        try {
            k = Kernel.parse(kernel != null ? kernel : System.getProperty("os.version"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--kernel: " + e.getMessage());
        }
        TuningAnswer a = TuningExplainer.explain(s, mode, k);
        out.println(json ? mapper.writeValueAsString(a.toJson()) : "Cilium " + s.cilium().version() + ", kernel " + k + "\n" + a.toText());
        if (a.refused().isPresent()) {
            spec.commandLine().getErr().println("Cilium " + s.cilium().version() + " (or its chart) would refuse mode '" + mode + "' of "
                    + scenario + ": " + a.refused().get());
            return Main.BAD_INPUT;
        }
        return 0;
    }
}
