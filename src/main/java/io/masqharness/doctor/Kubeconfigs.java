package io.masqharness.doctor;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds and checks the kubeconfig of an existing cluster: {@code -Dharness.kubeconfig}, else
 * {@code KUBECONFIG}, else {@code ~/.kube/config}. Messages name the file, never its contents.
 */
public final class Kubeconfigs {

    public static final String PROPERTY = "harness.kubeconfig";
    public static final String PROBE_IMAGE = "harness.kubeconfig.probeImage";

    private Kubeconfigs() {
    }

    public static Path path() {
        String explicit = System.getProperty(PROPERTY, "");
        if (!explicit.isEmpty()) {
            return Path.of(explicit);
        }
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env.split(java.io.File.pathSeparator)[0]);
        }
        return Path.of(System.getProperty("user.home"), ".kube", "config");
    }

    public static String contents() {
        try {
            return Files.readString(path());
        } catch (IOException e) {
            throw new UncheckedIOException("reading kubeconfig " + path(), e);
        }
    }

    /** Why the kubeconfig backend cannot run, with the fix; empty when it can. */
    public static Optional<String> unavailable() {
        return unreachable().or(Kubeconfigs::noProbeImage);
    }

    /** How to name the probe image for a kubeconfig run. */
    public static final String PROBE_IMAGE_FIX = "set -D" + PROBE_IMAGE + "=<image> (doctor and plan: --probe-image) to a copy of"
            + " the probe image this cluster can pull (docker tag and push masq-harness-probe:<hash> to your registry)";

    /** Why the probe image is not named, with the fix; empty when -Dharness.kubeconfig.probeImage is set. */
    public static Optional<String> noProbeImage() {
        return System.getProperty(PROBE_IMAGE, "").isBlank() ? Optional.of("no image named for the probe pods: " + PROBE_IMAGE_FIX)
                : Optional.empty();
    }

    /** Why the cluster cannot be asked anything (no kubeconfig, unparsable, no answer), with the fix; empty when it answers. */
    public static Optional<String> unreachable() {
        Path file = path();
        if (!Files.isRegularFile(file)) {
            return Optional.of("no kubeconfig at " + file + ": point -D" + PROPERTY + "=FILE (or KUBECONFIG) at the cluster to validate");
        }
        Config config;
        try {
            config = Config.fromKubeconfig(contents());
        } catch (RuntimeException e) {
            return Optional.of("the kubeconfig " + file + " does not parse (" + e.getClass().getSimpleName()
                    + "): check it with `kubectl --kubeconfig " + file + " version`");
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            return Optional.of("the kubeconfig " + file + " names no API server (current context without a cluster server)");
        }
        config.setRequestTimeout(10_000);
        config.setConnectionTimeout(10_000);
        config.setRequestRetryBackoffLimit(0);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            client.getKubernetesVersion();
        } catch (RuntimeException e) {
            return Optional.of("the kubeconfig " + file + " points at " + config.getMasterUrl() + ", which did not answer within 10 s");
        }
        return Optional.empty();
    }
}
