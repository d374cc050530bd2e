package io.masqharness.cluster.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.IpMasqAgentFile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Kubernetes operations the harness performs on a cluster running Cilium: discovery, the
 * ip-masq-agent ConfigMap, agent restarts with bounded rollout waits, exec into agents. Writes to
 * Cilium's objects are refused unless {@code allowWrites} (the kubeconfig backend is read-only by
 * default: it reconfigures a real cluster only on explicit opt-in).
 */
public final class CiliumKube {

    public static final String AGENT_LABEL = "k8s-app";
    public static final String AGENT_LABEL_VALUE = "cilium";
    public static final String AGENT_CONTAINER = "cilium-agent";
    public static final String IP_MASQ_CONFIGMAP = "ip-masq-agent";
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    public static final String OPT_IN = "-Dharness.kubeconfig.allowModeSwitch=true";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String daemonSet;
    private final boolean allowWrites;
    private final Consumer<String> progress;
    private final Clock clock;

    public CiliumKube(KubernetesClient client, String namespace, String daemonSet, boolean allowWrites,
                      Consumer<String> progress, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.daemonSet = daemonSet;
        this.allowWrites = allowWrites;
        this.progress = progress;
        this.clock = clock;
    }

    /** Finds Cilium's agent DaemonSet (label k8s-app=cilium) in any namespace. */
    public static CiliumKube discover(KubernetesClient client, boolean allowWrites, Consumer<String> progress) {
        List<DaemonSet> found = client.apps().daemonSets().inAnyNamespace().withLabel(AGENT_LABEL, AGENT_LABEL_VALUE).list().getItems();
        if (found.isEmpty()) {
            throw new ClusterException("discover Cilium", "DaemonSet with label " + AGENT_LABEL + "=" + AGENT_LABEL_VALUE,
                    "none found in any namespace: is Cilium installed, and may this kubeconfig list DaemonSets?");
        }
        DaemonSet ds = found.get(0);
        progress.accept("found Cilium DaemonSet " + ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName());
        return new CiliumKube(client, ds.getMetadata().getNamespace(), ds.getMetadata().getName(), allowWrites, progress, Clock.systemUTC());
    }

    public String namespace() {
        return namespace;
    }

    public String daemonSet() {
        return daemonSet;
    }

    /** The Cilium DaemonSet as deployed (its Helm annotations name the release that owns it). */
    public DaemonSet agentDaemonSet() {
        DaemonSet ds = client.apps().daemonSets().inNamespace(namespace).withName(daemonSet).get();
        if (ds == null) {
            throw new ClusterException("read DaemonSet", namespace + "/" + daemonSet, "it does not exist");
        }
        return ds;
    }

    /** CiliumNode objects (cilium.io/v2, cluster-scoped), named after their nodes: where cluster-pool and multi-pool IPAM keep pod ranges. */
    public static final ResourceDefinitionContext CILIUM_NODES = new ResourceDefinitionContext.Builder().withGroup("cilium.io")
            .withVersion("v2").withKind("CiliumNode").withPlural("ciliumnodes").withNamespaced(false).build();

    /** How the cluster gives nodes their pod ranges ({@code ipam} in cilium-config). */
    public CiliumIpam ipam() {
        return CiliumIpam.of(agentConfig());
    }

