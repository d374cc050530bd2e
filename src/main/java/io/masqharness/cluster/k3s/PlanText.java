package io.masqharness.cluster.k3s;

import io.masqharness.cluster.k8s.CiliumHelm;
import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.k8s.ModeSwitch;
import io.masqharness.cluster.k8s.ProbeWorkload;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
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
        if (plan.dualStack()) {
            t.line("A RUN STOPS HERE, before starting anything: dual-stack is " + K3sPlan.DUAL_STACK_NOT_BUILT + ".");
        }
        t.step("remove leftovers of killed runs (containers and networks labelled io.masqharness.*)");
        t.step("images: every one below must be in the local Docker engine or in an archive in k3s-images/airgap/"
                + " (-D" + K3sImages.AIRGAP_DIR_PROPERTY + "); what is in neither is pulled (a progress line per image, at most "
                + K3sImages.PULL.toMinutes() + " min each); a failed pull skips the suites naming each image and the registry's error");
        plan.requiredImages().forEach(i -> t.line(i + (i.equals(s.cluster().k3sImage()) ? "   (runs the nodes)"
                : i.equals(K3sPlan.PAUSE_IMAGE) ? "   (K3s's pod sandbox, pinned with --pause-image)"
                : i.equals(plan.probeImage()) ? "   (built from k3s-images/probe, tagged by content hash)" : "   (Cilium)")));
        t.line("not needed: K3s add-ons disabled (" + String.join(", ", K3sPlan.DISABLED_ADDONS) + ", the helm controller)");
        t.step("create Docker network on a free subnet chosen at start: " + s.cluster().subnet() + " (the scenario's) when free,"
                + " else a free one of the same size in " + K3sPlan.SUBNET_POOL + "; every address below moves with it (labelled;"
                + " probe traffic is pinned to the external host by routes, checked before any probe)"
                + s.cluster().subnetV6().map(v6 -> "; dual-stack: also IPv6 " + v6 + " (--ipv6 --subnet " + v6 + ", internal;"
                + " the IPv6 addresses stay as written)").orElse(""));
        for (ContainerPlan c : plan.containers()) {
            t.step("start container " + c.name() + " [" + c.role() + "] at " + c.ip());
            t.line("image:        " + c.image());
            if (!c.entrypoint().isEmpty()) {
                t.line("entrypoint:   " + String.join(" ", c.entrypoint()));
            }
            t.line("command:      " + String.join(" ", c.command()));
            c.mounts().forEach(m -> t.line("mount:        " + m));
            t.line("capabilities: " + String.join(", ", c.capabilities()) + (c.privileged() ? "; privileged" : "")
                    + "; cgroupns=" + c.cgroupns() + (c.role().startsWith("k3s ") ? "; no Docker init (K3s is PID 1)" : ""));
            c.env().forEach((k, v) -> t.line("env:          " + k + "=" + v));
            c.copied().forEach(f -> t.line((c.name().equals("external") ? "setup:        " : "copied in:    ") + f));
            t.line("wait:         " + c.waitFor());
        }
        t.step("check every node's mounts (fail at once otherwise): " + K3sPlan.NODE_MOUNTS_CHECK);
        t.step("route every destination to the external host on each node, then verify with `ip route get`:");
        plan.nodeRoutes().forEach(t::line);
        t.step("verify on every node that containerd holds each node image (`k3s ctr -n k8s.io images ls -q`), at most "
                + K3sPlan.IMAGES_IN_CONTAINERD.toSeconds() + " s; a missing one stops the run naming it and K3s's import log");
        if (plan.dualStack()) {
            t.step("dual-stack (cluster.network.subnetV6 and cluster.podCIDRv6): K3s --cluster-cidr=" + plan.clusterCidr()
                    + " --service-cidr=" + plan.serviceCidr() + ", --node-ip with both families, each node a /"
                    + K3sPlan.NODE_CIDR_MASK_V6 + " of " + s.cluster().podCidrV6().get() + "; Cilium's IPv6 comes from the values"
                    + " (ipv6.enabled=" + plan.installValues().getOrDefault("ipv6.enabled", false) + ", ipv6NativeRoutingCIDR="
                    + plan.installValues().getOrDefault("ipv6NativeRoutingCIDR", "unset") + ", enableIPv6Masquerade per mode)");
        }
        t.step("helm install " + K3sPlan.CILIUM_RELEASE + " " + K3sPlan.CILIUM_CHART + " --version " + s.cilium().version()
                + " -n " + K3sPlan.CILIUM_NAMESPACE + " -f <values file> (chart from " + K3sPlan.CILIUM_REPO
                + ", or -Dharness.ciliumChart=<local .tgz of that version>), wait at most " + K3sPlan.HELM.toMinutes()
                + " min; the values file:");
        valuesFile(t, plan.installValues());
        t.step("wait until " + s.cluster().nodes().size() + " nodes are Ready, at most " + K3sPlan.NODES_READY.toMinutes() + " min");
        t.step("external host: routes to each node's pod CIDR, echo servers (tcp/7000, udp/7001) and tcpdump");
        t.step("deploy probe DaemonSets " + ProbeWorkload.NAME + " and " + ProbeWorkload.HOST_NAME + " in namespace masq-harness-<run>"
                + " (labelled " + ProbeWorkload.OWNER_LABEL + "=" + ProbeWorkload.OWNER + ", " + ProbeWorkload.POD_SECURITY
                + "=privileged), wait at most " + K3sPlan.PROBES_READY.toMinutes() + " min");
        for (ModeSpec mode : s.modes()) {
            modeSteps(t, plan, mode);
        }
        t.step("teardown: delete namespace masq-harness-<run>, stop containers, remove the network (also on failure;"
                + " a shutdown hook covers SIGINT); Cilium's BPF programs and pins go with the nodes' cgroups and bpffs");
        return t.out.toString();
    }

    private static void modeSteps(PlanText t, K3sPlan plan, ModeSpec mode) {
        Scenario s = plan.scenario();
        t.title("mode " + mode.name());
        ModeSwitch.describe(K3sPlan.CILIUM_RELEASE, K3sPlan.CILIUM_NAMESPACE, K3sPlan.CILIUM_NAMESPACE, "cilium", K3sPlan.CILIUM_CHART + " " + s.cilium().version(),
                mode.values(), K3sCluster.ipMasqAgentStep(plan, mode), K3sPlan.HELM, K3sPlan.ROLLOUT).forEach(t::step);
        t.line("values in force after the switch (--reuse-values):");
        values(t, plan.valuesInMode(mode));
        try {
            AgentConfig agent = ScenarioFacts.agentConfig(s, mode);
            if (agent.ipMasqAgent()) {
                t.step("wait until `cilium bpf ipmasq list` on every agent shows exactly " + agent.ipMasqAgentCidrs()
                        + " (polled every 5 s, at most " + K3sPlan.IPMASQ_PROPAGATION.toMinutes() + " min; "
                        + ScenarioFacts.ipMasqAgentFile(s, mode).describe() + ")");
            }
            t.step("verify every agent before probing: `cilium status` health, its Masquerading line is " + agent.statusLabel()
                    + (plan.dualStack() ? " " + agent.statusFamilies() : "")
                    + (agent.mode().name().equals("BPF") ? " with the exclusion CIDR" : "")
                    + "; `iptables-save -t nat` in cilium-agent " + (agent.mode().name().equals("IPTABLES")
                    ? "has the" : "has no") + " 'cilium masquerade non-cluster' rule"
                    + (agent.mode().name().equals("BPF") ? "; after a flow to a destination this mode masquerades, `cilium bpf nat list`"
                    + " holds its XLATE_SRC entry" : "")
                    + (plan.dualStack() ? "; `ip6tables-save -t nat` " + (agent.ipv6Masquerade()
                    ? "has the" : "has no") + " IPv6 'cilium masquerade non-cluster' rule" : "")
                    + agent.fallback().map(f -> "\n      NOTE: BPF was requested but Cilium falls back: " + f).orElse(""));
        } catch (RefusedConfigurationException e) {
            t.step("STOP: Cilium 1.13 refuses this mode: " + e.getMessage());
        }
        t.step("during the switch: a UDP stream at a fixed rate from a pod to the external host; report lost requests"
                + " and the longest gap");
        t.step("probe every pod -> every destination, other node and pod on another node over " + s.probes());
    }

    /** The values file helm gets, as written (nested YAML from the dotted keys). */
    private static void valuesFile(PlanText t, Map<String, Object> values) {
        CiliumHelm.valuesYaml(values).lines().filter(l -> !l.equals("---")).forEach(t::line);
    }

    private static void values(PlanText t, Map<String, Object> values) {
        values.forEach((k, v) -> t.line(k + "=" + v));
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
                + " reported); check the API server answers within 10 s; the checks of `doctor --backend kubeconfig`");
        t.step("discover Cilium: the DaemonSet labelled " + CiliumKube.AGENT_LABEL + "=" + CiliumKube.AGENT_LABEL_VALUE
                + " in any namespace, its ConfigMap cilium-config and the ip-masq-agent ConfigMap (remembered whole)"
                + (allowModeSwitch ? "; the Helm release named by the DaemonSet's meta.helm.sh/release-name annotation, its chart"
                + " version and revision (refused: no release; a release Flux, Argo CD or K3s/RKE2's helm-controller keeps, unless -D"
                + KubeconfigCluster.RECONCILER_SUSPENDED + "=true; a chart other than cilium without -D" + CiliumHelm.CHART_PROPERTY
                + ")" : ""));
        t.step("discover the nodes Cilium runs on (a pod of its agent there; the others are neither probed nor judged): each one's"
                + " InternalIP, its pod range where the IPAM mode keeps it (cilium-config ipam, default cluster-pool: the Node's"
                + " spec.podCIDRs for kubernetes, the CiliumNode's spec.ipam.podCIDRs for cluster-pool, pool default for multi-pool;"
                + " eni, azure, alibabacloud, crd and delegated-plugin refused), and the device holding its InternalIP (`ip -o -4 addr"
                + " show` in its agent)");
        t.step("list every step below before taking the first, and how to undo them by hand should the run be killed (`plan"
                + " --dry-run` lists them from the live cluster, taking none); from here Ctrl-C or SIGTERM puts the cluster back");
        t.step("create namespace masq-harness-<run> (" + ProbeWorkload.POD_SECURITY + "=privileged) and probe DaemonSets "
                + ProbeWorkload.NAME + " and " + ProbeWorkload.HOST_NAME + " (image from -Dharness.kubeconfig.probeImage) on exactly those"
                + " nodes, every taint tolerated; the host probes capture ICMP on the device holding the node's InternalIP; wait until"
                + " each DaemonSet's pods are ready on every one, at most " + K3sPlan.PROBES_READY.toMinutes() + " min");
        if (!allowModeSwitch) {
            t.step("verify and probe the current mode only (read back from cilium-config and the ip-masq-agent ConfigMap); no write"
                    + " to Cilium's objects (switching needs " + CiliumKube.OPT_IN + ")");
        } else {
            String release = "<the release>";
            String ns = "<Cilium's namespace>";
            String chart = "cilium/cilium <the release's own chart version>";
            for (ModeSpec mode : s.modes()) {
                t.title("mode " + mode.name());
                ModeSwitch.describe(release, ns, ns, "<Cilium's DaemonSet>", chart, mode.values(), KubeconfigCluster.ipMasqAgentStep(mode),
                        K3sPlan.HELM, K3sPlan.ROLLOUT).forEach(t::step);
                t.step("verify every agent, then probe");
            }
            t.title("restore");
            t.step("helm upgrade " + release + " --reuse-values -f <values file> setting each changed value back to what cilium-config"
                    + " showed before the run (values it cannot show are refused before any change); the ip-masq-agent ConfigMap"
                    + " restored as found if a mode wrote it; restart the agents and wait for the rollout and the endpoints' regeneration");
        }
        t.step("delete namespace masq-harness-<run>");
        return t.out.toString();
    }
}
