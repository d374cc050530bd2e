package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who else keeps Cilium's Helm release in a state of its own: a GitOps controller or K3s/RKE2's
 * helm-controller would revert a mode switch within its interval, so the mode would change under
 * the probes. Read from the markers each puts on what it deploys:
 * <ul>
 * <li>Flux's helm-controller labels every resource of a HelmRelease {@code helm.toolkit.fluxcd.io/name}
 * and {@code helm.toolkit.fluxcd.io/namespace} (fluxcd/helm-controller#238); its kustomize-controller
 * {@code kustomize.toolkit.fluxcd.io/name};</li>
 * <li>Argo CD tracks its resources with the annotation {@code argocd.argoproj.io/tracking-id}
 * (or, configured so, the label {@code argocd.argoproj.io/instance}; its default label
 * {@code app.kubernetes.io/instance} is one Helm charts set too, so it is not taken as a marker);</li>
 * <li>K3s's and RKE2's helm-controller installs a release from a {@code HelmChart}
 * ({@code helm.cattle.io/v1}) of the release's name and re-runs it when that changes.</li>
 * </ul>
 */
public final class ReleaseOwners {

    static final List<String> FLUX_LABELS = List.of("helm.toolkit.fluxcd.io/name", "kustomize.toolkit.fluxcd.io/name");
    static final String ARGO_ANNOTATION = "argocd.argoproj.io/tracking-id";
    static final String ARGO_LABEL = "argocd.argoproj.io/instance";
    public static final ResourceDefinitionContext HELM_CHARTS = new ResourceDefinitionContext.Builder().withGroup("helm.cattle.io")
            .withVersion("v1").withKind("HelmChart").withPlural("helmcharts").withNamespaced(true).build();

    private ReleaseOwners() {
    }

    /** The controllers whose markers {@code objects} carry, in words ("Flux HelmRelease platform/cilium"). */
    public static List<String> markedOn(List<? extends HasMetadata> objects) {
        Set<String> owners = new LinkedHashSet<>();
        for (HasMetadata o : objects) {
            Map<String, String> labels = Optional.ofNullable(o.getMetadata().getLabels()).orElse(Map.of());
            Map<String, String> annotations = Optional.ofNullable(o.getMetadata().getAnnotations()).orElse(Map.of());
            String what = o.getKind() + " " + o.getMetadata().getName();
            if (labels.containsKey(FLUX_LABELS.get(0))) {
                owners.add("Flux HelmRelease " + labels.getOrDefault("helm.toolkit.fluxcd.io/namespace", "?") + "/"
                        + labels.get(FLUX_LABELS.get(0)) + " (label on " + what + ")");
            }
            if (labels.containsKey(FLUX_LABELS.get(1))) {
                owners.add("Flux Kustomization " + labels.get(FLUX_LABELS.get(1)) + " (label on " + what + ")");
            }
            if (annotations.containsKey(ARGO_ANNOTATION) || labels.containsKey(ARGO_LABEL)) {
                owners.add("Argo CD application " + Optional.ofNullable(annotations.get(ARGO_ANNOTATION)).map(t -> t.replaceFirst(":.*$", ""))
                        .orElse(labels.get(ARGO_LABEL)) + " (" + (annotations.containsKey(ARGO_ANNOTATION) ? ARGO_ANNOTATION : ARGO_LABEL)
                        + " on " + what + ")");
            }
        }
        return new ArrayList<>(owners);
    }

    /** A K3s/RKE2 HelmChart of the release's name in kube-system or the release's namespace, when the API has that kind. */
    public static Optional<String> helmChart(KubernetesClient client, String release, String releaseNamespace) {
        for (String ns : new LinkedHashSet<>(List.of("kube-system", releaseNamespace))) {
            try {
                if (client.genericKubernetesResources(HELM_CHARTS).inNamespace(ns).withName(release).get() != null) {
                    return Optional.of("K3s/RKE2 helm-controller (HelmChart " + ns + "/" + release + ")");
                }
            } catch (KubernetesClientException e) {
                // No such kind here (404), or no right to read it: nothing to go on either way.
            }
        }
        return Optional.empty();
    }
}
