package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.docker.ProbeHostContainer;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The probe pods: a DaemonSet in a namespace of the harness's own, labelled, removed afterwards.
 * It touches nothing else of the cluster, so it runs in read-only mode too.
 */
public final class ProbeWorkload {

    public static final String NAME = "masq-probe";
    /** Host-network probes: an echo server and an ICMP capture on each node, standing for the node. */
    public static final String HOST_NAME = "masq-probe-host";
    public static final String OWNER_LABEL = "app.kubernetes.io/managed-by";
    public static final String OWNER = "cilium-masq-harness";
    /**
     * Pod Security Admission: Baseline forbids host networking and adding NET_ADMIN or NET_RAW, so
     * the probe namespace is labelled privileged (enforce, audit and warn) on clusters that enforce it.
     */
    public static final String POD_SECURITY = "pod-security.kubernetes.io/enforce";
    static final List<String> POD_SECURITY_MODES = List.of("enforce", "audit", "warn");

    private final KubernetesClient client;
    private final String namespace;
    private final Consumer<String> progress;

    public ProbeWorkload(KubernetesClient client, String namespace, Consumer<String> progress) {
        this.client = client;
        this.namespace = namespace;
        this.progress = progress;
    }

    public String namespace() {
        return namespace;
    }

    /**
     * The host probe's ICMP capture listens on the device that holds the node's InternalIP
     * ({@code status.hostIP}, given as {@code HOST_IP}): {@code ens5}, {@code bond0}, ... on real
     * nodes, eth0 on K3s in Docker. It writes the device to {@link #CAPTURE_DEVICE}; tcpdump's
     * "listening on" line (or why there is none) goes to {@link #CAPTURE_ERRORS}, which the
     * readiness probe reads: a capture that did not start keeps the pod unready.
     */
    static final String CAPTURE_DEVICE = "/tmp/icmp.device";
    static final String CAPTURE_ERRORS = "/tmp/icmp.log.err";
    static final String HOST_CAPTURE = "DEV=$(ip -o -4 addr show | awk -v ip=\"$HOST_IP\" '{split($4, a, \"/\"); if (a[1] == ip)"
            + " {sub(/@.*/, \"\", $2); print $2; exit}}'); "
            + "if [ -n \"$DEV\" ]; then echo \"$DEV\" > " + CAPTURE_DEVICE + "; tcpdump -i \"$DEV\" -n -l --immediate-mode "
            + ProbeHostContainer.ECHO_FILTER + " > /tmp/icmp.log 2> " + CAPTURE_ERRORS + " & "
            + "else echo \"no device holds the node's InternalIP $HOST_IP: $(ip -o -4 addr show | awk '{print $2, $4}' | tr '\\n' ' ')\""
            + " > " + CAPTURE_ERRORS + "; fi; exec ";
    static final String CAPTURE_STARTED = "grep -q 'listening on' " + CAPTURE_ERRORS;