    /**
     * The nodes Cilium runs on (a pod of its agent DaemonSet is there), with their InternalIPs and pod
     * ranges as the datapath sees them: the IPv4 ones, and on a dual-stack cluster the IPv6
     * InternalIP (what Cilium 1.13 puts into cilium_node_set_v6, pkg/node/manager/manager.go:419-420)
     * and the IPv6 pod range. The ranges are where the cluster's IPAM mode keeps them
     * ({@link CiliumIpam}); a mode without per-node ranges is refused. Nodes without an agent pod
     * ({@link #nodesWithoutAgent}) are not Cilium's to judge.
     */
    public List<KubeNode> nodes() {
        CiliumIpam ipam = ipam();
        ipam.requireSupported();
        java.util.Set<String> agentNodes = agentPodsByNode().keySet();
        Map<String, JsonNode> ciliumNodes = ipam.readsCiliumNodes() ? ciliumNodes() : Map.of();
        List<KubeNode> nodes = new ArrayList<>();
        for (Node n : byName(client.nodes().list().getItems())) {
            String name = n.getMetadata().getName();
            if (!agentNodes.contains(name)) {
                continue;
            }
            List<String> internal = n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                    .map(NodeAddress::getAddress).toList();
            String ip = internal.stream().filter(a -> !a.contains(":")).findFirst()
                    .orElseThrow(() -> new ClusterException("read node addresses", name, "no IPv4 InternalIP"));
            List<String> podCidrs = ipam.podCidrs(n.getSpec().getPodCIDR(), n.getSpec().getPodCIDRs(),
                    Optional.ofNullable(ciliumNodes.get(name)));
            try {
                Optional<Cidr> v4 = podCidrs.stream().filter(c -> !c.contains(":")).findFirst().map(Cidr::parse);
                Optional<Cidr6> v6 = podCidrs.stream().filter(c -> c.contains(":")).findFirst().map(Cidr6::parse);
                Optional<Ipv6> ipv6 = internal.stream().filter(a -> a.contains(":")).findFirst().map(Ipv6::parse);
                nodes.add(new KubeNode(name, ip, v4, ipv6, v6));
            } catch (IllegalArgumentException e) {
                throw new ClusterException("read node addresses and pod ranges", name, e.getMessage());
            }
        }
        if (nodes.isEmpty()) {
            throw new ClusterException("find the nodes Cilium runs on", namespace + "/" + daemonSet, "no node runs a pod labelled "
                    + AGENT_LABEL + "=" + AGENT_LABEL_VALUE + " (agent pods: " + agentPodStates() + ")");
        }
        return nodes;
    }

    /** Each node's kernel release as its kubelet reports it ({@code status.nodeInfo.kernelVersion}); nodes without one are left out. */
    public Map<String, String> nodeKernels() {
        Map<String, String> kernels = new LinkedHashMap<>();
        for (Node n : byName(client.nodes().list().getItems())) {
            Optional.ofNullable(n.getStatus()).map(s -> s.getNodeInfo()).map(i -> i.getKernelVersion()).filter(k -> !k.isBlank())
                    .ifPresent(k -> kernels.put(n.getMetadata().getName(), k));
        }
        return kernels;
    }

    /** Nodes where no pod of Cilium's agent runs: its DaemonSet does not select them (Windows, virtual or excluded nodes). */
    public List<String> nodesWithoutAgent() {
        java.util.Set<String> agentNodes = agentPodsByNode().keySet();
        return byName(client.nodes().list().getItems()).stream().map(n -> n.getMetadata().getName()).filter(n -> !agentNodes.contains(n))
                .toList();
    }

    /** In name order, as the API server lists them (its storage's key order), whatever a cache or a mock does. */
    private static List<Node> byName(List<Node> nodes) {
        return nodes.stream().sorted(java.util.Comparator.comparing(n -> n.getMetadata().getName())).toList();
    }

    /** The CiliumNode objects by name (a node's CiliumNode carries the node's name). */
    Map<String, JsonNode> ciliumNodes() {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        try {
            for (GenericKubernetesResource r : client.genericKubernetesResources(CILIUM_NODES).list().getItems()) {
                found.put(r.getMetadata().getName(), JSON.valueToTree(r));
            }
        } catch (KubernetesClientException e) {
            throw new ClusterException("list CiliumNodes", "ciliumnodes.cilium.io/v2", "IPAM mode " + ipam().mode() + " keeps each node's"
                    + " pod range there, and reading them failed: " + e.getMessage());
        }
        return found;
    }

