package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The DaemonSet controller and kubelet the mock API server lacks, for the harness's probe
 * DaemonSets only: each gets a ready pod on every node its pod spec lets it on, as the DaemonSet
 * controller decides (the nodeSelector's labels, the required node affinity's {@code metadata.name}
 * field, and every NoSchedule or NoExecute taint tolerated), and its status says how many
 * (desired = ready). Pod addresses come from {@code probePodIps} (the first as {@code podIP}, all as
 * {@code podIPs}); a host-network pod has its node's.
 */
public final class MockProbeKubelet implements AutoCloseable {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final KubernetesClient client;
    private final Function<String, List<String>> probePodIps;
    private final Function<String, List<String>> hostPodIps;

    private MockProbeKubelet(KubernetesClient client, Function<String, List<String>> probePodIps,
                             Function<String, List<String>> hostPodIps) {
        this.client = client;
        this.probePodIps = probePodIps;
        this.hostPodIps = hostPodIps;
    }

    /** One node's addresses (MockCilium's node-1): @param probePodIps the probe pod's; @param hostPodIps the host-network probe pod's (its node's) */
    public static MockProbeKubelet start(KubernetesClient client, List<String> probePodIps, List<String> hostPodIps) {
        return start(client, node -> probePodIps, node -> hostPodIps);
    }

    /** Addresses per node name. */
    public static MockProbeKubelet start(KubernetesClient client, Function<String, List<String>> probePodIps,
                                         Function<String, List<String>> hostPodIps) {
        MockProbeKubelet k = new MockProbeKubelet(client, probePodIps, hostPodIps);
        k.executor.scheduleWithFixedDelay(k::runProbePods, 100, 200, TimeUnit.MILLISECONDS);
        return k;
    }

    private void runProbePods() {
        try {
            for (DaemonSet ds : client.apps().daemonSets().inAnyNamespace().withLabel(ProbeWorkload.OWNER_LABEL, ProbeWorkload.OWNER)
                    .list().getItems()) {
                if (ds.getStatus() != null && ds.getStatus().getDesiredNumberScheduled() != null) {
                    continue;
                }
                String ns = ds.getMetadata().getNamespace();
                String name = ds.getMetadata().getName();
                List<Node> targets = client.nodes().list().getItems().stream().filter(n -> schedulable(ds.getSpec().getTemplate().getSpec(), n))
                        .toList();
                for (Node n : targets) {
                    String node = n.getMetadata().getName();
                    List<String> ips = name.equals(ProbeWorkload.NAME) ? probePodIps.apply(node) : hostPodIps.apply(node);
                    String hostIp = n.getStatus().getAddresses().stream().filter(a -> a.getType().equals("InternalIP")).findFirst()
                            .orElseThrow().getAddress();
                    client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name + "-" + node)
                            .withNamespace(ns).addToLabels("app", name).endMetadata().withNewSpec().withNodeName(node).endSpec()
                            .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                            .withPodIP(ips.get(0)).withPodIPs(ips.stream().map(PodIP::new).toList()).withHostIP(hostIp).endStatus()
                            .build()).create();
                }
                client.apps().daemonSets().inNamespace(ns).withName(name).editStatus(d -> {
                    d.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(targets.size()).withNumberReady(targets.size())
                            .withCurrentNumberScheduled(targets.size()).build());
                    return d;
                });
            }
        } catch (RuntimeException e) {
            // The namespace went away at the end of the run.
        }
    }

    /** Whether the DaemonSet controller would run a pod of this spec on the node. */
    static boolean schedulable(PodSpec spec, Node node) {
        Map<String, String> labels = Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
        if (spec.getNodeSelector() != null && !spec.getNodeSelector().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        var required = Optional.ofNullable(spec.getAffinity()).map(a -> a.getNodeAffinity())
                .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution());
        if (required.isPresent() && required.get().getNodeSelectorTerms().stream().noneMatch(t -> t.getMatchFields().stream()
                .allMatch(f -> matches(f, node.getMetadata().getName())))) {
            return false;
        }
        List<Taint> taints = Optional.ofNullable(node.getSpec().getTaints()).orElse(List.of());
        List<Toleration> tolerations = Optional.ofNullable(spec.getTolerations()).orElse(List.of());
        return taints.stream().filter(t -> !"PreferNoSchedule".equals(t.getEffect()))
                .allMatch(t -> tolerations.stream().anyMatch(tol -> tolerates(tol, t)));
    }

    private static boolean matches(NodeSelectorRequirement field, String nodeName) {
        return field.getKey().equals("metadata.name") && field.getOperator().equals("In") && field.getValues().contains(nodeName);
    }

    /** Kubernetes' rule (core/v1 Toleration.ToleratesTaint): an empty key with Exists tolerates every taint. */
    private static boolean tolerates(Toleration tol, Taint taint) {
        if (tol.getEffect() != null && !tol.getEffect().isEmpty() && !tol.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (tol.getKey() == null || tol.getKey().isEmpty()) {
            return "Exists".equals(tol.getOperator());
        }
        if (!tol.getKey().equals(taint.getKey())) {
            return false;
        }
        return "Exists".equals(tol.getOperator()) || Optional.ofNullable(tol.getValue()).orElse("").equals(
                Optional.ofNullable(taint.getValue()).orElse(""));
    }

    /** Stops it: what the API server sees from then on is the harness's alone. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
