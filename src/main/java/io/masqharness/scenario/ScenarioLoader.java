package io.masqharness.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.Protocol;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads and validates {@code scenarios/*.yaml}. Every problem of a file is reported at once, each
 * with the field's path, what was found and what was expected.
 */
public final class ScenarioLoader {

    public static final long MAX_BYTES = 1 << 20;
    public static final String DEFAULT_K3S_IMAGE = "rancher/k3s:v1.26.6-k3s1";
    public static final String DEFAULT_CILIUM_VERSION = "1.13.4";
    public static final int MAX_NODES = 10;

    private static final List<String> TOP = List.of("name", "cluster", "cilium", "modes", "destinations", "probes",
            "expect", "latency");
    private static final List<String> CLUSTER = List.of("backend", "k3sImage", "nodes", "network", "podCIDR", "externalHost",
            "podCIDRv6", "externalHostV6");
    private static final List<String> NODE = List.of("name", "ip", "podCIDR", "ipv6", "podCIDRv6");
    private static final List<String> NETWORK = List.of("subnet", "subnetV6");
    private static final List<String> CILIUM = List.of("version", "values", "upgradeTo");
    private static final List<String> MODE = List.of("name", "values", "ipMasqAgentConfig");
    private static final List<String> IP_MASQ = List.of("nonMasqueradeCIDRs", "masqLinkLocal", "masqLinkLocalIPv6");
    private static final List<String> DESTINATION = List.of("name", "ip");
    private static final List<String> EXPECT = List.of("mode", "from", "to", "protocol", "source", "family");
    private static final List<String> BACKENDS = List.of("k3s", "kubeconfig", "lab");

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?");

    private final YAMLMapper mapper = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    public Scenario load(Path file) {
        byte[] bytes = read(file);
        List<ScenarioException.Problem> problems = new ArrayList<>();
        Field root = new Field(parse(file, bytes), "", file, problems);
        Scenario scenario = build(file, root);
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        return scenario;
    }

    private static byte[] read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new ScenarioException(file, "", "is a directory, expected a scenario file (.yaml)");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ScenarioException(file, "", "is " + size + " bytes; a scenario is at most " + MAX_BYTES
                        + " bytes (is this the right file?)");
            }
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                if (b == 0) {
                    throw new ScenarioException(file, "", "contains binary data (NUL bytes), expected a YAML text file");
                }
            }
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                throw new ScenarioException(file, "", "is empty, expected a scenario with at least name, modes and destinations");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file, "", "does not exist");
        } catch (CharacterCodingException e) {
            throw new ScenarioException(file, "", "is not UTF-8 text, expected a YAML text file");
        } catch (IOException e) {
            throw new ScenarioException(file, "", "cannot be read: " + e.getMessage());
        }
    }

    private JsonNode parse(Path file, byte[] bytes) {
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new ScenarioException(file, "", "is not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ScenarioException(file, "", "cannot be parsed: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ScenarioException(file, "", "found " + Field.describe(node)
                    + " at the top level, expected a mapping with at least name, modes and destinations");
        }
        return node;
    }

    private Scenario build(Path file, Field root) {
        root.mapping(TOP, "a mapping");
        String name = name(root.child("name"), "the scenario's name");
        ClusterSpec cluster = cluster(root.child("cluster"));
        CiliumSpec cilium = cilium(root.child("cilium"), cluster.dualStack());
        List<ModeSpec> modes = modes(root.child("modes"), cilium, cluster.dualStack(), root.child("latency").present());
        List<DestinationSpec> destinations = destinations(root.child("destinations"), cluster);
        checkFamilies(root, cluster, cilium, modes);
        List<Protocol> probes = probes(root.child("probes"));
        List<ExpectSpec> expect = expectations(root.child("expect"), modes, destinations, cluster, probes);
        Optional<LatencySpec> latency = root.child("latency").present()
                ? LatencySection.read(root.child("latency"), cluster, destinations) : Optional.empty();
        return new Scenario(file, name, cluster, cilium, modes, destinations, probes, expect, latency);
    }

    /**
     * {@code ipv6.enabled} in a mode needs a dual-stack cluster: with Kubernetes IPAM the agent waits
     * for an IPv6 pod CIDR on its node and gives up (pkg/k8s/init.go, "required IPv6 PodCIDR not
     * available", v1.13.4), which no probe could tell from a broken cluster.
     */
    private static void checkFamilies(Field root, ClusterSpec cluster, CiliumSpec cilium, List<ModeSpec> modes) {
        if (cluster.dualStack()) {
            return;
        }
        String why = "an IPv4-only cluster; ipv6.enabled=true needs a dual-stack cluster (cluster.network.subnetV6 and"
                + " cluster.podCIDRv6): Cilium 1.13 with Kubernetes IPAM waits for an IPv6 pod CIDR and never gets ready";
        if (Boolean.TRUE.equals(cilium.values().get("ipv6.enabled"))) {
            root.child("cilium").child("values").problem("ipv6.enabled is true on " + why);
            return;
        }
        List<Field> items = root.child("modes").present() && root.child("modes").node().isArray()
                ? root.child("modes").list("a list of modes") : List.of();
        for (int i = 0; i < Math.min(items.size(), modes.size()); i++) {
            if (Boolean.TRUE.equals(modes.get(i).values().get("ipv6.enabled"))) {
                items.get(i).child("values").problem("ipv6.enabled is true on " + why);
            }
        }
    }

    private static String name(Field field, String what) {
        if (!field.present()) {
            field.required(what + " (lower-case letters, digits and '-')");
            return "";
        }
        String n = field.text(what + " (lower-case letters, digits and '-')").orElse("");
        if (!n.isEmpty() && !NAME.matcher(n).matches()) {
            field.unexpected(what + ": lower-case letters, digits and '-', at most 63 characters");
        }
        return n;
    }

    private static ClusterSpec cluster(Field field) {
        ClusterSpec.Backend backend = ClusterSpec.Backend.K3S;
        String image = DEFAULT_K3S_IMAGE;
        Cidr subnet = Cidr.parse("172.28.0.0/24");
        Cidr podCidr = Cidr.parse("10.42.0.0/16");
        Field nodesField = field.child("nodes");
        Ipv4 externalHost = null;
        if (field.present() && field.mapping(CLUSTER, "a mapping with backend, k3sImage, nodes, network, podCIDR")) {
            Field b = field.child("backend");
            if (b.present()) {
                String text = b.text("one of " + BACKENDS).orElse(null);
                if (text != null && !BACKENDS.contains(text)) {
                    b.unexpected("one of " + BACKENDS + Field.suggestion(text, BACKENDS).map(s -> " (did you mean '" + s + "'?)").orElse(""));
                } else if (text != null) {
                    backend = ClusterSpec.Backend.valueOf(text.toUpperCase());
                }
            }
            image = k3sImage(field.child("k3sImage"));
            Field network = field.child("network");
            if (network.present() && network.mapping(NETWORK, "a mapping with subnet")) {
                Field s = network.child("subnet");
                subnet = s.present() ? s.cidr().orElse(subnet) : subnet;
                if (subnet.prefixLength() > 28 || subnet.prefixLength() < 8) {
                    s.unexpected("a subnet between /8 and /28 (room for the nodes and the external host)");
                    // Keep validating the rest against a usable network, so every other problem is reported too.
                    subnet = Cidr.parse("172.28.0.0/24");
                }
            }
            Field p = field.child("podCIDR");
            podCidr = p.present() ? p.cidr().orElse(podCidr) : podCidr;
            if (podCidr.prefixLength() > 24) {
                p.unexpected("a pod CIDR of /24 or wider (each node gets a /24)");
                podCidr = Cidr.parse("10.42.0.0/16");
            }
            if (podCidr.overlaps(subnet)) {
                p.problem("pod CIDR " + podCidr + " overlaps the node network " + subnet + "; they must be disjoint");
            }
            Field e = field.child("externalHost");
            externalHost = e.present() ? e.ipv4().orElse(null) : null;
            if (externalHost != null && !subnet.contains(externalHost)) {
                e.problem("external host " + externalHost + " is outside the node network " + subnet);
            }
        }
        if (externalHost == null) {
            externalHost = subnet.address(Math.min(100, subnet.size() - 2));
        }
        Optional<V6> v6 = field.present() && field.node().isObject() ? v6(field, subnet, externalHost) : Optional.empty();
        List<NodeSpec> nodes = nodes(nodesField, subnet, podCidr, externalHost, v6);
        return new ClusterSpec(backend, image, nodes, subnet, podCidr, externalHost, v6.map(V6::subnet),
                v6.map(V6::podCidr), v6.map(V6::externalHost));
    }

    /** The IPv6 half of a dual-stack cluster: {@code network.subnetV6} and {@code podCIDRv6}, both or neither. */
    private record V6(Cidr6 subnet, Cidr6 podCidr, Ipv6 externalHost) {
    }

    private static Optional<V6> v6(Field cluster, Cidr subnet, Ipv4 externalHost) {
        Field s = cluster.child("network").child("subnetV6");
        Field p = cluster.child("podCIDRv6");
        Field e = cluster.child("externalHostV6");
        Optional<Cidr6> subnetV6 = s.present() ? s.cidr6() : Optional.empty();
        Optional<Cidr6> podV6 = p.present() ? p.cidr6() : Optional.empty();
        if (s.present() != p.present()) {
            (s.present() ? p : s).required("an IPv6 CIDR: a dual-stack cluster needs both cluster.network.subnetV6 (the node"
                    + " network's IPv6 prefix, e.g. fd00:28::/64) and cluster.podCIDRv6 (e.g. fd00:42::/56); give both or neither");
            return Optional.empty();
        }
        if (!s.present()) {
            if (e.present()) {
                e.problem("externalHostV6 needs a dual-stack cluster (cluster.network.subnetV6 and cluster.podCIDRv6)");
            }
            return Optional.empty();
        }
        if (subnetV6.isPresent() && (subnetV6.get().prefixLength() < 48 || subnetV6.get().prefixLength() > 112)) {
            s.unexpected("an IPv6 node network between /48 and /112 (nodes and the external host take ::11, ::100 and so on)");
            subnetV6 = Optional.empty();
        }
        if (podV6.isPresent() && (podV6.get().prefixLength() > 64 || podV6.get().prefixLength() < 32)) {
            p.unexpected("an IPv6 pod CIDR between /32 and /64 (each node gets a /64, K3s's default node-cidr-mask-size-ipv6)");
            podV6 = Optional.empty();
        }
        if (subnetV6.isEmpty() || podV6.isEmpty()) {
            return Optional.empty();
        }
        if (podV6.get().overlaps(subnetV6.get())) {
            p.problem("IPv6 pod CIDR " + podV6.get() + " overlaps the IPv6 node network " + subnetV6.get() + "; they must be disjoint");
        }
        Ipv6 externalV6 = e.present() ? e.ipv6().orElse(null) : null;
        if (externalV6 != null && !subnetV6.get().contains(externalV6)) {
            e.problem("external host " + externalV6 + " is outside the IPv6 node network " + subnetV6.get());
        }
        if (externalV6 == null) {
            externalV6 = sameHostPart(subnetV6.get(), subnet, externalHost);
        }
        return Optional.of(new V6(subnetV6.get(), podV6.get(), externalV6));
    }

    /**
     * The IPv6 address that reads like the IPv4 one: host .11 of the node network is ::11 of the IPv6
     * node network (the decimal digits read as hex), so a person can pair them at a glance.
     */
    static Ipv6 sameHostPart(Cidr6 subnetV6, Cidr subnet, Ipv4 ip) {
        long offset = Integer.toUnsignedLong(ip.bits()) - Integer.toUnsignedLong(subnet.network().bits());
        return subnetV6.address(Long.parseLong(Long.toString(offset), 16));
    }

    private static String k3sImage(Field field) {
        if (!field.present()) {
            return DEFAULT_K3S_IMAGE;
        }
        String image = field.text("an image reference such as " + DEFAULT_K3S_IMAGE).orElse(DEFAULT_K3S_IMAGE);
        if (image.contains("+")) {
            field.unexpected("an image tag without '+': K3s versions like v1.26.6+k3s1 are tagged "
                    + image.replace('+', '-'));
        } else if (!IMAGE.matcher(image).matches()) {
            field.unexpected("an image reference such as " + DEFAULT_K3S_IMAGE);
        }
        return image;
    }

    private static List<NodeSpec> nodes(Field field, Cidr subnet, Cidr podCidr, Ipv4 externalHost, Optional<V6> v6) {
        String expected = "a node count 1.." + MAX_NODES + " or a list of {name, ip, podCIDR}";
        if (!field.present()) {
            return generatedNodes(2, subnet, podCidr, v6);
        }
        if (field.node().isNumber()) {
            return field.integer(1, MAX_NODES, "a node count").map(n -> generatedNodes(n, subnet, podCidr, v6)).orElse(List.of());
        }
        if (!field.node().isArray()) {
            field.unexpected(expected);
            return List.of();
        }
        List<Field> items = field.list(expected);
        if (items.isEmpty() || items.size() > MAX_NODES) {
            field.unexpected("1.." + MAX_NODES + " nodes");
        }
        List<NodeSpec> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Ipv4> ips = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Field item = items.get(i);
            if (!item.mapping(NODE, "a node {name, ip, podCIDR}")) {
                continue;
            }
            String name = name(item.child("name"), "the node's name");
            Optional<Ipv4> ip = item.child("ip").present() ? item.child("ip").ipv4() : Optional.of(subnet.address(11 + i));
            Optional<Cidr> pods = item.child("podCIDR").present() ? item.child("podCIDR").cidr()
                    : Optional.of(podCidr.subnet(24, i));
            if (!names.add(name) && !name.isEmpty()) {
                item.child("name").problem("node name '" + name + "' is used twice");
            }
            if (ip.isPresent()) {
                if (!subnet.contains(ip.get())) {
                    item.child("ip").problem("node IP " + ip.get() + " is outside the node network " + subnet);
                } else if (ip.get().equals(externalHost) || !ips.add(ip.get())) {
                    item.child("ip").problem("node IP " + ip.get() + " is already used by another node or the external host");
                }
            }
            if (pods.isPresent()) {
                if (!podCidr.contains(pods.get().network()) || pods.get().prefixLength() < podCidr.prefixLength()) {
                    item.child("podCIDR").problem("node pod CIDR " + pods.get() + " is outside the cluster pod CIDR " + podCidr);
                }
                for (NodeSpec other : nodes) {
                    if (other.podCidr().overlaps(pods.get())) {
                        item.child("podCIDR").problem("node pod CIDR " + pods.get() + " overlaps " + other.name()
                                + "'s " + other.podCidr());
                    }
                }
            }
            if (ip.isPresent() && pods.isPresent()) {
                NodeSpec v4 = new NodeSpec(name, ip.get(), pods.get());
                nodes.add(v6.isEmpty() ? withoutV6(item, v4) : nodeV6(item, i, v4, v6.get(), subnet, nodes));
            }
        }
        return nodes;
    }

    private static NodeSpec withoutV6(Field item, NodeSpec node) {
        for (String key : List.of("ipv6", "podCIDRv6")) {
            if (item.child(key).present()) {
                item.child(key).problem(key + " needs a dual-stack cluster (cluster.network.subnetV6 and cluster.podCIDRv6)");
            }
        }
        return node;
    }

    private static NodeSpec nodeV6(Field item, int i, NodeSpec node, V6 v6, Cidr subnet, List<NodeSpec> others) {
        Field ipField = item.child("ipv6");
        Field podField = item.child("podCIDRv6");
        Optional<Ipv6> ip = ipField.present() ? ipField.ipv6()
                : subnet.contains(node.ip()) ? Optional.of(sameHostPart(v6.subnet(), subnet, node.ip())) : Optional.empty();
        Optional<Cidr6> pods = podField.present() ? podField.cidr6() : Optional.of(v6.podCidr().subnet(64, i));
        if (ip.isPresent()) {
            if (!v6.subnet().contains(ip.get())) {
                ipField.problem("node IPv6 " + ip.get() + " is outside the IPv6 node network " + v6.subnet());
            } else if (ip.get().equals(v6.externalHost()) || others.stream().anyMatch(o -> o.ipv6().equals(ip))) {
                ipField.problem("node IPv6 " + ip.get() + " is already used by another node or the external host");
            }
        }
        if (pods.isPresent()) {
            if (!v6.podCidr().contains(pods.get().network()) || pods.get().prefixLength() < v6.podCidr().prefixLength()) {
                podField.problem("node IPv6 pod CIDR " + pods.get() + " is outside the cluster IPv6 pod CIDR " + v6.podCidr());
            }
            for (NodeSpec other : others) {
                if (other.podCidrV6().filter(c -> c.overlaps(pods.get())).isPresent()) {
                    podField.problem("node IPv6 pod CIDR " + pods.get() + " overlaps " + other.name() + "'s " + other.podCidrV6().get());
                }
            }
        }
        return new NodeSpec(node.name(), node.ip(), node.podCidr(), ip, pods);
    }

    /** Node i (from 1) gets .10+i on the node network and the (i-1)-th /24 of the pod CIDR, as K3s hands them out. */
    private static List<NodeSpec> generatedNodes(int count, Cidr subnet, Cidr podCidr, Optional<V6> v6) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Ipv4 ip = subnet.address(10 + i);
            int index = i - 1;
            nodes.add(new NodeSpec("node-" + i, ip, podCidr.subnet(24, index),
                    v6.map(v -> sameHostPart(v.subnet(), subnet, ip)), v6.map(v -> v.podCidr().subnet(64, index))));
        }
        return nodes;
    }

    private static CiliumSpec cilium(Field field, boolean dualStack) {
        String version = DEFAULT_CILIUM_VERSION;
        Optional<String> upgradeTo = Optional.empty();
        Map<String, Object> values = Map.of();
        if (field.present() && field.mapping(CILIUM, "a mapping with version, values and upgradeTo")) {
            version = version(field.child("version")).orElse(DEFAULT_CILIUM_VERSION);
            upgradeTo = version(field.child("upgradeTo"));
            if (upgradeTo.isPresent() && CiliumVersion.parse(upgradeTo.get()).compareTo(CiliumVersion.parse(version)) <= 0) {
                field.child("upgradeTo").unexpected("a Cilium version newer than cilium.version " + version
                        + " (the upgrade runs the modes on " + version + ", then on this version)");
                upgradeTo = Optional.empty();
            }
            values = HelmValueRules.flatten(field.child("values"), dualStack);
        }
        return new CiliumSpec(version, values, upgradeTo);
    }

    /** A Cilium version of a line the oracle knows, without a leading v. */
    private static Optional<String> version(Field v) {
        if (!v.present()) {
            return Optional.empty();
        }
        String text = v.node().isValueNode() && !v.node().isNull() ? v.node().asText().trim() : null;
        if (text == null || !CiliumVersion.isSupported(text)) {
            v.unexpected("a Cilium version of a supported line: " + CiliumVersion.SUPPORTED + " (e.g. 1.15.6; the oracle"
                    + " encodes these lines' rules)");
            return Optional.empty();
        }
        return Optional.of(text.startsWith("v") ? text.substring(1) : text);
    }

    /** @param cycles whether the run switches from the last mode back to the first (its latency trials go through the modes in turn) */
    private static List<ModeSpec> modes(Field field, CiliumSpec cilium, boolean dualStack, boolean cycles) {
        if (!field.present()) {
            field.required("a list of modes, e.g. [{name: iptables, values: {bpf.masquerade: false}}]");
            return List.of();
        }
        List<Field> items = field.list("a list of modes, each {name, values, ipMasqAgentConfig}");
        if (field.node().isArray() && items.isEmpty()) {
            field.unexpected("at least one mode");
        }
        List<ModeSpec> modes = new ArrayList<>();
        List<Field> valueFields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Field item : items) {
            if (!item.mapping(MODE, "a mode {name, values, ipMasqAgentConfig}")) {
                continue;
            }
            String name = name(item.child("name"), "the mode's name");
            if (!name.isEmpty() && !names.add(name)) {
                item.child("name").problem("mode name '" + name + "' is used twice");
            }
            Map<String, Object> values = HelmValueRules.flatten(item.child("values"), dualStack);
            Optional<IpMasqAgentFile> config = Optional.empty();
            Field c = item.child("ipMasqAgentConfig");
            if (c.present()) {
                config = ipMasqAgentConfig(c, dualStack);
                boolean helmConfig = values.keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config."))
                        || cilium.values().keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config."));
                if (helmConfig) {
                    c.problem("the ip-masq-agent config is given twice (here and as Helm ipMasqAgent.config.*); keep one");
                }
            }
            modes.add(new ModeSpec(name, values, config));
            valueFields.add(item.child("values"));
        }
        for (int i = 0; i < modes.size(); i++) {
            List<ModeSpec> before = new ArrayList<>(cycles ? modes.subList(i + 1, modes.size()) : List.of());
            before.addAll(modes.subList(0, i));
            keptFromEarlierModes(valueFields.get(i), modes.get(i).name(), modes.get(i).values(), before, cilium,
                    cycles ? " (the latency trials switch through the modes in turn, the last back to the first)" : "");
        }
        return modes;
    }

    /**
     * A mode is judged with the base values plus its own, but the switch is {@code helm upgrade
     * --reuse-values}: a key an earlier mode set keeps that mode's value on the cluster until a later
     * mode sets it again. Where that value is not the base's, the mode must set the key itself, or the
     * cluster runs a configuration the mode is not judged by.
     */
    private static void keptFromEarlierModes(Field field, String name, Map<String, Object> values, List<ModeSpec> earlier, CiliumSpec cilium,
                                             String order) {
        Map<String, ModeSpec> lastSetBy = new LinkedHashMap<>();
        earlier.forEach(m -> m.values().keySet().forEach(k -> lastSetBy.put(k, m)));
        lastSetBy.forEach((key, mode) -> {
            Object kept = mode.values().get(key);
            if (!values.containsKey(key) && !Objects.equals(kept, cilium.values().get(key))) {
                field.problem("mode '" + name + "' does not set " + key + ", which mode '" + mode.name() + "' set to " + kept
                        + ": `helm upgrade --reuse-values` keeps " + kept + " on the cluster while this mode is judged with "
                        + (cilium.values().containsKey(key) ? "the base value " + cilium.values().get(key) : "the chart's default")
                        + order + "; set " + key + " in this mode");
            }
        });
    }

    private static Optional<IpMasqAgentFile> ipMasqAgentConfig(Field field, boolean dualStack) {
        if (!field.mapping(IP_MASQ, "a mapping with nonMasqueradeCIDRs and masqLinkLocal ({} for an empty config;"
                + " omit the key for no config file)")) {
            return Optional.empty();
        }
        List<String> written = new ArrayList<>();
        Field list = field.child("nonMasqueradeCIDRs");
        if (list.present()) {
            for (Field item : list.list("a list of IPv4 CIDRs")) {
                HelmValueRules.nonMasqueradeCidr(item, dualStack).ifPresent(c -> {
                    if (written.contains(c)) {
                        item.problem("CIDR " + c + " is listed twice");
                    }
                    written.add(c);
                });
            }
        }
        Field linkLocal = field.child("masqLinkLocal");
        boolean masqLinkLocal = linkLocal.present() && linkLocal.bool().orElse(false);
        Field linkLocalV6 = field.child("masqLinkLocalIPv6");
        boolean masqLinkLocalIPv6 = linkLocalV6.present() && linkLocalV6.bool().orElse(false);
        return Optional.of(IpMasqAgentFile.of(written, masqLinkLocal, masqLinkLocalIPv6));
    }

    private static List<DestinationSpec> destinations(Field field, ClusterSpec cluster) {
        if (!field.present()) {
            field.required("a list of destinations, e.g. [{name: public, ip: 198.20.0.10}]");
            return List.of();
        }
        List<Field> items = field.list("a list of destinations, each {name, ip}");
        if (field.node().isArray() && items.isEmpty()) {
            field.unexpected("at least one destination");
        }
        List<DestinationSpec> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<IpAddress> ips = new HashSet<>();
        for (Field item : items) {
            if (!item.mapping(DESTINATION, "a destination {name, ip}")) {
                continue;
            }
            String name = name(item.child("name"), "the destination's name");
            Field ipField = item.child("ip");
            if (!ipField.present()) {
                ipField.required((cluster.dualStack() ? "an IPv4 or IPv6 address" : "an IPv4 address") + " the external host answers on");
                continue;
            }
            Optional<IpAddress> ip = ipField.ipAddress(cluster.dualStack()
                    ? "an IPv4 address such as 198.20.0.10 or an IPv6 address such as 2001:db8:20::10"
                    : "an IPv4 address such as 198.20.0.10");
            if (ip.isEmpty()) {
                continue;
            }
            if (!name.isEmpty() && !names.add(name + "/" + ip.get().family())) {
                item.child("name").problem("destination name '" + name + "' is used twice" + (cluster.dualStack() ? " for "
                        + ip.get().family().label() + "; a name may be given once per family (one IPv4 and one IPv6 entry)" : ""));
            }
            boolean ok = ip.get() instanceof Ipv4 v4 ? destinationV4(ipField, cluster, v4) : destinationV6(ipField, cluster, (Ipv6) ip.get());
            if (ok && !ips.add(ip.get())) {
                ipField.problem("destination " + ip.get() + " is listed twice");
            }
            result.add(new DestinationSpec(name, ip.get()));
        }
        return result;
    }

    private static boolean destinationV4(Field ipField, ClusterSpec cluster, Ipv4 ip) {
        if (cluster.podCidr().contains(ip)) {
            ipField.problem("destination " + ip + " is inside the pod CIDR " + cluster.podCidr()
                    + "; destinations are addresses outside the cluster (pods are probed as pod:NODE)");
        } else if (cluster.subnet().contains(ip)) {
            ipField.problem("destination " + ip + " is inside the node network " + cluster.subnet()
                    + "; nodes are probed as node:NODE, destinations must be elsewhere");
        } else if (ip.bits() >>> 24 == 127 || ip.bits() >>> 28 == 14 || ip.bits() == -1) {
            ipField.problem("destination " + ip + " is loopback, multicast or broadcast; expected a unicast address");
        } else {
            return true;
        }
        return false;
    }

    private static final Cidr6 LINK_LOCAL_V6 = Cidr6.parse("fe80::/10");
    private static final Cidr6 MULTICAST_V6 = Cidr6.parse("ff00::/8");
    private static final Cidr6 MAPPED_V4 = Cidr6.parse("::ffff:0:0/96");

    private static boolean destinationV6(Field ipField, ClusterSpec cluster, Ipv6 ip) {
        if (!cluster.dualStack()) {
            ipField.unexpected("an IPv4 address: the cluster is IPv4-only, and an IPv6 address needs a dual-stack cluster"
                    + " (cluster.network.subnetV6 and cluster.podCIDRv6)");
        } else if (cluster.podCidrV6().get().contains(ip)) {
            ipField.problem("destination " + ip + " is inside the IPv6 pod CIDR " + cluster.podCidrV6().get()
                    + "; destinations are addresses outside the cluster (pods are probed as pod:NODE)");
        } else if (cluster.subnetV6().get().contains(ip)) {
            ipField.problem("destination " + ip + " is inside the IPv6 node network " + cluster.subnetV6().get()
                    + "; nodes are probed as node:NODE, destinations must be elsewhere");
        } else if (ip.high() == 0 && (ip.low() == 0 || ip.low() == 1) || MULTICAST_V6.contains(ip)) {
            ipField.problem("destination " + ip + " is unspecified, loopback or multicast; expected a unicast address");
        } else if (LINK_LOCAL_V6.contains(ip)) {
            ipField.problem("destination " + ip + " is IPv6 link-local (fe80::/10): it is never routed to the external host;"
                    + " expected a global or unique-local (fd00::/8) address");
        } else if (MAPPED_V4.contains(ip)) {
            ipField.problem("destination " + ip + " is an IPv4-mapped address; give the IPv4 address instead");
        } else {
            return true;
        }
        return false;
    }

    private static List<Protocol> probes(Field field) {
        if (!field.present()) {
            return List.of(Protocol.TCP, Protocol.UDP, Protocol.ICMP_ECHO);
        }
        List<Protocol> result = new ArrayList<>();
        for (Field item : field.list("a list of protocols: " + Protocol.EXPECTED)) {
            Optional<Protocol> p = protocol(item);
            p.ifPresent(result::add);
        }
        if (field.node().isArray() && field.node().isEmpty()) {
            field.unexpected("at least one probe protocol");
        }
        return result;
    }

    private static Optional<Protocol> protocol(Field item) {
        String text = item.text(Protocol.EXPECTED).orElse(null);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Protocol.parse(text));
        } catch (IllegalArgumentException e) {
            item.problem("found \"" + text + "\", expected " + Protocol.EXPECTED
                    + Field.suggestion(text, List.of("tcp", "udp", "sctp", "icmp-echo")).map(s -> " (did you mean '" + s + "'?)").orElse(""));
            return Optional.empty();
        }
    }

    private static List<ExpectSpec> expectations(Field field, List<ModeSpec> modes, List<DestinationSpec> destinations,
                                                 ClusterSpec cluster, List<Protocol> probes) {
        if (!field.present()) {
            return List.of();
        }
        List<ExpectSpec> result = new ArrayList<>();
        List<String> modeNames = modes.stream().map(ModeSpec::name).toList();
        List<String> nodeNames = cluster.nodes().stream().map(NodeSpec::name).toList();
        List<String> probed = probes.stream().filter(ScenarioLoader::probeable).map(Protocol::toString).toList();
        for (Field item : field.list("a list of expectations {mode, from, to, protocol, source}")) {
            if (!item.mapping(EXPECT, "an expectation {mode, from, to, protocol, source}")) {
                continue;
            }
            String mode = item.child("mode").text("a mode name: " + modeNames).orElse(null);
            if (mode != null && !modeNames.contains(mode)) {
                item.child("mode").unexpected("a mode name: " + modeNames);
            }
            String from = item.child("from").textOr("pod", "pod or pod:NODE").orElse(null);
            if (from != null && !validEndpoint(from, List.of("pod"), nodeNames, "pod")) {
                item.child("from").unexpected("pod or pod:NODE with NODE one of " + nodeNames
                        + (from.startsWith("node") ? ": flows are probed from pods only, the host network's are not" : ""));
                from = null;
            }
            String to = item.child("to").text("a destination name, node:NODE or pod:NODE").orElse(null);
            if (to != null && destinations.stream().noneMatch(d -> d.name().equals(to))
                    && !validEndpoint(to, List.of(), nodeNames, "pod", "node")) {
                item.child("to").unexpected("a destination name " + destinations.stream().map(DestinationSpec::name).toList()
                        + ", node:NODE or pod:NODE with NODE one of " + nodeNames);
            } else if (to != null && from != null && to.contains(":") && !nodeNames.isEmpty()
                    && to.substring(to.indexOf(':') + 1).equals(sourceNode(from, nodeNames))) {
                item.child("to").unexpected("a destination, or another node than the source's own " + sourceNode(from, nodeNames)
                        + ": a pod's flows to its own node and the pods beside it are not probed");
            }
            Field p = item.child("protocol");
            Optional<Protocol> protocol = p.present() ? protocol(p) : Optional.empty();
            if (!p.present()) {
                p.required(Protocol.EXPECTED);
            } else if (protocol.isPresent() && !probed.contains(protocol.get().toString())) {
                p.unexpected("one of the protocols this scenario probes, " + probed
                        + " (an explicit expectation is judged on a probed flow; probes send tcp, udp and icmp-echo)");
                protocol = Optional.empty();
            }
            Optional<Expectation.Source> source = Optional.empty();
            String s = item.child("source").text("node-ip, pod-ip or dropped").orElse(null);
            if (s != null) {
                try {
                    source = Optional.of(Expectation.Source.fromLabel(s));
                } catch (IllegalArgumentException e) {
                    item.child("source").unexpected("node-ip, pod-ip or dropped");
                }
                if (source.equals(Optional.of(Expectation.Source.ROUTER_IP))) {
                    item.child("source").unexpected("node-ip, pod-ip or dropped: router-ip is the source of host-network"
                            + " flows to pods, and only pods' flows are probed");
                    source = Optional.empty();
                }
            }
            Optional<Family> family = expectFamily(item.child("family"), to, destinations, cluster);
            if (mode != null && from != null && to != null && protocol.isPresent() && source.isPresent() && family.isPresent()) {
                result.add(new ExpectSpec(mode, from, to, protocol.get(), source.get(), family.get()));
            }
        }
        return result;
    }

    /**
     * The family of an expectation's flow: {@code family} when given, else the destination's only
     * family, else IPv4. A destination given in both families needs {@code family}: the two flows
     * may well expect different sources (in BPF mode of Cilium 1.13 they do).
     */
    private static Optional<Family> expectFamily(Field field, String to, List<DestinationSpec> destinations, ClusterSpec cluster) {
        List<Family> families = destinations.stream().filter(d -> d.name().equals(to)).map(DestinationSpec::family).distinct().toList();
        if (!field.present()) {
            if (families.size() > 1) {
                field.required("ipv4 or ipv6: destination '" + to + "' is given in both families");
                return Optional.empty();
            }
            return Optional.of(families.isEmpty() ? Family.IPV4 : families.get(0));
        }
        Optional<Family> family = family(field);
        if (family.isEmpty()) {
            return family;
        }
        if (!families.isEmpty() && !families.contains(family.get())) {
            field.unexpected(families.get(0).label() + ": destination '" + to + "' has no " + family.get().label() + " address");
            return Optional.empty();
        }
        if (family.get() == Family.IPV6 && !cluster.dualStack()) {
            field.unexpected("ipv4: the cluster is IPv4-only (an IPv6 flow needs cluster.network.subnetV6 and cluster.podCIDRv6)");
            return Optional.empty();
        }
        return family;
    }

    /** {@code ipv4} or {@code ipv6}, with a suggestion for a near miss. */
    static Optional<Family> family(Field field) {
        String text = field.text("ipv4 or ipv6").orElse(null);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Family.fromLabel(text));
        } catch (IllegalArgumentException e) {
            field.unexpected("ipv4 or ipv6" + Field.suggestion(text, List.of("ipv4", "ipv6")).map(x -> " (did you mean '" + x + "'?)").orElse(""));
            return Optional.empty();
        }
    }

    /** What a probe can send (the flows a mode run observes): TCP, UDP and ICMP echo. */
    private static boolean probeable(Protocol p) {
        return p.kind() == Protocol.Kind.TCP || p.kind() == Protocol.Kind.UDP || p.equals(Protocol.ICMP_ECHO);
    }

    /** The node an expectation's flow starts on: the named one, else the first. */
    private static String sourceNode(String from, List<String> nodeNames) {
        return from.contains(":") ? from.substring(from.indexOf(':') + 1) : nodeNames.get(0);
    }

    private static boolean validEndpoint(String text, List<String> bare, List<String> nodeNames, String... kinds) {
        if (bare.contains(text)) {
            return true;
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return false;
        }
        return List.of(kinds).contains(text.substring(0, colon)) && nodeNames.contains(text.substring(colon + 1));
    }
}