    /**
     * The device that holds each node's InternalIP, read in its agent (host network) with
     * {@code ip -o -4 addr show}: what the oracle matches {@code egressMasqueradeInterfaces} against
     * and where a node's traffic leaves. A node whose devices cannot be read maps to why.
     */
    public Map<String, NodeDevice> nodeDevices(List<KubeNode> nodes) {
        Map<String, String> agents = agentPodsByNode();
        Map<String, NodeDevice> devices = new LinkedHashMap<>();
        for (KubeNode n : nodes) {
            String pod = agents.get(n.name());
            try {
                ExecResult r = execInAgent(pod, Duration.ofSeconds(20), "ip", "-o", "-4", "addr", "show");
                devices.put(n.name(), r.ok() ? NodeDevice.holding(r.stdout(), n.internalIp())
                        : NodeDevice.unknown("`ip -o -4 addr show` in " + pod + " failed: " + r));
            } catch (ClusterException e) {
                devices.put(n.name(), NodeDevice.unknown("`ip -o -4 addr show` in " + pod + " failed: " + e.getMessage()));
            }
        }
        return devices;
    }

    /** The agent's configuration as deployed ({@code cilium-config} ConfigMap). */
    public Map<String, String> agentConfig() {
        return ciliumConfigMap().map(ConfigMap::getData).map(Map::copyOf).orElse(Map.of());
    }

