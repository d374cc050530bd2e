package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ClusterException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The probe pods: a DaemonSet in a namespace of the harness's own, labelled, removed afterwards.
 * It touches nothing else of the cluster, so it runs in read-only mode too.
 */
public final class ProbeWorkload {

    public static final String NAME = "masq-probe";
    public static final String OWNER_LABEL = "app.kubernetes.io/managed-by";
    public static final String OWNER = "cilium-masq-harness";

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

    static DaemonSet daemonSet(String namespace, String image) {
        Map<String, String> labels = Map.of("app", NAME, OWNER_LABEL, OWNER);
        return new DaemonSetBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec()
                .withNewSelector().addToMatchLabels("app", NAME).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(1L)
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("probe").withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("probe", "serve", "--tcp-port", Integer.toString(Cluster.TCP_PORT),
                        "--udp-port", Integer.toString(Cluster.UDP_PORT), "--max-seconds", "7200")
                .withNewSecurityContext().withNewCapabilities().addToAdd("NET_RAW").endCapabilities().endSecurityContext()
                .endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    /** Creates the namespace and the probe DaemonSet, then waits, bounded, for a ready probe pod on every node. */
    public List<Pod> deploy(String image, int nodes, Duration bound) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels(OWNER_LABEL, OWNER).endMetadata().build()).create();
        client.apps().daemonSets().inNamespace(namespace).resource(daemonSet(namespace, image)).create();
        progress.accept("deployed probe DaemonSet " + namespace + "/" + NAME + " (" + image + ")");
        try {
            client.apps().daemonSets().inNamespace(namespace).withName(NAME).waitUntilCondition(
                    ds -> ds != null && ds.getStatus() != null && ds.getStatus().getNumberReady() != null
                            && ds.getStatus().getNumberReady() >= nodes, bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            throw new ClusterException("wait for probe pods", namespace + "/" + NAME, "fewer than " + nodes
                    + " ready after " + bound.toSeconds() + " s: " + e.getMessage());
        }
        return client.pods().inNamespace(namespace).withLabel("app", NAME).list().getItems();
    }

    /** Deletes the namespace (and so everything in it). */
    public void remove() {
        if (client.namespaces().withName(namespace).get() != null) {
            client.namespaces().withName(namespace).delete();
            progress.accept("deleted namespace " + namespace);
        }
    }
}