    /**
     * @param nodes the nodes Cilium runs on: the probes go there and nowhere else (matchFields on
     *              the node name, as the DaemonSet controller places its own pods), whatever the
     *              nodes' taints (every taint is tolerated, as Cilium's agent tolerates them)
     */
    static DaemonSet daemonSet(String namespace, String image, List<String> nodes) {
        Map<String, String> labels = Map.of("app", NAME, OWNER_LABEL, OWNER);
        return new DaemonSetBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec()
                .withNewSelector().addToMatchLabels("app", NAME).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(1L)
                .addNewToleration().withOperator("Exists").endToleration()
                .addToNodeSelector("kubernetes.io/os", "linux")
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues(nodes).endMatchField()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .addNewContainer().withName("probe").withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("probe", "serve", "--tcp-port", Integer.toString(Cluster.TCP_PORT),
                        "--udp-port", Integer.toString(Cluster.UDP_PORT), "--max-seconds", "7200")
                .withNewSecurityContext().withNewCapabilities().addToAdd("NET_RAW").endCapabilities().endSecurityContext()
                .endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    static DaemonSet hostDaemonSet(String namespace, String image, List<String> nodes) {
        DaemonSet ds = daemonSet(namespace, image, nodes);
        ds.getMetadata().setName(HOST_NAME);
        ds.getMetadata().setLabels(Map.of("app", HOST_NAME, OWNER_LABEL, OWNER));
        ds.getSpec().getSelector().setMatchLabels(Map.of("app", HOST_NAME));
        ds.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", HOST_NAME, OWNER_LABEL, OWNER));
        var spec = ds.getSpec().getTemplate().getSpec();
        spec.setHostNetwork(true);
        var c = spec.getContainers().get(0);
        c.setCommand(List.of("sh", "-c", HOST_CAPTURE + String.join(" ", c.getCommand())));
        c.setEnv(List.of(new EnvVarBuilder().withName("HOST_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.hostIP")
                .endFieldRef().endValueFrom().build()));
        c.setReadinessProbe(new ProbeBuilder().withNewExec().withCommand("sh", "-c", CAPTURE_STARTED).endExec()
                .withPeriodSeconds(2).withFailureThreshold(1).build());
        c.getSecurityContext().getCapabilities().getAdd().add("NET_ADMIN");
        return ds;
    }

    /**
     * Creates the namespace and the probe DaemonSets, then waits, bounded, until each has a ready
     * pod on every node of {@code nodes} (its {@code desiredNumberScheduled}, ready).
     */
    public void deploy(String image, List<String> nodes, Duration bound) {
        Map<String, String> labels = new java.util.LinkedHashMap<>(Map.of(OWNER_LABEL, OWNER));
        POD_SECURITY_MODES.forEach(m -> labels.put("pod-security.kubernetes.io/" + m, "privileged"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels(labels).endMetadata().build()).create();
        client.apps().daemonSets().inNamespace(namespace).resource(daemonSet(namespace, image, nodes)).create();
        client.apps().daemonSets().inNamespace(namespace).resource(hostDaemonSet(namespace, image, nodes)).create();
        progress.accept("deployed probe DaemonSets " + NAME + " and " + HOST_NAME + " in " + namespace + " (" + image + ") on "
                + nodes.size() + " node(s): " + String.join(", ", nodes));
        for (String name : List.of(NAME, HOST_NAME)) {
            try {
                client.apps().daemonSets().inNamespace(namespace).withName(name).waitUntilCondition(
                        ds -> ds != null && ds.getStatus() != null && n(ds.getStatus().getDesiredNumberScheduled()) == nodes.size()
                                && n(ds.getStatus().getNumberReady()) == nodes.size(), bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                throw new ClusterException("wait for probe pods", namespace + "/" + name, "not ready on all " + nodes.size()
                        + " node(s) after " + bound.toSeconds() + " s (" + e.getMessage() + "); " + notReady(name, nodes) + "; "
                        + failedCreates(name));
            }
        }
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    /** Which nodes have no ready probe pod, and for host probes whose capture did not start, why (tcpdump's own words). */
    String notReady(String daemonSet, List<String> nodes) {
        List<String> missing = new java.util.ArrayList<>();
        Map<String, io.fabric8.kubernetes.api.model.Pod> byNode = new java.util.HashMap<>();
        client.pods().inNamespace(namespace).withLabel("app", daemonSet).list().getItems()
                .forEach(p -> byNode.put(p.getSpec().getNodeName(), p));
        for (String node : nodes) {
            var pod = byNode.get(node);
            if (pod == null) {
                missing.add(node + ": no pod");
            } else if (!ready(pod)) {
                String why = daemonSet.equals(HOST_NAME) ? captureError(pod) : "";
                missing.add(node + ": " + pod.getMetadata().getName() + " " + Optional.ofNullable(pod.getStatus())
                        .map(io.fabric8.kubernetes.api.model.PodStatus::getPhase).orElse("?") + why);
            }
        }
        return missing.isEmpty() ? "every node has a pod" : "not ready: " + missing;
    }

    private static boolean ready(io.fabric8.kubernetes.api.model.Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private String captureError(io.fabric8.kubernetes.api.model.Pod pod) {
        try {
            var r = KubeExec.exec(client, namespace, pod.getMetadata().getName(), "probe", Duration.ofSeconds(10), "cat", CAPTURE_ERRORS);
            return r.stdout().isBlank() ? "" : " (ICMP capture: " + r.stdout().strip() + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Why a DaemonSet's pods were not created (admission refusals show only here), for the timeout's message. */
    String failedCreates(String daemonSet) {
        List<String> reasons = client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && daemonSet.equals(e.getInvolvedObject().getName()))
                .filter(e -> "FailedCreate".equals(e.getReason())).map(e -> e.getMessage()).distinct().limit(5).toList();
        return reasons.isEmpty() ? "no FailedCreate event for " + daemonSet : "FailedCreate events of " + daemonSet + ": " + reasons;
    }

    /**
     * The probe pods, as hosts flows start from and end at; with {@code ipv6}, each with the IPv6
     * address of its {@code status.podIPs} (a pod without one is a failed start, named here).
     */
    public List<io.masqharness.cluster.Pod> probePods(boolean ipv6) {
        return client.pods().inNamespace(namespace).withLabel("app", NAME).list().getItems().stream().map(p -> {
            String name = p.getMetadata().getName();
            Ipv4 ip = Ipv4.parse(p.getStatus().getPodIP());
            Optional<Ipv6> v6 = ipv6 ? Optional.of(podIpv6(p)) : Optional.empty();
            return new io.masqharness.cluster.Pod(name, p.getSpec().getNodeName(), ip,
                    new KubePodHost(client, namespace, name, "probe", name, ip, v6), v6);
        }).toList();
    }

    /** The IPv6 entry of a pod's {@code status.podIPs} (its primary {@code podIP} is the IPv4 one). */
    static Ipv6 podIpv6(io.fabric8.kubernetes.api.model.Pod pod) {
        List<String> ips = Optional.ofNullable(pod.getStatus().getPodIPs()).orElse(List.of()).stream().map(PodIP::getIp).toList();
        return ips.stream().filter(ip -> ip.contains(":")).findFirst().map(Ipv6::parse).orElseThrow(() -> new ClusterException(
                "read the probe pod's IPv6 address", qualifiedName(pod), "status.podIPs is " + ips + ": the cluster runs IPv6 (enable-ipv6"
                + " and dual-stack nodes) but Cilium gave this pod no IPv6 address"));
    }

    private static String qualifiedName(io.fabric8.kubernetes.api.model.Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /**
     * The host-network probe pod on each node, standing for the node (named after it, with its IP
     * and, with {@code ipv6}, the IPv6 InternalIP {@code nodes} give it).
     */
    public List<Host> nodeHosts(List<KubeNode> nodes, boolean ipv6) {
        Map<String, Ipv6> nodeIpv6 = new java.util.HashMap<>();
        if (ipv6) {
            nodes.forEach(n -> n.internalIpV6().ifPresent(v6 -> nodeIpv6.put(n.name(), v6)));
        }
        return client.pods().inNamespace(namespace).withLabel("app", HOST_NAME).list().getItems().stream()
                .map(p -> (Host) new KubePodHost(client, namespace, p.getMetadata().getName(), "probe", p.getSpec().getNodeName(),
                        Ipv4.parse(p.getStatus().getHostIP()), Optional.ofNullable(nodeIpv6.get(p.getSpec().getNodeName())))).toList();
    }

    /** Deletes the namespace (and so everything in it). */
    public void remove() {
        if (client.namespaces().withName(namespace).get() != null) {
            client.namespaces().withName(namespace).delete();
            progress.accept("deleted namespace " + namespace);
        }
    }
}