    /** The {@code cilium-config} ConfigMap itself (its labels and annotations say who deployed it). */
    public Optional<ConfigMap> ciliumConfigMap() {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName("cilium-config").get());
    }

    /** The ip-masq-agent ConfigMap as it is now, whole (data, labels, annotations), if there is one. */
    public Optional<ConfigMap> ipMasqAgentConfigMap() {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(IP_MASQ_CONFIGMAP).get());
    }

    /**
     * Writes the config the mode asks for (key {@code config}: JSON, or zero-length for an empty
     * file). An existing ConfigMap keeps its labels, annotations and other keys.
     */
    public void writeIpMasqAgentConfig(IpMasqAgentFile file) {
        requireWrites("set ConfigMap " + namespace + "/" + IP_MASQ_CONFIGMAP);
        String config = ipMasqAgentConfigText(file);
        var resource = client.configMaps().inNamespace(namespace).withName(IP_MASQ_CONFIGMAP);
        if (resource.get() != null) {
            resource.edit(cm -> {
                Map<String, String> data = cm.getData() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(cm.getData());
                data.put("config", config);
                cm.setData(data);
                return cm;
            });
        } else {
            client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(IP_MASQ_CONFIGMAP)
                    .withNamespace(namespace).addToLabels("app.kubernetes.io/managed-by", "cilium-masq-harness").endMetadata()
                    .addToData("config", config).build()).create();
        }
        progress.accept("wrote ConfigMap " + namespace + "/" + IP_MASQ_CONFIGMAP + " config: " + (config.isEmpty() ? "(zero-length)" : config));
    }

    /** Deletes the ConfigMap, so the agent falls back to its default list. */
    public void deleteIpMasqAgentConfig() {
        requireWrites("delete ConfigMap " + namespace + "/" + IP_MASQ_CONFIGMAP);
        var resource = client.configMaps().inNamespace(namespace).withName(IP_MASQ_CONFIGMAP);
        if (resource.get() != null) {
            resource.delete();
            progress.accept("deleted ConfigMap " + namespace + "/" + IP_MASQ_CONFIGMAP + " (agent defaults apply)");
        }
    }

    /** Puts the ConfigMap back as it was: its data, binary data, labels and annotations exactly, or no ConfigMap. */
    public void restoreIpMasqAgentConfigMap(Optional<ConfigMap> original) {
        requireWrites("restore ConfigMap " + namespace + "/" + IP_MASQ_CONFIGMAP);
        if (original.isEmpty()) {
            deleteIpMasqAgentConfig();
            return;
        }
        ConfigMap o = original.get();
        var resource = client.configMaps().inNamespace(namespace).withName(IP_MASQ_CONFIGMAP);
        if (resource.get() != null) {
            resource.edit(cm -> {
                cm.setData(o.getData());
                cm.setBinaryData(o.getBinaryData());
                cm.getMetadata().setLabels(o.getMetadata().getLabels());
                cm.getMetadata().setAnnotations(o.getMetadata().getAnnotations());
                return cm;
            });
        } else {
            client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(IP_MASQ_CONFIGMAP)
                    .withNamespace(namespace).withLabels(o.getMetadata().getLabels()).withAnnotations(o.getMetadata().getAnnotations())
                    .endMetadata().withData(o.getData()).withBinaryData(o.getBinaryData()).build()).create();
        }
        progress.accept("restored ConfigMap " + namespace + "/" + IP_MASQ_CONFIGMAP + " as it was before the run");
    }

    /**
     * The {@code config} key's text for a file state: JSON for a parsed file (its IPv6 entries and masqLinkLocalIPv6 too,
     * which 1.14 on reads), the entries as written for a file 1.13 rejects (the run shows the rejection), nothing for a
     * zero-length one.
     */
    static String ipMasqAgentConfigText(IpMasqAgentFile file) {
        if (file instanceof IpMasqAgentFile.Empty) {
            return "";
        }
        Map<String, Object> json = new LinkedHashMap<>();
        if (file instanceof IpMasqAgentFile.Rejected r) {
            json.put("nonMasqueradeCIDRs", r.nonMasqueradeCidrs());
            json.put("masqLinkLocal", r.masqLinkLocal());
            if (r.masqLinkLocalIPv6()) {
                json.put("masqLinkLocalIPv6", true);
            }
            return write(json);
        }
        if (!(file instanceof IpMasqAgentFile.Present config)) {
            throw new IllegalArgumentException("no config text for " + file.describe() + ": delete the ConfigMap instead");
        }
        List<String> cidrs = new ArrayList<>(config.nonMasqueradeCidrs().stream().map(Cidr::toString).toList());
        config.nonMasqueradeCidrsV6().forEach(c -> cidrs.add(c.toString()));
        json.put("nonMasqueradeCIDRs", cidrs);
        json.put("masqLinkLocal", config.masqLinkLocal());
        if (config.masqLinkLocalIPv6()) {
            json.put("masqLinkLocalIPv6", true);
        }
        return write(json);
    }

    private static String write(Map<String, Object> json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@code kubectl rollout restart} does: DaemonSets have no rolling restart in fabric8. */
    public void restartAgents() {
        requireWrites("restart DaemonSet " + namespace + "/" + daemonSet);
        String now = Instant.now(clock).toString();
        client.apps().daemonSets().inNamespace(namespace).withName(daemonSet).edit(ds -> {
            ds.getSpec().getTemplate().getMetadata().getAnnotations().put(RESTARTED_AT, now);
            return ds;
        });
        progress.accept("restarting Cilium agents (" + RESTARTED_AT + "=" + now + ")");
    }

    /** Waits, bounded, until the DaemonSet's new generation is scheduled everywhere and ready. */
    public void awaitRollout(Duration bound) {
        String object = "DaemonSet " + namespace + "/" + daemonSet;
        Rollout last = null;
        long deadline = System.nanoTime() + bound.toNanos();
        long start = System.nanoTime();
        while (true) {
            DaemonSet ds = client.apps().daemonSets().inNamespace(namespace).withName(daemonSet).get();
            if (ds == null) {
                throw new ClusterException("wait for rollout", object, "it does not exist");
            }
            last = Rollout.of(ds);
            if (last.complete()) {
                progress.accept(String.format("%s rolled out in %.1f s: %s", object, (System.nanoTime() - start) / 1e9, last));
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterException("wait for rollout", object, "not complete after " + bound.toSeconds()
                        + " s; last seen " + last + "; agent pods: " + agentPodStates());
            }
            sleep(Duration.ofSeconds(2));
        }
    }

    /**
     * Waits, bounded, until every agent lists all its endpoints, the host's among them, as ready
     * ({@code cilium endpoint list -o json}): a rolled-out agent is Ready before its restored
     * endpoints and the host endpoint are regenerated, and until then a node can run neither
     * masquerade (the iptables rule is gone, the old bpf_host has no SNAT). Review 2, N4.
     */
    public void awaitEndpointsRegenerated(Duration bound) {
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        Map<String, String> agents = agentPodsByNode();
        for (Map.Entry<String, String> agent : agents.entrySet()) {
            while (true) {
                ExecResult r = execInAgent(agent.getValue(), Duration.ofSeconds(30), "cilium", "endpoint", "list", "-o", "json");
                AgentEndpoints endpoints = r.ok() ? AgentEndpoints.parse(r.stdout())
                        : new AgentEndpoints(List.of(), Optional.of("`cilium endpoint list -o json` failed: " + r));
                if (endpoints.regenerated()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new ClusterException("wait for the agents' endpoints to be regenerated", agent.getKey() + " ("
                            + agent.getValue() + ")", "not every endpoint is ready after " + bound.toSeconds() + " s; still pending: "
                            + endpoints.pending());
                }
                sleep(Duration.ofSeconds(2));
            }
        }
        progress.accept(String.format("every endpoint of the %d agent(s), the host's included, regenerated (ready) after %.1f s",
                agents.size(), (System.nanoTime() - start) / 1e9));
    }

    /** The agent pod on each node. */
    public Map<String, String> agentPodsByNode() {
        Map<String, String> pods = new LinkedHashMap<>();
        for (Pod p : client.pods().inNamespace(namespace).withLabel(AGENT_LABEL, AGENT_LABEL_VALUE).list().getItems()) {
            pods.put(p.getSpec().getNodeName(), p.getMetadata().getName());
        }
        return pods;
    }

    private String agentPodStates() {
        List<String> states = new ArrayList<>();
        for (Pod p : client.pods().inNamespace(namespace).withLabel(AGENT_LABEL, AGENT_LABEL_VALUE).list().getItems()) {
            states.add(p.getMetadata().getName() + "@" + p.getSpec().getNodeName() + "=" + p.getStatus().getPhase());
        }
        return states.toString();
    }

    /** Runs a command in the cilium-agent container of a pod, bounded. */
    public ExecResult execInAgent(String pod, Duration bound, String... command) {
        return KubeExec.exec(client, namespace, pod, AGENT_CONTAINER, bound, command);
    }

    /**
     * For diagnostics: per agent, what each of {@code commands} prints in it, then the agent's
     * masquerade log lines.
     */
    public String agentDiagnostics(List<List<String>> commands) {
        StringBuilder out = new StringBuilder();
        agentPodsByNode().forEach((node, pod) -> {
            out.append("\n## agent ").append(pod).append(" on ").append(node).append('\n');
            commands.forEach(c -> out.append(execInAgent(pod, Duration.ofSeconds(30), c.toArray(String[]::new)).stdout()));
            masqueradeLogLines(pod).forEach(l -> out.append(l).append('\n'));
        });
        return out.toString();
    }

    /** The agent's log lines that explain a mode: fallbacks, refusals, masquerading decisions. */
    public List<String> masqueradeLogLines(String pod) {
        String log = client.pods().inNamespace(namespace).withName(pod).inContainer(AGENT_CONTAINER).tailingLines(5000).getLog();
        return log == null ? List.of() : log.lines().filter(l -> l.contains("Falling back") || l.contains("masquerad")
                || l.contains("ip-masq-agent")).limit(20).toList();
    }

    private void requireWrites(String operation) {
        if (!allowWrites) {
            throw new ClusterException(operation, namespace, "refused: this cluster is read-only for the harness;"
                    + " switching modes reconfigures a real cluster, opt in with " + OPT_IN);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("wait", "rollout", e);
        }
    }
}
