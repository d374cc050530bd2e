package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The DaemonSet controller and kubelet the mock API server lacks, for the harness's probe
 * DaemonSets only: each is marked ready and given one pod on node-1 (host IP 192.168.5.11), with
 * the addresses given, the first as {@code podIP} and all as {@code podIPs}, as a kubelet reports them.
 */
public final class MockProbeKubelet implements AutoCloseable {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final KubernetesClient client;
    private final List<String> probePodIps;
    private final List<String> hostPodIps;

    private MockProbeKubelet(KubernetesClient client, List<String> probePodIps, List<String> hostPodIps) {
        this.client = client;
        this.probePodIps = probePodIps;
        this.hostPodIps = hostPodIps;
    }

    /** @param probePodIps the probe pod's addresses; @param hostPodIps the host-network probe pod's (its node's) */
    public static MockProbeKubelet start(KubernetesClient client, List<String> probePodIps, List<String> hostPodIps) {
        MockProbeKubelet k = new MockProbeKubelet(client, probePodIps, hostPodIps);
        k.executor.scheduleWithFixedDelay(k::runProbePods, 100, 200, TimeUnit.MILLISECONDS);
        return k;
    }

    private void runProbePods() {
        try {
            for (DaemonSet ds : client.apps().daemonSets().inAnyNamespace().withLabel(ProbeWorkload.OWNER_LABEL, ProbeWorkload.OWNER)
                    .list().getItems()) {
                String ns = ds.getMetadata().getNamespace();
                String name = ds.getMetadata().getName();
                if (ds.getStatus() == null || ds.getStatus().getNumberReady() == null) {
                    ds.setStatus(new DaemonSetStatusBuilder().withNumberReady(1).build());
                    client.apps().daemonSets().inNamespace(ns).resource(ds).update();
                    List<String> ips = name.equals(ProbeWorkload.NAME) ? probePodIps : hostPodIps;
                    client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name + "-node-1")
                            .withNamespace(ns).addToLabels("app", name).endMetadata().withNewSpec().withNodeName("node-1").endSpec()
                            .withNewStatus().withPodIP(ips.get(0)).withPodIPs(ips.stream().map(PodIP::new).toList())
                            .withHostIP("192.168.5.11").endStatus().build()).create();
                }
            }
        } catch (RuntimeException e) {
            // The namespace went away at the end of the run.
        }
    }

    /** Stops it: what the API server sees from then on is the harness's alone. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
