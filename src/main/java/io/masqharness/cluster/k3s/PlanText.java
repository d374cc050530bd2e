package io.masqharness.cluster.k3s;

import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.k8s.ProbeWorkload;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.util.Map;
import java.util.stream.Collectors;

/** The ordered plan a person reviews before a run: {@code plan --scenario FILE [--backend k3s|kubeconfig]}. */
public final class PlanText {

    private final StringBuilder out = new StringBuilder();
    private int step;

    private PlanText() {
    }

    public static String k3s(K3sPlan plan) {
        PlanText t = new PlanText();
        Scenario s = plan.scenario();
        t.title("Plan for scenario " + s.name() + " on the k3s backend (K3s " + s.cluster().k3sImage() + ", Cilium "
                + s.cilium().version() + ")");
        t.step("remove leftovers of killed runs (containers and networks labelled io.masqharness.*)");
        t.step("resolve the probe image (tagged by content hash; built from k3s-images/probe when missing)");
        t.step("create Docker network " + s.cluster().subnet() + " (labelled; probe traffic is pinned to the external"
                + " host by routes, checked before any probe)");
        for (ContainerPlan c : plan.containers()) {
            t.step("start container " + c.name() + " [" + c.role() + "] at " + c.ip());
            t.line("image:        " + c.image());
            if (!c.entrypoint().isEmpty()) {
                t.line("entrypoint:   " + String.join(" ", c.entrypoint()));
            }
            t.line("command:      " + String.join(" ", c.command()));
            c.mounts().forEach(m -> t.line("mount:        " + m));
            t.line("capabilities: " + String.join(", ", c.capabilities()) + (c.privileged() ? "; privileged" : "")
                    + "; cgroupns=" + c.cgroupns());
            c.env().forEach((k, v) -> t.line("env:          " + k + "=" + v));
            c.copied().forEach(f -> t.line((c.name().equals("external") ? "setup:        " : "copied in:    ") + f));
            t.line("wait:         " + c.waitFor());
        }
        t.step("route every destination to the external host on each node, then verify with `ip route get`:");
        plan.nodeRoutes().forEach(t::line);
        t.step("helm install " + K3sPlan.CILIUM_RELEASE + " " + K3sPlan.CILIUM_CHART + " --version " + s.cilium().version()
                + " -n " + K3sPlan.CILIUM_NAMESPACE + " (chart from " + K3sPlan.CILIUM_REPO
                + ", or -Dharness.ciliumChart=<local .tgz>), wait at most " + K3sPlan.HELM.toMinutes() + " min, values:");
        values(t, plan.installValues());
        t.step("wait until " + s.cluster().nodes().size() + " nodes are Ready, at most " + K3sPlan.NODES_READY.toMinutes() + " min");
        t.step("external host: routes to each node's pod CIDR, echo servers (tcp/7000, udp/7001) and tcpdump");
        t.step("deploy probe DaemonSet " + ProbeWorkload.NAME + " in namespace masq-harness-<run> (labelled "
                + ProbeWorkload.OWNER_LABEL + "=" + ProbeWorkload.OWNER + "), wait at most " + K3sPlan.PROBES_READY.toMinutes() + " min");
        for (ModeSpec mode : s.modes()) {
            modeSteps(t, plan, mode);
        }
        t.step("teardown: delete namespace masq-harness-<run>, stop containers, remove the network (also on failure;"
                + " a shutdown hook covers SIGINT)");
        return t.out.toString();
    }

