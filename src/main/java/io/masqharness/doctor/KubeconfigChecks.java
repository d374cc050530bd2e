package io.masqharness.doctor;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the kubeconfig backend needs of an existing cluster: reachable, Cilium found, a Helm release to switch, the rights to act. */
public final class KubeconfigChecks {

    /** A right the run needs: verb on a resource (group, resource[/subresource]) in a namespace ("" = cluster-wide or all). */
    record Right(String verb, String group, String resource, String subresource, String namespace, String why) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (subresource.isEmpty() ? "" : "/" + subresource)
                    + (namespace.isEmpty() ? "" : " in " + namespace);
        }
    }

    /** A namespace name like the run's own (which does not exist yet): rights there are what the run will get. */
    static final String PROBE_NAMESPACE = "masq-harness-doctor";

    private KubeconfigChecks() {
    }

    public static List<Check> all(boolean allowSwitch) {
        List<Check> checks = new ArrayList<>();
        Optional<String> problem = Kubeconfigs.unreachable();
        if (problem.isPresent()) {
            checks.add(Check.fail("kubeconfig", problem.get(), ""));
            return checks;
        }
        checks.add(Kubeconfigs.noProbeImage().map(p -> Check.fail("probe image", "no image named for the probe pods",
                Kubeconfigs.PROBE_IMAGE_FIX)).orElseGet(() -> Check.pass("probe image", System.getProperty(Kubeconfigs.PROBE_IMAGE))));
        Config config = Config.fromKubeconfig(Kubeconfigs.contents());
        config.setRequestTimeout(10_000);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            String version = Optional.ofNullable(client.getKubernetesVersion()).map(v -> v.getGitVersion()).orElse(null);
            checks.add(Check.pass("Kubernetes API", config.getMasterUrl() + " answers, " + (version == null ? "without its version"
                    : "Kubernetes " + version)));
            checks.addAll(cluster(client, allowSwitch));
        } catch (RuntimeException e) {
            checks.add(Check.fail("Kubernetes API", "asking " + config.getMasterUrl() + " failed: " + e.getMessage(),
                    "check the kubeconfig with `kubectl version`"));
        }
        return checks;
    }

    /** Cilium, its Helm release and the rights the run needs, asked of the API server (SelfSubjectAccessReview). */
    static List<Check> cluster(KubernetesClient client, boolean allowSwitch) {
        List<Check> checks = new ArrayList<>();
        List<DaemonSet> found = client.apps().daemonSets().inAnyNamespace().withLabel(CiliumKube.AGENT_LABEL, CiliumKube.AGENT_LABEL_VALUE)
                .list().getItems();
        if (found.isEmpty()) {
            checks.add(Check.fail("Cilium", "no DaemonSet labelled " + CiliumKube.AGENT_LABEL + "=" + CiliumKube.AGENT_LABEL_VALUE,
                    "is Cilium installed, and may this kubeconfig list DaemonSets?"));
            return checks;
        }
        DaemonSet ds = found.get(0);
        String ns = ds.getMetadata().getNamespace();
        String image = Optional.ofNullable(ds.getSpec().getTemplate().getSpec()).map(io.fabric8.kubernetes.api.model.PodSpec::getContainers)
                .orElse(List.of()).stream().filter(c -> CiliumKube.AGENT_CONTAINER.equals(c.getName()))
                .map(io.fabric8.kubernetes.api.model.Container::getImage).findFirst().orElse("?");
        String version = image.replaceFirst("@.*$", "").replaceFirst("^.*:v?", "");
        checks.add(io.masqharness.oracle.CiliumVersion.isSupported(version)
                ? Check.pass("Cilium", version + " in " + ns + " (" + image + "); the harness knows this line's rules: set the"
                + " scenario's cilium.version to " + version)
                : Check.warn("Cilium", version + " in " + ns + " (" + image + ")", "the harness knows the rules of "
                + io.masqharness.oracle.CiliumVersion.SUPPORTED + " only; on another version treat differences as questions, not verdicts"));

        Map<String, String> annotations = Optional.ofNullable(ds.getMetadata().getAnnotations()).orElse(Map.of());
        String release = annotations.get(KubeconfigCluster.RELEASE_NAME);
        String releaseNs = annotations.getOrDefault(KubeconfigCluster.RELEASE_NAMESPACE, ns);
        if (release != null) {
            checks.add(Check.pass("Helm release", release + " in " + releaseNs + " (mode switches keep its chart version)"));
        } else {
            String found2 = "none manages the DaemonSet (no " + KubeconfigCluster.RELEASE_NAME + " annotation)";
            String fix = "mode switches need a Helm release; read-only runs need none";
            checks.add(allowSwitch ? Check.fail("Helm release", found2, fix) : Check.warn("Helm release", found2, fix));
        }
        CiliumKube kube = new CiliumKube(client, ns, ds.getMetadata().getName(), false, line -> { }, java.time.Clock.systemUTC());
        checks.addAll(CiliumNodeChecks.all(kube));
        checks.add(rights(client, rightsNeeded(ns, releaseNs, allowSwitch, kube.ipam().readsCiliumNodes())));
        return checks;
    }

    static List<Right> rightsNeeded(String ciliumNs, String releaseNs, boolean allowSwitch, boolean ciliumNodes) {
        List<Right> rights = new ArrayList<>(List.of(
                new Right("list", "", "nodes", "", "", "discover nodes"),
                new Right("list", "apps", "daemonsets", "", "", "find Cilium"),
                new Right("get", "", "configmaps", "", ciliumNs, "read cilium-config and ip-masq-agent"),
                new Right("list", "", "pods", "", ciliumNs, "find the agents"),
                new Right("create", "", "pods", "exec", ciliumNs, "cilium status, iptables-save, bpf maps in the agents"),
                new Right("get", "", "pods", "log", ciliumNs, "the agents' masquerading log lines"),
                new Right("create", "", "namespaces", "", "", "the probe namespace"),
                new Right("delete", "", "namespaces", "", "", "remove it at the end"),
                new Right("create", "apps", "daemonsets", "", PROBE_NAMESPACE, "the probe DaemonSets"),
                new Right("create", "", "pods", "exec", PROBE_NAMESPACE, "run probes"),
                new Right("list", "", "events", "", PROBE_NAMESPACE, "explain probe pods that were not created"),
                new Right("list", "", "pods", "", PROBE_NAMESPACE, "find the probe pods")));
        if (ciliumNodes) {
            rights.add(new Right("list", "cilium.io", "ciliumnodes", "", "", "read each node's pod range (IPAM cluster-pool, multi-pool)"));
        }
        if (allowSwitch) {
            rights.addAll(List.of(
                    new Right("patch", "apps", "daemonsets", "", ciliumNs, "restart the agents"),
                    new Right("update", "", "configmaps", "", ciliumNs, "write the ip-masq-agent config"),
                    new Right("delete", "", "configmaps", "", ciliumNs, "restore a missing ip-masq-agent config"),
                    new Right("list", "", "secrets", "", releaseNs, "Helm reads its release"),
                    new Right("create", "", "secrets", "", releaseNs, "Helm records each upgrade")));
        }
        return rights;
    }

    static Check rights(KubernetesClient client, List<Right> needed) {
        List<String> denied = new ArrayList<>();
        for (Right r : needed) {
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                    .withVerb(r.verb()).withGroup(r.group()).withResource(r.resource()).withSubresource(r.subresource())
                    .withNamespace(r.namespace()).endResourceAttributes().endSpec().build();
            SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
            boolean allowed = answer != null && answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
            if (!allowed) {
                denied.add(r + " (" + r.why() + ")");
            }
        }
        return denied.isEmpty() ? Check.pass("permissions", "all " + needed.size() + " rights the run needs are granted")
                : Check.fail("permissions", "not granted: " + String.join("; ", denied), "grant them to this kubeconfig's user"
                + (needed.stream().anyMatch(r -> r.verb().equals("patch")) ? "; `helm upgrade` of Cilium also needs rights on every kind its"
                + " chart renders" : ""));
    }
}
