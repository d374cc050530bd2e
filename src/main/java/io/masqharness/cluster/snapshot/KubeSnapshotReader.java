package io.masqharness.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.k8s.KubeNode;
import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.ChartConfigKeys;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.scenario.ClusterSnapshot;
import io.masqharness.scenario.NodeSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads what an upgrade question needs of a real cluster, and nothing else, changing nothing: the Cilium
 * DaemonSet (its version from the image tag, its Helm release from the annotations), the release's
 * user-supplied values (the newest deployed {@code sh.helm.release.v1} Secret, what {@code helm upgrade
 * --reuse-values} reuses), {@code cilium-config}, the {@code ip-masq-agent} ConfigMap and the nodes. Only
 * get and list calls are made.
 */
public final class KubeSnapshotReader {

    static final String RELEASE_NAME = "meta.helm.sh/release-name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubeSnapshotReader() {
    }

    public static ClusterSnapshot read(Path kubeconfig, Consumer<String> progress) {
        String contents;
        try {
            contents = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new ClusterException("read the kubeconfig", kubeconfig.toString(), e.getClass().getSimpleName() + " " + e.getMessage());
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(contents)).build()) {
            return read(client, "cluster of " + kubeconfig, progress);
        } catch (KubernetesClientException e) {
            throw new ClusterException("read the cluster", kubeconfig.toString(), e.getMessage());
        }
    }

    public static ClusterSnapshot read(KubernetesClient client, String source, Consumer<String> progress) {
        CiliumKube cilium = CiliumKube.discover(client, false, progress);
        DaemonSet ds = cilium.agentDaemonSet();
        List<String> notes = new ArrayList<>();
        Map<String, String> config = cilium.agentConfig();
        Optional<JsonNode> release = release(client, cilium.namespace(), ds, notes);
        String version = release.map(r -> r.path("chart").path("metadata").path("version").asText(""))
                .filter(CiliumVersion::isSupported).orElseGet(() -> imageVersion(ds));
        Map<String, Object> values;
        String valuesFrom;
        if (release.isPresent()) {
            values = flatten(release.get().path("config"));
            valuesFrom = "Helm release " + release.get().path("name").asText() + " revision " + release.get().path("version").asText();
        } else {
            values = ChartConfigKeys.helmValues(config, CiliumVersion.parse(version));
            valuesFrom = "cilium-config";
            notes.add(ChartConfigKeys.SPELLING_CAVEAT);
        }
        progress.accept("read Cilium " + version + ", values from " + valuesFrom);
        return new ClusterSnapshot(source, version, values, valuesFrom, nodes(cilium.nodes(), config, notes),
                ipMasqAgentFile(cilium.ipMasqAgentConfigMap()), notes);
    }

    /** The agent image's tag: quay.io/cilium/cilium:v1.13.4@sha256:... is 1.13.4. */
    static String imageVersion(DaemonSet ds) {
        String image = ds.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getImage)
                .filter(i -> i != null && i.contains("cilium")).findFirst().orElse("");
        String tag = image.replaceAll("@.*$", "");
        tag = tag.contains(":") ? tag.substring(tag.lastIndexOf(':') + 1) : "";
        if (!CiliumVersion.isSupported(tag.replaceAll("-.*$", ""))) {
            throw new ClusterException("read the Cilium version", "DaemonSet " + ds.getMetadata().getName(), "image '" + image
                    + "' carries no supported version tag (" + CiliumVersion.SUPPORTED + ") and no Helm release says it");
        }
        return tag.replaceAll("^v", "").replaceAll("-.*$", "");
    }

    /** The newest deployed revision of the DaemonSet's Helm release, decoded; empty (with a note) when it cannot be read. */
    static Optional<JsonNode> release(KubernetesClient client, String namespace, DaemonSet ds, List<String> notes) {
        String name = ds.getMetadata().getAnnotations() == null ? null : ds.getMetadata().getAnnotations().get(RELEASE_NAME);
        if (name == null) {
            notes.add("the Cilium DaemonSet has no " + RELEASE_NAME + " annotation (not installed by Helm?): values read from cilium-config");
            return Optional.empty();
        }
        try {
            Optional<Secret> newest = newestDeployed(client, namespace, name);
            if (newest.isEmpty()) {
                notes.add("no deployed revision of Helm release " + name + " was found in " + namespace + ": values read from cilium-config");
                return Optional.empty();
            }
            return Optional.of(decode(newest.get().getData().get("release")));
        } catch (KubernetesClientException e) {
            notes.add("the Helm release's Secret could not be read (" + e.getCode() + " " + e.getStatus().getReason()
                    + "): values read from cilium-config");
            return Optional.empty();
        }
    }

    /**
     * The user-supplied values ({@code helm get values}) of the newest deployed revision of Helm release {@code name}, nested
     * as Helm keeps them (lists of objects intact): what a minor-release upgrade passes back with {@code -f}.
     */
    public static Map<String, Object> releaseValues(KubernetesClient client, String namespace, String name) {
        Optional<Secret> newest = newestDeployed(client, namespace, name);
        JsonNode config = newest.map(s -> decode(s.getData().get("release")).path("config")).orElseThrow(() -> new ClusterException(
                "read the values of Helm release " + name, namespace, "no deployed revision (Secret owner=helm, name=" + name
                + ", status=deployed) is readable"));
        @SuppressWarnings("unchecked")
        Map<String, Object> values = config.isObject() ? JSON.convertValue(config, LinkedHashMap.class) : new LinkedHashMap<>();
        return values;
    }

    private static Optional<Secret> newestDeployed(KubernetesClient client, String namespace, String name) {
        return client.secrets().inNamespace(namespace).withLabel("owner", "helm").withLabel("name", name)
                .withLabel("status", "deployed").list().getItems().stream()
                .max(Comparator.comparingInt(s -> Integer.parseInt(s.getMetadata().getLabels().getOrDefault("version", "0"))));
    }

    /** Helm's storage: the Secret's data is base64 of base64 of gzipped JSON. */
    static JsonNode decode(String secretData) {
        try {
            byte[] helm = Base64.getDecoder().decode(secretData);
            byte[] gz = Base64.getDecoder().decode(new String(helm, StandardCharsets.US_ASCII).trim());
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                return JSON.readTree(in.readAllBytes());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ClusterException("decode the Helm release", "its Secret", e.getMessage());
        }
    }

    /** Nested Helm values as dotted keys, as scenarios spell them. */
    static Map<String, Object> flatten(JsonNode values) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", values, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject() && !v.isEmpty()) {
                flatten(key + ".", v, out);
            } else if (v.isBoolean()) {
                out.put(key, v.booleanValue());
            } else if (v.isArray()) {
                List<Object> items = new ArrayList<>();
                v.forEach(i -> items.add(i.isValueNode() ? i.asText() : i.toString()));
                out.put(key, items);
            } else if (!v.isNull() && !v.isObject()) {
                out.put(key, v.isNumber() ? v.numberValue() : v.asText());
            }
        }
    }

    /** Each node with its pod CIDR; where Kubernetes IPAM gives none, the i-th /24 of the cluster pool, said in the notes. */
    static List<NodeSpec> nodes(List<KubeNode> nodes, Map<String, String> config, List<String> notes) {
        List<NodeSpec> result = new ArrayList<>();
        Optional<Cidr> pool = Optional.ofNullable(config.get("cluster-pool-ipv4-cidr")).filter(s -> !s.isBlank())
                .map(s -> Cidr.parse(s.trim().split("[\\s,]+")[0]));
        for (int i = 0; i < nodes.size(); i++) {
            KubeNode n = nodes.get(i);
            int index = i;
            Cidr pods = n.podCidr().orElseGet(() -> {
                Cidr from = pool.orElseThrow(() -> new ClusterException("read pod CIDR", n.name(), "spec.podCIDR is not set and"
                        + " cilium-config has no cluster-pool-ipv4-cidr: the node's pod range is unknown"));
                notes.add("node " + n.name() + " has no spec.podCIDR: assumed " + from.subnet(24, index) + " of the cluster pool " + from);
                return from.subnet(24, index);
            });
            result.add(new NodeSpec(n.name(), Ipv4.parse(n.internalIp()), pods, n.internalIpV6(), n.podCidrV6()));
        }
        return result;
    }

    /** The ip-masq-agent ConfigMap's {@code config} as the agent reads it: no ConfigMap or key is no file, "" an empty one. */
    static Optional<IpMasqAgentFile> ipMasqAgentFile(Optional<ConfigMap> cm) {
        String raw = cm.map(ConfigMap::getData).map(d -> d.get("config")).orElse(null);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.isEmpty()) {
            return Optional.of(new IpMasqAgentFile.Empty());
        }
        try {
            JsonNode n = new YAMLMapper().readTree(raw);
            List<String> cidrs = new ArrayList<>();
            n.path("nonMasqueradeCIDRs").forEach(c -> cidrs.add(c.asText()));
            return Optional.of(IpMasqAgentFile.of(cidrs, n.path("masqLinkLocal").asBoolean(false), n.path("masqLinkLocalIPv6").asBoolean(false)));
        } catch (IOException | IllegalArgumentException e) {
            throw new ClusterException("read ConfigMap ip-masq-agent", "config", e.getMessage());
        }
    }
}