    private static void modeSteps(PlanText t, K3sPlan plan, ModeSpec mode) {
        Scenario s = plan.scenario();
        t.title("mode " + mode.name());
        t.step("helm upgrade " + K3sPlan.CILIUM_RELEASE + " " + K3sPlan.CILIUM_CHART + " -n " + K3sPlan.CILIUM_NAMESPACE
                + " --reuse-values" + mode.values().entrySet().stream().map(e -> " --set " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining()) + " (wait at most " + K3sPlan.HELM.toMinutes() + " min); values in force:");
        values(t, plan.valuesInMode(mode));
        IpMasqAgentFile file = ScenarioFacts.ipMasqAgentFile(s, mode);
        t.step(mode.ipMasqAgentConfig().map(c -> "create or replace ConfigMap " + K3sPlan.CILIUM_NAMESPACE + "/"
                        + CiliumKube.IP_MASQ_CONFIGMAP + " key config = " + json(c))
                .orElse("delete ConfigMap " + K3sPlan.CILIUM_NAMESPACE + "/" + CiliumKube.IP_MASQ_CONFIGMAP + " if present ("
                        + file.describe() + ")"));
        t.step("restart Cilium agents: patch the DaemonSet pod template annotation " + CiliumKube.RESTARTED_AT
                + ", wait for the rollout (updated = ready = desired) at most " + K3sPlan.ROLLOUT.toMinutes() + " min");
        try {
            AgentConfig agent = ScenarioFacts.agentConfig(s, mode);
            if (agent.ipMasqAgent()) {
                t.step("wait until `cilium bpf ipmasq list` on every agent shows exactly " + agent.ipMasqAgentCidrs()
                        + " (polled every 5 s, at most " + K3sPlan.IPMASQ_PROPAGATION.toMinutes() + " min)");
            }
            t.step("verify every agent before probing: `cilium status` Masquerading line is " + agent.statusLabel()
                    + (agent.mode().name().equals("BPF") ? " with the exclusion CIDR" : "")
                    + "; `iptables-save -t nat` in cilium-agent " + (agent.mode().name().equals("IPTABLES")
                    ? "has the" : "has no") + " 'cilium masquerade non-cluster' rule"
                    + (agent.mode().name().equals("BPF") ? "; after the first flow `cilium bpf nat list` holds its XLATE_SRC entry" : "")
                    + agent.fallback().map(f -> "\n      NOTE: BPF was requested but Cilium falls back: " + f).orElse(""));
        } catch (RefusedConfigurationException e) {
            t.step("STOP: Cilium 1.13 refuses this mode: " + e.getMessage());
        }
        t.step("during the switch: a UDP stream at a fixed rate from a pod to the external host; report lost requests"
                + " and the longest gap");
        t.step("probe every pod -> every destination, other node and pod on another node over " + s.probes());
    }

    private static void values(PlanText t, Map<String, Object> values) {
        values.forEach((k, v) -> t.line(k + "=" + v));
    }

    private static String json(IpMasqAgentFile.Present c) {
        return "{\"nonMasqueradeCIDRs\":" + c.nonMasqueradeCidrs().stream().map(x -> "\"" + x + "\"")
                .collect(Collectors.joining(",", "[", "]")) + ",\"masqLinkLocal\":" + c.masqLinkLocal() + "}";
    }

    private void title(String text) {
        out.append('\n').append("== ").append(text).append('\n');
    }

    private void step(String text) {
        out.append(String.format("%3d. %s%n", ++step, text));
    }

    private void line(String text) {
        out.append("       ").append(text).append('\n');
    }

    /** The kubeconfig backend: an existing cluster, read-only unless opted in. */
    public static String kubeconfig(Scenario s, boolean allowModeSwitch) {
        PlanText t = new PlanText();
        t.title("Plan for scenario " + s.name() + " on the kubeconfig backend (an existing cluster; "
                + (allowModeSwitch ? "mode switches ALLOWED by opt-in" : "read-only") + ")");
        t.step("load the kubeconfig (-Dharness.kubeconfig, KUBECONFIG or ~/.kube/config; its contents are never printed or"
                + " reported); check the API server answers within 10 s");
        t.step("discover Cilium: the DaemonSet labelled " + CiliumKube.AGENT_LABEL + "=" + CiliumKube.AGENT_LABEL_VALUE
                + " in any namespace, its ConfigMap cilium-config, the Helm release values");
        t.step("discover nodes: InternalIP and spec.podCIDR of each");
        t.step("verify the current mode on every agent: `cilium status` Masquerading line, `iptables-save -t nat`,"
                + " `cilium bpf ipmasq list`");
        t.step("deploy probe DaemonSets " + ProbeWorkload.NAME + " and " + ProbeWorkload.HOST_NAME
                + " (image from -Dharness.kubeconfig.probeImage) in namespace masq-harness-<run>; wait at most "
                + K3sPlan.PROBES_READY.toMinutes() + " min; delete the namespace at the end");
        if (!allowModeSwitch) {
            t.step("probe the current mode only (read back from cilium-config and the ip-masq-agent ConfigMap); no write to"
                    + " Cilium's objects (switching needs " + CiliumKube.OPT_IN + ")");
        } else {
            t.step("remember cilium-config and the ip-masq-agent ConfigMap; refuse up front any mode value that cannot be"
                    + " read back from them");
            for (ModeSpec mode : s.modes()) {
                t.step("mode " + mode.name() + ": helm upgrade --reuse-values " + mode.values() + ", ip-masq-agent ConfigMap ("
                        + ScenarioFacts.ipMasqAgentFile(s, mode).describe() + "), restart agents, verify, probe");
            }
            t.step("restore the remembered values (helm upgrade --reuse-values --set <original>) and the ip-masq-agent"
                    + " ConfigMap, restart the agents, wait for the rollout");
        }
        return t.out.toString();
    }
}
