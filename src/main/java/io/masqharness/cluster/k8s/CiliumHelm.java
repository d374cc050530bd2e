package io.masqharness.cluster.k8s;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.UpgradeCommand;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The documented toggle, with helm-java: {@code helm upgrade cilium cilium/cilium -n <ns>
 * --reuse-values --set k=v ...}, from the chart repository or a local chart archive
 * ({@code -Dharness.ciliumChart}).
 */
public final class CiliumHelm {

    public static final String RELEASE = "cilium";
    public static final String CHART = "cilium/cilium";
    public static final String REPO = "https://helm.cilium.io/";

    private final String kubeconfig;
    private final String namespace;
    private final String version;
    private final Path repositoryConfig;

    /** @param kubeconfig the kubeconfig contents (kept in memory only, never logged) */
    public CiliumHelm(String kubeconfig, String namespace, String version, Path workDir) {
        this.kubeconfig = kubeconfig;
        this.namespace = namespace;
        this.version = version;
        this.repositoryConfig = workDir.resolve("repositories.yaml");
    }

    static String localChart() {
        return System.getProperty("harness.ciliumChart", "");
    }

    public void addRepository() {
        if (localChart().isEmpty()) {
            Helm.repo().add().withRepositoryConfig(repositoryConfig).withName("cilium").withUrl(URI.create(REPO)).call();
        }
    }

    public void upgradeReusingValues(Map<String, Object> set, Duration bound) {
        UpgradeCommand upgrade = localChart().isEmpty()
                ? Helm.upgrade(CHART).withRepositoryConfig(repositoryConfig).withVersion(version)
                : new Helm(Path.of(localChart())).upgrade();
        upgrade = upgrade.withName(RELEASE).withNamespace(namespace).withKubeConfigContents(kubeconfig).reuseValues()
                .waitReady().withTimeout((int) bound.toSeconds());
        for (Map.Entry<String, Object> v : set.entrySet()) {
            upgrade = upgrade.set(v.getKey(), v.getValue());
        }
        upgrade.call();
    }
}
