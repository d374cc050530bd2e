package io.masqharness.cluster.k3s;

import io.masqharness.net.Cidr;
import io.masqharness.net.Family;
import io.masqharness.oracle.HelmValues;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.NodeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioUpgrade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The K3s + Cilium cluster for a scenario: containers, images, Helm values per mode and the
 * Kubernetes operations with their bounds. Pure: built from the scenario, printed by {@code plan},
 * executed by {@link K3sCluster}. Until {@link #placed} the node network is the scenario's, shown
 * as a template: the run picks a free one at start and moves every address with it.
 */
public final class K3sPlan {

    public static final String CILIUM_NAMESPACE = "kube-system";
    public static final String CILIUM_RELEASE = "cilium";
    public static final String CILIUM_CHART = "cilium/cilium";
    public static final String CILIUM_REPO = "https://helm.cilium.io/";
    public static final String SERVICE_CIDR = "10.43.0.0/16";
    /**
     * The IPv6 service range of a dual-stack cluster: /112 is the widest K3s accepts for IPv6
     * (docs/networking/basic-network-options.md, "Dual-stack"), a unique-local prefix that no
     * scenario default overlaps.
     */
    public static final String SERVICE_CIDR_V6 = "fd00:43::/112";
    /** The IPv6 prefix each node gets of {@code cluster.podCIDRv6}; pinned because the scenario's node pod CIDRs assume it. */
    public static final int NODE_CIDR_MASK_V6 = 64;
    /** Where a run looks for a free node network of the scenario's size when the scenario's own is taken. */
    public static final Cidr SUBNET_POOL = Cidr.parse("172.16.0.0/12");
    public static final String IMAGES_DIR = "/var/lib/rancher/k3s/agent/images/";
    public static final String TOKEN_PLACEHOLDER = "<generated per run, never printed>";
    public static final String DOCKER_HOST_PLACEHOLDER = "<Docker host, as Testcontainers reaches it>";
    /**
     * K3s v1.26's default sandbox image (pkg/cli/cmds/agent.go), pinned with {@code --pause-image} so
     * the image the harness loads is the one every pod's sandbox uses, whatever the K3s version.
     */
    public static final String PAUSE_IMAGE = "rancher/mirrored-pause:3.6";
    /**
     * K3s add-ons the harness does not use: each would need images of its own, and none is needed
     * (probes address pods and nodes by IP, Cilium reaches the API server by IP, no storage, no
     * ingress, no metrics). The helm controller is off too, so no klipper-helm job ever runs.
     */
    public static final List<String> DISABLED_ADDONS = List.of("traefik", "servicelb", "coredns", "local-storage", "metrics-server");

    public static final Duration API_READY = Duration.ofSeconds(180);
    public static final Duration HELM = Duration.ofMinutes(5);
    public static final Duration ROLLOUT = Duration.ofMinutes(5);
    public static final Duration NODES_READY = Duration.ofMinutes(5);
    public static final Duration PROBES_READY = Duration.ofMinutes(3);
    /** K3s imports image tars before its kubelet starts; this bounds the wait for every node's containerd to list them. */
    public static final Duration IMAGES_IN_CONTAINERD = Duration.ofMinutes(3);
    /** Kubelet's ConfigMap propagation takes about 60 s (docs); Cilium's e2e sleeps 90 s. */
    public static final Duration IPMASQ_PROPAGATION = Duration.ofMinutes(3);

    /**
     * Run in every node before K3s (k3d's recipe, in portable argument order): bpffs and cgroup v2
     * made shared; {@code /var/run} a link to {@code /run} as on real hosts, because the 1.13 chart
     * gives the agent no cgroup mount of its own when {@code cgroup.hostRoot} is
     * {@code /run/cilium/cgroupv2} and relies on the {@code /var/run/cilium} host path instead. The
     * node runs in a private cgroup namespace, so the cgroup2 root mounted here is the node's own
     * cgroup: socket-LB programs attach there and go with the node, never to the host's root.
     */
    static final String MOUNT_SCRIPT = "mount -t bpf bpffs /sys/fs/bpf && mount --make-shared /sys/fs/bpf"
            + " && { [ -L /var/run ] || { rm -rf /var/run && ln -s /run /var/run; }; }"
            + " && mkdir -p /run/cilium/cgroupv2 && mount -t cgroup2 none /run/cilium/cgroupv2"
            + " && mount --make-shared /run/cilium/cgroupv2 && mount --make-rshared /";

    /**
     * What {@link #MOUNT_SCRIPT} must leave behind, checked in every node before Cilium is
     * installed: the link, both shared mounts, and a cgroup2 root that is not the host's
     * ({@code cgroup.events} exists in every cgroup but the root of the hierarchy).
     */
    public static final String NODE_MOUNTS_CHECK = "test -L /var/run"
            + " && grep -q ' /sys/fs/bpf .*shared:.* - bpf ' /proc/self/mountinfo"
            + " && grep -q ' /run/cilium/cgroupv2 .*shared:.* - cgroup2 ' /proc/self/mountinfo"
            + " && test -e /var/run/cilium/cgroupv2/cgroup.events";

    private final Scenario scenario;
    private final String probeImage;
    private final Optional<String> dockerHost;

    /** The plan as the scenario writes it, before a run has chosen its node network. */
    public K3sPlan(Scenario scenario, String probeImage) {
        this(scenario, probeImage, Optional.empty());
    }

    private K3sPlan(Scenario scenario, String probeImage, Optional<String> dockerHost) {
        this.scenario = scenario;
        this.probeImage = probeImage;
        this.dockerHost = dockerHost;
    }

    /** The plan a run executes: on the node network it chose, with the host the kubeconfig points at. */
    public K3sPlan placed(Cidr subnet, String dockerHostName) {
        return new K3sPlan(scenario.withCluster(scenario.cluster().relocatedTo(subnet)), probeImage, Optional.of(dockerHostName));
    }

    public boolean isPlaced() {
        return dockerHost.isPresent();
    }

    public Scenario scenario() {
        return scenario;
    }

    public String probeImage() {
        return probeImage;
    }

    /**
     * Whether Cilium replaces kube-proxy fully in the base values or in any mode: {@code strict} (1.13), or {@code true}
     * (1.14+, where strict is read as true). K3s's kube-proxy is decided when the nodes start, so a scenario that turns
     * replacement on in a later mode (scenarios/tuning-series.yaml) runs without kube-proxy from the start rather than
     * with it beside Cilium's; the harness uses no Services, so its earlier modes probe the same.
     */
    public boolean kubeProxyReplacement() {
        HelmValues base = HelmValues.of(scenario.cilium().values());
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(base), scenario.modes().stream().map(m -> base.with(m.values())))
                .map(v -> v.string("kubeProxyReplacement", "disabled")).anyMatch(kpr -> kpr.equals("strict") || kpr.equals("true"));
    }

    public NodeSpec server() {
        return scenario.cluster().nodes().get(0);
    }

    /**
     * The Cilium images the chart deploys (tags: the chart is installed with image.useDigest=false), and with
     * {@code cilium.upgradeTo} the target release's too: the nodes pull nothing, before the upgrade or after it.
     */
    public List<String> ciliumImages() {
        List<String> images = new ArrayList<>(ciliumImages(scenario.cilium().version()));
        scenario.cilium().upgradeTo().ifPresent(to -> images.addAll(ciliumImages(to)));
        return images;
    }

    public static List<String> ciliumImages(String version) {
        String v = "v" + version;
        return List.of("quay.io/cilium/cilium:" + v, "quay.io/cilium/operator-generic:" + v);
    }

    /**
     * The plan after {@code cilium.upgradeTo}: the same nodes and network, the target release with its values rewritten
     * ({@link ScenarioUpgrade#after}). Its {@link #installValues} are what the upgrade sets with {@code --reset-values}.
     */
    public K3sPlan upgradedTo(ScenarioUpgrade upgrade) {
        Scenario after = upgrade.after();
        Scenario placed = new Scenario(scenario.file(), scenario.name(), scenario.cluster(), after.cilium(), after.modes(),
                scenario.destinations(), scenario.probes(), after.expect(), scenario.latency());
        return new K3sPlan(placed, probeImage, dockerHost);
    }

    /** What every node's containerd must hold before Cilium is installed: the nodes pull nothing. */
    public List<String> nodeImages() {
        List<String> images = new ArrayList<>(List.of(PAUSE_IMAGE));
        images.addAll(ciliumImages());
        images.add(probeImage);
        return images;
    }

    /** Every image a run needs: the K3s image (runs the nodes) and the images loaded into them. */
    public List<String> requiredImages() {
        List<String> images = new ArrayList<>(List.of(scenario.cluster().k3sImage()));
        images.addAll(nodeImages());
        return images;
    }

    /** The names the API server certificate must carry: the node address, and the host the kubeconfig is rewritten to. */
    public List<String> tlsSans() {
        return List.of(server().ip().toString(), dockerHost.orElse(DOCKER_HOST_PLACEHOLDER));
    }

    public List<String> serverFlags() {
        List<String> flags = new ArrayList<>(List.of("server", "--disable=" + String.join(",", DISABLED_ADDONS),
                "--disable-helm-controller"));
        tlsSans().forEach(san -> flags.add("--tls-san=" + san));
        flags.addAll(List.of("--flannel-backend=none", "--disable-network-policy"));
        if (kubeProxyReplacement()) {
            flags.add("--disable-kube-proxy");
        }
        flags.addAll(List.of("--cluster-cidr=" + clusterCidr(), "--service-cidr=" + serviceCidr(),
                "--pause-image=" + PAUSE_IMAGE, "--node-ip=" + nodeIp(server()), "--node-name=" + server().name()));
        if (dualStack()) {
            flags.add("--kube-controller-manager-arg=node-cidr-mask-size-ipv6=" + NODE_CIDR_MASK_V6);
        }
        return flags;
    }

    public List<String> agentFlags(NodeSpec node) {
        return List.of("agent", "--server=https://" + server().ip() + ":6443", "--pause-image=" + PAUSE_IMAGE,
                "--node-ip=" + nodeIp(node), "--node-name=" + node.name());
    }

    /** Why a dual-stack scenario does not run on this backend yet, and what does run it: the run's refusal and plan's warning. */
    public static final String DUAL_STACK_NOT_BUILT = "not wired yet: the k3s backend gives its node containers IPv4 addresses"
            + " only; `plan` shows the dual-stack K3s flags and Cilium values a run would use. Run this scenario on the lab backend"
            + " (-Dharness.backend=lab), or against a dual-stack cluster of your own (-Dharness.backend=kubeconfig), which probes"
            + " IPv6 where the cluster has it";

    public boolean dualStack() {
        return scenario.cluster().dualStack();
    }

    /**
     * K3s takes both families as one comma-separated flag, IPv4 first (k3s docs, "Dual-stack":
     * {@code --cluster-cidr=10.42.0.0/16,2001:cafe:42::/56 --service-cidr=10.43.0.0/16,2001:cafe:43::/112});
     * dual-stack must be set when the cluster is created.
     */
    public String clusterCidr() {
        return scenario.cluster().podCidr() + scenario.cluster().podCidrV6().map(c -> "," + c).orElse("");
    }

    public String serviceCidr() {
        return SERVICE_CIDR + (dualStack() ? "," + SERVICE_CIDR_V6 : "");
    }

    /**
     * {@code --node-ip} with both families on a dual-stack cluster: K3s's agent refuses a cluster CIDR
     * and node IPs of different families (pkg/agent/run.go, "must share the same IP version"), and
     * the node's IPv6 InternalIP is what Cilium puts into cilium_node_set_v6.
     */
    public String nodeIp(NodeSpec node) {
        return node.ip() + node.ipv6().map(ip -> "," + ip).orElse("");
    }

    /** Where an image tar lands in a node: K3s imports every tar in {@link #IMAGES_DIR} before its kubelet starts. */
    public static String tarName(String image) {
        return image.replaceAll("[^A-Za-z0-9.-]", "_") + ".tar";
    }

    public List<ContainerPlan> containers() {
        List<ContainerPlan> result = new ArrayList<>();
        for (NodeSpec node : scenario.cluster().nodes()) {
            boolean isServer = node.equals(server());
            List<String> flags = isServer ? serverFlags() : agentFlags(node);
            List<String> copied = List.of(String.join(", ", nodeImages()) + " -> " + IMAGES_DIR + " (each from an archive in"
                    + " k3s-images/airgap/ holding it, else `docker save`d from the local engine; single-platform copies of OCI archives)");
            result.add(new ContainerPlan(node.name(), isServer ? "k3s server" : "k3s agent", scenario.cluster().k3sImage(),
                    node.ip() + node.ipv6().map(ip -> " + " + ip).orElse(""), List.of("/bin/sh", "-c"),
                    List.of(MOUNT_SCRIPT + " && exec /bin/k3s " + String.join(" ", flags)),
                    List.of(new ContainerPlan.Mount("tmpfs", "", "/run", ""),
                            new ContainerPlan.Mount("entrypoint", "symlink", "/var/run -> /run", ""),
                            new ContainerPlan.Mount("entrypoint", "bpffs", "/sys/fs/bpf", "shared"),
                            new ContainerPlan.Mount("entrypoint", "cgroup2 (the node's own cgroup)", "/run/cilium/cgroupv2", "shared"),
                            new ContainerPlan.Mount("entrypoint", "", "/", "rshared")),
                    List.of("ALL (privileged)"), true, "private",
                    Map.of("K3S_TOKEN", TOKEN_PLACEHOLDER), copied,
                    isServer ? "Kubernetes API /readyz answers inside the server (k3s kubectl get --raw=/readyz), at most "
                            + API_READY.toSeconds() + " s; not flannel's log line, since flannel is off"
                            : "container running; the node registers with the server (checked with the nodes)"));
        }
        List<String> extScript = new ArrayList<>();
        scenario.destinations(Family.IPV4).forEach(d -> extScript.add("ip addr add " + d.ipv4() + "/32 dev lo"));
        scenario.destinations(Family.IPV6).forEach(d -> extScript.add("ip -6 addr add " + d.ip() + "/128 dev lo"));
        extScript.add("ip route add <each node's pod CIDR, once allocated> via <that node's IP>");
        if (dualStack()) {
            extScript.add("ip -6 route add <each node's IPv6 pod CIDR, once allocated> via <that node's IPv6>");
        }
        result.add(new ContainerPlan("external", "external host (echo servers, tcpdump)", probeImage,
                scenario.cluster().externalHost() + scenario.cluster().externalHostV6().map(ip -> " + " + ip).orElse(""),
                List.of(), List.of("sleep", "7200"), List.of(),
                io.masqharness.cluster.docker.ProbeHostContainer.CAPABILITIES.stream().map(Enum::name).toList(), false, "private",
                Map.of(), extScript, "echo servers and tcpdump ready, at most 60 s"));
        return result;
    }

    /** Values the harness adds so Cilium runs on K3s in Docker; the scenario's own values take precedence. */
    public Map<String, Object> platformValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("k8sServiceHost", server().ip().toString());
        v.put("k8sServicePort", 6443);
        v.put("ipam.mode", "kubernetes");
        v.put("operator.replicas", 1);
        v.put("cgroup.autoMount.enabled", false);
        v.put("cgroup.hostRoot", "/run/cilium/cgroupv2");
        v.put("image.useDigest", false);
        v.put("operator.image.useDigest", false);
        v.put("image.pullPolicy", "IfNotPresent");
        return v;
    }

    /** What {@code helm install} sets: platform values, then the scenario's base values. */
    public Map<String, Object> installValues() {
        Map<String, Object> v = new LinkedHashMap<>(platformValues());
        v.putAll(scenario.cilium().values());
        return v;
    }

    /** The values in force in a mode, as {@code --reuse-values} plus the mode's values leave them. */
    public Map<String, Object> valuesInMode(ModeSpec mode) {
        Map<String, Object> v = new LinkedHashMap<>(installValues());
        v.putAll(mode.values());
        return v;
    }

    /** Whether the chart renders the ip-masq-agent ConfigMap itself in this mode (then the harness never writes it). */
    public boolean chartManagesIpMasqAgentConfig(ModeSpec mode) {
        return valuesInMode(mode).keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config"));
    }

    /** What the node network must not overlap: addresses the run routes elsewhere (pods, services, destinations). */
    public List<Cidr> avoidedByNodeNetwork() {
        List<Cidr> avoid = new ArrayList<>(List.of(scenario.cluster().podCidr(), Cidr.parse(SERVICE_CIDR)));
        scenario.destinations(Family.IPV4).forEach(d -> avoid.add(new Cidr(d.ipv4(), 32)));
        return avoid;
    }

    /** The routes that keep probe traffic on this machine: every destination goes to the external host. */
    public List<String> nodeRoutes() {
        List<String> routes = new ArrayList<>(scenario.destinations(Family.IPV4).stream()
                .map(d -> "ip route replace " + d.ipv4() + "/32 via " + scenario.cluster().externalHost()).toList());
        scenario.cluster().externalHostV6().ifPresent(via -> scenario.destinations(Family.IPV6)
                .forEach(d -> routes.add("ip -6 route replace " + d.ip() + "/128 via " + via)));
        return routes;
    }
}
