package io.masqharness.cluster.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UpgradeCommand;
import io.masqharness.cluster.ClusterException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cilium's Helm release, with helm-java: install, and the documented toggle
 * {@code helm upgrade <release> cilium/cilium -n <ns> --reuse-values} with the mode's values. The
 * chart is always the one version given (the scenario's for a fresh install, the deployed
 * release's on an existing cluster: switching modes never upgrades or downgrades Cilium), from the
 * chart repository or a local archive ({@code -Dharness.ciliumChart}). Values go through a values
 * file: helm-java's {@code set} escapes every comma and bracket, so a list would arrive as one
 * string.
 */
public final class CiliumHelm implements ModeSwitch.Release {

    public static final String RELEASE = "cilium";
    public static final String CHART = "cilium/cilium";
    public static final String REPO = "https://helm.cilium.io/";
    public static final String CHART_PROPERTY = "harness.ciliumChart";
    /** The chart archive of {@code cilium.upgradeTo}'s version, where the chart repository cannot be reached. */
    public static final String UPGRADE_CHART_PROPERTY = "harness.ciliumUpgradeChart";

    private static final YAMLMapper YAML = new YAMLMapper();

    private final String kubeconfig;
    private final String namespace;
    private final String release;
    private String chartVersion;
    private boolean upgraded;
    private final Path workDir;
    private final AtomicInteger valuesFiles = new AtomicInteger();
    private boolean repositoryAdded;
    private Optional<String> revisionBefore = Optional.empty();

    /** @param kubeconfig the kubeconfig contents (kept in memory only, never logged) */
    public CiliumHelm(String kubeconfig, String namespace, String release, String chartVersion, Path workDir) {
        this.kubeconfig = kubeconfig;
        this.namespace = namespace;
        this.release = release;
        this.chartVersion = chartVersion;
        this.workDir = workDir;
    }

    public static Optional<Path> localChart() {
        return archive(CHART_PROPERTY);
    }

    /** The archive for the version after {@code cilium.upgradeTo} ({@value #UPGRADE_CHART_PROPERTY}), if given. */
    public static Optional<Path> localUpgradeChart() {
        return archive(UPGRADE_CHART_PROPERTY);
    }

    private static Optional<Path> archive(String property) {
        String p = System.getProperty(property, "");
        return p.isBlank() ? Optional.empty() : Optional.of(Path.of(p));
    }

    /** The local archive of the chart this release runs now: the upgrade's once upgraded. */
    private Optional<Path> local() {
        return upgraded ? localUpgradeChart() : localChart();
    }

    @Override
    public String release() {
        return release;
    }

    @Override
    public String chartVersion() {
        return chartVersion;
    }

    /** Remembers the deployed release's revision, before any upgrade of the run. */
    public CiliumHelm withRevisionBefore(String revision) {
        this.revisionBefore = Optional.ofNullable(revision).filter(r -> !r.isBlank());
        return this;
    }

    @Override
    public Optional<String> namespace() {
        return Optional.of(namespace);
    }

    @Override
    public Optional<String> revisionBefore() {
        return revisionBefore;
    }

    /** Where the chart comes from, as a person reads it. */
    @Override
    public String chartSource() {
        return local().map(p -> p + " (local archive)").orElse(CHART + " " + chartVersion + " from " + REPO);
    }

    @Override
    public String chartSource(String version) {
        if (version.equals(chartVersion)) {
            return chartSource();
        }
        return upgradeChartSource(version);
    }

    /** Where the chart of {@code cilium.upgradeTo} comes from, as a person reads it. */
    public static String upgradeChartSource(String version) {
        return localUpgradeChart().map(p -> p + " (local archive, -D" + UPGRADE_CHART_PROPERTY + ")")
                .orElse(CHART + " " + version + " from " + REPO);
    }

    /**
     * Refuses a local chart archive of another version than the one this release must run: on an
     * existing cluster that would upgrade or downgrade Cilium.
     */
    public void requireChartVersion() {
        Optional<Path> local = localChart();
        if (local.isEmpty()) {
            return;
        }
        String found = chartArchiveVersion(local.get());
        if (!found.equals(chartVersion)) {
            throw new ClusterException("use the chart archive", local.get().toString(), "it is chart version " + found
                    + ", but the release must run " + chartVersion + ": the harness never installs or switches with another version;"
                    + " give -D" + CHART_PROPERTY + "=<cilium-" + chartVersion + ".tgz>");
        }
    }

    /** The version in a chart archive's Chart.yaml. */
    public static String chartArchiveVersion(Path archive) {
        if (!Files.isRegularFile(archive)) {
            throw new ClusterException("read the chart archive", archive.toString(), "no such file");
        }
        try {
            return YAML.readTree(new Helm(archive).show().chart().call()).path("version").asText("");
        } catch (IOException | RuntimeException e) {
            throw new ClusterException("read the chart archive", archive.toString(), "not a readable chart: " + e.getMessage());
        }
    }

    private Path repositoryConfig() {
        Path config = workDir.resolve("repositories.yaml");
        if (!repositoryAdded) {
            Helm.repo().add().withRepositoryConfig(config).withName("cilium").withUrl(URI.create(REPO)).call();
            repositoryAdded = true;
        }
        return config;
    }

    public void install(Map<String, Object> values, Duration bound) {
        InstallCommand install = local().isPresent() ? new Helm(local().get()).install()
                : Helm.install(CHART).withRepositoryConfig(repositoryConfig()).withVersion(chartVersion);
        install.withName(release).withNamespace(namespace).withKubeConfigContents(kubeconfig).withValuesFile(valuesFile(values))
                .waitReady().withTimeout((int) bound.toSeconds()).call();
    }

    @Override
    public void upgradeReusingValues(Map<String, Object> values, Duration bound) {
        UpgradeCommand upgrade = local().isPresent() ? new Helm(local().get()).upgrade()
                : Helm.upgrade(CHART).withRepositoryConfig(repositoryConfig()).withVersion(chartVersion);
        upgrade.withName(release).withNamespace(namespace).withKubeConfigContents(kubeconfig).reuseValues()
                .withValuesFile(valuesFile(values)).waitReady().withTimeout((int) bound.toSeconds()).call();
    }

    /**
     * Moves the release to chart {@code version} with exactly {@code values} ({@code --reset-values}): the upgrade to
     * {@code cilium.upgradeTo} from the scenario's chart (or its local archive), and back from it to the version the run
     * started with (the local archive of {@value #CHART_PROPERTY} then).
     */
    @Override
    public void upgradeChart(String version, Map<String, Object> values, Duration bound) {
        boolean toUpgrade = !upgraded;
        Optional<Path> archive = toUpgrade ? localUpgradeChart() : localChart();
        archive.ifPresent(a -> {
            String found = chartArchiveVersion(a);
            if (!found.equals(version)) {
                throw new ClusterException("use the chart archive", a.toString(), "it is chart version " + found + ", but the release"
                        + " must move to " + version + "; give -D" + (toUpgrade ? UPGRADE_CHART_PROPERTY : CHART_PROPERTY) + "=<cilium-"
                        + version + ".tgz>");
            }
        });
        UpgradeCommand upgrade = archive.isPresent() ? new Helm(archive.get()).upgrade()
                : Helm.upgrade(CHART).withRepositoryConfig(repositoryConfig()).withVersion(version);
        upgrade.withName(release).withNamespace(namespace).withKubeConfigContents(kubeconfig).resetValues()
                .withValuesFile(valuesFile(values)).waitReady().withTimeout((int) bound.toSeconds()).call();
        chartVersion = version;
        upgraded = toUpgrade;
    }

    private Path valuesFile(Map<String, Object> values) {
        try {
            Path file = workDir.resolve("values-" + valuesFiles.incrementAndGet() + ".yaml");
            Files.writeString(file, valuesYaml(values));
            return file;
        } catch (IOException e) {
            throw new ClusterException("write a Helm values file", workDir.toString(), e);
        }
    }

    /** Dotted keys as {@code --set} takes them ({@code \.} keeps a dot in a key), written as a nested values file. */
    public static String valuesYaml(Map<String, Object> values) {
        Map<String, Object> root = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            List<String> path = splitKey(key);
            Map<String, Object> at = root;
            for (String part : path.subList(0, path.size() - 1)) {
                Object next = at.computeIfAbsent(part, k -> new LinkedHashMap<String, Object>());
                if (!(next instanceof Map)) {
                    throw new ClusterException("write Helm values", key, "'" + part + "' is both a value and a parent of " + key);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) next;
                at = child;
            }
            at.put(path.get(path.size() - 1), value);
        });
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> splitKey(String key) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' && i + 1 < key.length() && key.charAt(i + 1) == '.') {
                part.append('.');
                i++;
            } else if (c == '.') {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    /**
     * The deployed release (helm-java's {@code list}), or why there is none: the chart version it
     * runs is the only one an existing cluster may be switched with.
     */
    public static Release deployedRelease(String kubeconfig, String namespace, String release) {
        List<Release> releases = Helm.list().withKubeConfigContents(kubeconfig).withNamespace(namespace).deployed().call();
        return releases.stream().filter(r -> r.getName().equals(release)).findFirst()
                .orElseThrow(() -> new ClusterException("find Helm release " + release, namespace, "no deployed release named '" + release
                        + "' (deployed there: " + releases.stream().map(Release::getName).toList() + ")"));
    }

    /** The chart name of a release: chart {@code cilium-1.13.4} is cilium, {@code rke2-cilium-1.13.400} rke2-cilium. */
    public static String chartName(String release, String chart) {
        String version = chartVersion(release, chart);
        return chart.substring(0, chart.length() - version.length() - 1);
    }

    /** The chart version of a release: chart {@code cilium-1.13.4} is 1.13.4. */
    public static String chartVersion(String release, String chart) {
        chart = chart == null ? "" : chart;
        int dash = chart.lastIndexOf('-');
        while (dash > 0 && !Character.isDigit(chart.charAt(dash + 1))) {
            dash = chart.lastIndexOf('-', dash - 1);
        }
        if (dash <= 0) {
            throw new ClusterException("read the chart version", "Helm release " + release, "chart '" + chart
                    + "' carries no version");
        }
        return chart.substring(dash + 1);
    }
}
