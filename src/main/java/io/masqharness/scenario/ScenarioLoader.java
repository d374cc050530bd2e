package io.masqharness.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.masqharness.latency.MannWhitney;
import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.Expectation;
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
import java.util.List;
import java.util.Map;
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
    private static final List<String> CLUSTER = List.of("backend", "k3sImage", "nodes", "network", "podCIDR", "externalHost");
    private static final List<String> NODE = List.of("name", "ip", "podCIDR");
    private static final List<String> NETWORK = List.of("subnet");
    private static final List<String> CILIUM = List.of("version", "values");
    private static final List<String> MODE = List.of("name", "values", "ipMasqAgentConfig");
    private static final List<String> IP_MASQ = List.of("nonMasqueradeCIDRs", "masqLinkLocal");
    private static final List<String> DESTINATION = List.of("name", "ip");
    private static final List<String> EXPECT = List.of("mode", "from", "to", "protocol", "source");
    private static final List<String> LATENCY = List.of("kinds", "rate", "duration", "trials", "regression");
    private static final List<String> REGRESSION = List.of("minEffect", "alpha", "gate");
    private static final List<String> BACKENDS = List.of("k3s", "kubeconfig", "lab");

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?");
    private static final Pattern VERSION_113 = Pattern.compile("1\\.13\\.\\d+");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m|h)");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(\\.\\d+)?)%");

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
        CiliumSpec cilium = cilium(root.child("cilium"));
        List<ModeSpec> modes = modes(root.child("modes"), cilium);
        List<DestinationSpec> destinations = destinations(root.child("destinations"), cluster);
        List<Protocol> probes = probes(root.child("probes"));
        List<ExpectSpec> expect = expectations(root.child("expect"), modes, destinations, cluster, probes);
        Optional<LatencySpec> latency = root.child("latency").present()
                ? latency(root.child("latency")) : Optional.empty();
        return new Scenario(file, name, cluster, cilium, modes, destinations, probes, expect, latency);
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
        List<NodeSpec> nodes = nodes(nodesField, subnet, podCidr, externalHost);
        return new ClusterSpec(backend, image, nodes, subnet, podCidr, externalHost);
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

    private static List<NodeSpec> nodes(Field field, Cidr subnet, Cidr podCidr, Ipv4 externalHost) {
        String expected = "a node count 1.." + MAX_NODES + " or a list of {name, ip, podCIDR}";
        if (!field.present()) {
            return generatedNodes(2, subnet, podCidr);
        }
        if (field.node().isNumber()) {
            return field.integer(1, MAX_NODES, "a node count").map(n -> generatedNodes(n, subnet, podCidr)).orElse(List.of());
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
                nodes.add(new NodeSpec(name, ip.get(), pods.get()));
            }
        }
        return nodes;
    }

    /** Node i (from 1) gets .10+i on the node network and the (i-1)-th /24 of the pod CIDR, as K3s hands them out. */
    private static List<NodeSpec> generatedNodes(int count, Cidr subnet, Cidr podCidr) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(new NodeSpec("node-" + i, subnet.address(10 + i), podCidr.subnet(24, i - 1)));
        }
        return nodes;
    }

    private static CiliumSpec cilium(Field field) {
        String version = DEFAULT_CILIUM_VERSION;
        Map<String, Object> values = Map.of();
        if (field.present() && field.mapping(CILIUM, "a mapping with version and values")) {
            Field v = field.child("version");
            if (v.present()) {
                String text = v.node().isValueNode() ? v.node().asText().trim() : null;
                if (text == null || !VERSION_113.matcher(text.startsWith("v") ? text.substring(1) : text).matches()) {
                    v.unexpected("a Cilium 1.13 version such as 1.13.4 (the oracle encodes Cilium 1.13's behaviour)");
                } else {
                    version = text.startsWith("v") ? text.substring(1) : text;
                }
            }
            values = HelmValueRules.flatten(field.child("values"));
        }
        return new CiliumSpec(version, values);
    }

    private static List<ModeSpec> modes(Field field, CiliumSpec cilium) {
        if (!field.present()) {
            field.required("a list of modes, e.g. [{name: iptables, values: {bpf.masquerade: false}}]");
            return List.of();
        }
        List<Field> items = field.list("a list of modes, each {name, values, ipMasqAgentConfig}");
        if (field.node().isArray() && items.isEmpty()) {
            field.unexpected("at least one mode");
        }
        List<ModeSpec> modes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Field item : items) {
            if (!item.mapping(MODE, "a mode {name, values, ipMasqAgentConfig}")) {
                continue;
            }
            String name = name(item.child("name"), "the mode's name");
            if (!name.isEmpty() && !names.add(name)) {
                item.child("name").problem("mode name '" + name + "' is used twice");
            }
            Map<String, Object> values = HelmValueRules.flatten(item.child("values"));
            Optional<IpMasqAgentFile> config = Optional.empty();
            Field c = item.child("ipMasqAgentConfig");
            if (c.present()) {
                config = ipMasqAgentConfig(c);
                boolean helmConfig = values.keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config."))
                        || cilium.values().keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config."));
                if (helmConfig) {
                    c.problem("the ip-masq-agent config is given twice (here and as Helm ipMasqAgent.config.*); keep one");
                }
            }
            modes.add(new ModeSpec(name, values, config));
        }
        return modes;
    }

    private static Optional<IpMasqAgentFile> ipMasqAgentConfig(Field field) {
        if (!field.mapping(IP_MASQ, "a mapping with nonMasqueradeCIDRs and masqLinkLocal ({} for an empty config;"
                + " omit the key for no config file)")) {
            return Optional.empty();
        }
        List<Cidr> cidrs = new ArrayList<>();
        Field list = field.child("nonMasqueradeCIDRs");
        if (list.present()) {
            for (Field item : list.list("a list of IPv4 CIDRs")) {
                item.cidr().ifPresent(c -> {
                    if (cidrs.contains(c)) {
                        item.problem("CIDR " + c + " is listed twice");
                    }
                    cidrs.add(c);
                });
            }
        }
        Field linkLocal = field.child("masqLinkLocal");
        boolean masqLinkLocal = linkLocal.present() && linkLocal.bool().orElse(false);
        return Optional.of(new IpMasqAgentFile.Present(cidrs, masqLinkLocal));
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
        Set<Ipv4> ips = new HashSet<>();
        for (Field item : items) {
            if (!item.mapping(DESTINATION, "a destination {name, ip}")) {
                continue;
            }
            String name = name(item.child("name"), "the destination's name");
            if (!name.isEmpty() && !names.add(name)) {
                item.child("name").problem("destination name '" + name + "' is used twice");
            }
            Field ipField = item.child("ip");
            if (!ipField.present()) {
                ipField.required("an IPv4 address the external host answers on");
                continue;
            }
            Optional<Ipv4> ip = ipField.ipv4();
            if (ip.isEmpty()) {
                continue;
            }
            if (cluster.podCidr().contains(ip.get())) {
                ipField.problem("destination " + ip.get() + " is inside the pod CIDR " + cluster.podCidr()
                        + "; destinations are addresses outside the cluster (pods are probed as pod:NODE)");
            } else if (cluster.subnet().contains(ip.get())) {
                ipField.problem("destination " + ip.get() + " is inside the node network " + cluster.subnet()
                        + "; nodes are probed as node:NODE, destinations must be elsewhere");
            } else if (!ips.add(ip.get())) {
                ipField.problem("destination " + ip.get() + " is listed twice");
            } else if (ip.get().bits() >>> 24 == 127 || ip.get().bits() >>> 28 == 14 || ip.get().bits() == -1) {
                ipField.problem("destination " + ip.get() + " is loopback, multicast or broadcast; expected a unicast address");
            }
            result.add(new DestinationSpec(name, ip.get()));
        }
        return result;
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
            if (mode != null && from != null && to != null && protocol.isPresent() && source.isPresent()) {
                result.add(new ExpectSpec(mode, from, to, protocol.get(), source.get()));
            }
        }
        return result;
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

    private static Optional<LatencySpec> latency(Field field) {
        if (!field.mapping(LATENCY, "a mapping with kinds, rate, duration, trials, regression")) {
            return Optional.empty();
        }
        List<String> kinds = new ArrayList<>();
        Field k = field.child("kinds");
        if (k.present()) {
            for (Field item : k.list("a list of " + LatencySpec.KINDS)) {
                item.text("one of " + LatencySpec.KINDS).ifPresent(kind -> {
                    if (LatencySpec.KINDS.contains(kind)) {
                        kinds.add(kind);
                    } else {
                        item.unexpected("one of " + LatencySpec.KINDS
                                + Field.suggestion(kind, LatencySpec.KINDS).map(s -> " (did you mean '" + s + "'?)").orElse(""));
                    }
                });
            }
        } else {
            kinds.addAll(List.of("tcp-rr", "tcp-crr"));
        }
        int rate = field.child("rate").present() ? field.child("rate").integer(1, 100_000, "requests per second").orElse(1000) : 1000;
        java.time.Duration duration = field.child("duration").present()
                ? duration(field.child("duration")).orElse(java.time.Duration.ofSeconds(10)) : java.time.Duration.ofSeconds(10);
        Field t = field.child("trials");
        int trials = t.present() ? t.integer(1, 100, "trials per mode").orElse(-1) : 5;
        double minEffect = 0.05;
        double alpha = 0.01;
        List<String> gate = LatencySpec.METRICS;
        Field r = field.child("regression");
        if (r.present() && r.mapping(REGRESSION, "a mapping with minEffect, alpha and gate")) {
            Field m = r.child("minEffect");
            if (m.present()) {
                minEffect = percent(m).orElse(minEffect);
            }
            Field a = r.child("alpha");
            if (a.present()) {
                if (!a.node().isNumber() || a.node().doubleValue() <= 0 || a.node().doubleValue() > 0.5) {
                    a.unexpected("a significance level above 0 and at most 0.5, e.g. 0.01");
                } else {
                    alpha = a.node().doubleValue();
                }
            }
            Field g = r.child("gate");
            if (g.present()) {
                gate = gate(g);
            }
        }
        int needed = MannWhitney.trialsNeeded(alpha);
        if (trials > 0 && trials < needed) {
            t.problem((t.present() ? "found " + trials : "the default of " + trials) + " trials per mode, expected at least " + needed
                    + " for alpha " + alpha + ": with " + trials + " trials against " + trials + " the exact Mann-Whitney U test"
                    + " cannot go below p = " + io.masqharness.latency.Comparison.digits(MannWhitney.smallestPValue(trials, trials))
                    + ", so no regression could ever be found");
        }
        return Optional.of(new LatencySpec(kinds, rate, duration, Math.max(trials, 1), minEffect, alpha, gate));
    }

    private static List<String> gate(Field field) {
        String expected = "a list of the metrics a regression of fails the run, from " + LatencySpec.METRICS;
        List<String> gate = new ArrayList<>();
        for (Field item : field.list(expected)) {
            item.text("one of " + LatencySpec.METRICS).ifPresent(metric -> {
                if (!LatencySpec.METRICS.contains(metric)) {
                    item.unexpected("one of " + LatencySpec.METRICS);
                } else if (gate.contains(metric)) {
                    item.problem("metric '" + metric + "' is listed twice");
                } else {
                    gate.add(metric);
                }
            });
        }
        if (field.node().isArray() && field.node().isEmpty()) {
            field.unexpected("at least one metric: a latency block whose regressions fail nothing is not a gate");
        }
        return gate;
    }

    private static Optional<java.time.Duration> duration(Field field) {
        String expected = "a duration from 100ms to 1h such as 500ms, 10s, 2m";
        String text = field.node().isTextual() ? field.node().textValue().trim() : null;
        var m = text == null ? null : DURATION.matcher(text);
        if (m == null || !m.matches()) {
            field.unexpected(expected + (field.node().isNumber() ? " (a unit is required)" : ""));
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        java.time.Duration d = switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofHours(n);
        };
        if (d.compareTo(java.time.Duration.ofMillis(100)) < 0 || d.compareTo(java.time.Duration.ofHours(1)) > 0) {
            field.unexpected(expected);
            return Optional.empty();
        }
        return Optional.of(d);
    }

    private static Optional<Double> percent(Field field) {
        String expected = "an effect-size floor such as 5% (or 0.05), between 0% and 100%";
        double value;
        if (field.node().isNumber()) {
            value = field.node().doubleValue();
        } else if (field.node().isTextual() && PERCENT.matcher(field.node().textValue().trim()).matches()) {
            var m = PERCENT.matcher(field.node().textValue().trim());
            m.matches();
            value = Double.parseDouble(m.group(1)) / 100;
        } else {
            field.unexpected(expected);
            return Optional.empty();
        }
        if (value <= 0 || value >= 1) {
            field.unexpected(expected);
            return Optional.empty();
        }
        return Optional.of(value);
    }
}
