package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.masqharness.oracle.IpMasqAgentFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one switch sequence of every Cilium backend (the K3s switch, the kubeconfig switch and the
 * kubeconfig restore): {@code helm upgrade --reuse-values} with the mode's values, then the
 * ip-masq-agent ConfigMap, then an agent restart and a bounded wait for the rollout. Every change
 * is listed before it is made, and {@link #changes} lists them without making any.
 */
public final class ModeSwitch {

    /** What happens to the ip-masq-agent ConfigMap in a switch. */
    public sealed interface IpMasqAgentStep {
        /** Nothing: the chart renders it, or an existing cluster's is left as found. */
        record Leave(String why) implements IpMasqAgentStep { }

        /** The mode's config (a parsed file, or a zero-length one). */
        record Write(IpMasqAgentFile file) implements IpMasqAgentStep { }

        /** No ConfigMap: the agent's default list applies. */
        record Delete() implements IpMasqAgentStep { }

        /** Back to what the run found, byte for byte, or to no ConfigMap. */
        record Restore(Optional<ConfigMap> original) implements IpMasqAgentStep { }
    }

    /** Cilium's Helm release as the switch uses it ({@link CiliumHelm}; a recording stand-in in tests). */
    public interface Release {
        String release();

        String chartSource();

        void upgradeReusingValues(Map<String, Object> values, Duration bound);

        /** The chart version the release runs now. */
        default String chartVersion() {
            throw new UnsupportedOperationException("this release does not say its chart version");
        }

        /** Where the chart of another version comes from, as a person reads it. */
        default String chartSource(String version) {
            return chartSource();
        }

        /**
         * {@code helm upgrade --version VERSION --reset-values -f <values>}: every value in one file, as Cilium's upgrade guide
         * asks between minor releases; later mode switches use that chart.
         */
        default void upgradeChart(String version, Map<String, Object> values, Duration bound) {
            throw new UnsupportedOperationException("this release cannot change its chart version");
        }

        /** The namespace the release lives in, when it is known apart from Cilium's. */
        default Optional<String> namespace() {
            return Optional.empty();
        }

        /** The release's revision before the run changed it: what {@code helm rollback} goes back to. */
        default Optional<String> revisionBefore() {
            return Optional.empty();
        }
    }

    /** After the rollout, until the restarted agents' endpoints (the host's: bpf_host) are regenerated: compiling BPF takes 10-40 s. */
    public static final Duration REGENERATION = Duration.ofMinutes(3);

    private final Release helm;
    private final CiliumKube kube;
    private final Consumer<String> progress;

    public ModeSwitch(Release helm, CiliumKube kube, Consumer<String> progress) {
        this.helm = helm;
        this.kube = kube;
        this.progress = progress;
    }

    /** The Helm release it upgrades. */
    public Release release() {
        return helm;
    }

    /** The changes {@link #apply} makes, in order, in words. */
    public List<String> changes(Map<String, Object> values, IpMasqAgentStep ipMasq, Duration helmBound, Duration rolloutBound) {
        return describe(helm.release(), helm.namespace().orElse(kube.namespace()), kube.namespace(), kube.daemonSet(), helm.chartSource(),
                values, ipMasq, helmBound, rolloutBound);
    }

    /** The same words for a cluster not yet running ({@code plan}): one description of the one sequence. */
    public static List<String> describe(String release, String releaseNamespace, String namespace, String daemonSet, String chartSource,
                                        Map<String, Object> values, IpMasqAgentStep ipMasq, Duration helmBound, Duration rolloutBound) {
        String configMap = "ConfigMap " + namespace + "/" + CiliumKube.IP_MASQ_CONFIGMAP;
        List<String> changes = new ArrayList<>();
        changes.add("helm upgrade " + release + " -n " + releaseNamespace + " --reuse-values -f <values file> setting "
                + values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))
                + " (chart " + chartSource + "; wait at most " + helmBound.toMinutes() + " min)");
        if (ipMasq instanceof IpMasqAgentStep.Write w) {
            changes.add("write " + configMap + " key config = "
                    + (w.file() instanceof IpMasqAgentFile.Empty ? "(zero-length)" : CiliumKube.ipMasqAgentConfigText(w.file())));
        } else if (ipMasq instanceof IpMasqAgentStep.Delete) {
            changes.add("delete " + configMap + " if present (the agent's default list applies)");
        } else if (ipMasq instanceof IpMasqAgentStep.Restore r) {
            changes.add(r.original().map(o -> "restore " + configMap + " as found (data, labels, annotations)")
                    .orElse("delete " + configMap + " if present (there was none before the run)"));
        } else if (ipMasq instanceof IpMasqAgentStep.Leave l) {
            changes.add("leave " + configMap + " alone: " + l.why() + " (no change)");
        }
        changes.add(restartStep(namespace, daemonSet, rolloutBound));
        return changes;
    }

    /**
     * The changes {@link #upgrade} makes, in order, in words: Cilium's documented minor-release upgrade (upgrade guide,
     * "Step 2: Use Helm to Upgrade your Cilium deployment", PR #18259): not {@code --reuse-values}, which keeps the old
     * chart's values and ignores the new chart's, but every value, checked for renamed ones, in one values file.
     */
    public List<String> upgradeChanges(String version, String valuesInWords, Duration helmBound, Duration rolloutBound) {
        return describeUpgrade(helm.release(), helm.namespace().orElse(kube.namespace()), kube.namespace(), kube.daemonSet(),
                helm.chartSource(version), version, valuesInWords, helmBound, rolloutBound);
    }

    /** Values as the switch's steps print them: {@code key=value, ...}. */
    public static String inWords(Map<String, Object> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** The same words for a cluster not yet running ({@code plan}). */
    public static List<String> describeUpgrade(String release, String releaseNamespace, String namespace, String daemonSet, String chartSource,
                                               String version, String valuesInWords, Duration helmBound, Duration rolloutBound) {
        return List.of("helm upgrade " + release + " -n " + releaseNamespace + " --version " + version + " --reset-values -f <values file> setting "
                + valuesInWords + " (chart " + chartSource + "; wait at most " + helmBound.toMinutes() + " min)", restartStep(namespace, daemonSet, rolloutBound));
    }

    private static String restartStep(String namespace, String daemonSet, Duration rolloutBound) {
        return "restart the Cilium agents (DaemonSet " + namespace + "/" + daemonSet + ", pod template annotation "
                + CiliumKube.RESTARTED_AT + ") and wait for the rollout (updated = ready = desired), at most "
                + rolloutBound.toMinutes() + " min, then for every agent's endpoints, the host's included, to be regenerated"
                + " (`cilium endpoint list`: ready), at most " + REGENERATION.toMinutes() + " min";
    }

    /** Upgrades (or, restoring, downgrades) the release's chart to {@code version} with {@code values}, then settles the agents. */
    public void upgrade(String what, String version, Map<String, Object> values, String valuesInWords, Duration helmBound,
                        Duration rolloutBound) {
        List<String> changes = upgradeChanges(version, valuesInWords, helmBound, rolloutBound);
        progress.accept(what + ", step 1/2: " + changes.get(0));
        helm.upgradeChart(version, values, helmBound);
        progress.accept(what + ", step 2/2: " + changes.get(1));
        settleAgents(rolloutBound);
    }

    private void settleAgents(Duration rolloutBound) {
        kube.restartAgents();
        kube.awaitRollout(rolloutBound);
        kube.awaitEndpointsRegenerated(REGENERATION);
    }

    public void apply(String what, Map<String, Object> values, IpMasqAgentStep ipMasq, Duration helmBound, Duration rolloutBound) {
        List<String> changes = changes(values, ipMasq, helmBound, rolloutBound);
        int[] n = {0};
        Consumer<Runnable> step = action -> {
            progress.accept(what + ", step " + (n[0] + 1) + "/" + changes.size() + ": " + changes.get(n[0]));
            n[0]++;
            action.run();
        };
        step.accept(() -> helm.upgradeReusingValues(values, helmBound));
        if (ipMasq instanceof IpMasqAgentStep.Leave) {
            step.accept(() -> { });
        } else if (ipMasq instanceof IpMasqAgentStep.Write w) {
            step.accept(() -> kube.writeIpMasqAgentConfig(w.file()));
        } else if (ipMasq instanceof IpMasqAgentStep.Delete) {
            step.accept(kube::deleteIpMasqAgentConfig);
        } else if (ipMasq instanceof IpMasqAgentStep.Restore r) {
            step.accept(() -> kube.restoreIpMasqAgentConfigMap(r.original()));
        }
        step.accept(() -> settleAgents(rolloutBound));
    }
}
