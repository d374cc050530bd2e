package io.masqharness.cluster.k3s;

import io.masqharness.oracle.HelmValues;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.NodeSpec;
import io.masqharness.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The K3s + Cilium cluster for a scenario: containers, Helm values per mode and the Kubernetes
 * operations with their bounds. Pure: built from the scenario, printed by {@code plan}, executed
 * by {@link K3sCluster}.
 */
public final class K3sPlan {

    public static final String CILIUM_NAMESPACE = "kube-system";
    public static final String CILIUM_RELEASE = "cilium";
    public static final String CILIUM_CHART = "cilium/cilium";
    public static final String CILIUM_REPO = "https://helm.cilium.io/";
    public static final String SERVICE_CIDR = "10.43.0.0/16";
    public static final String IMAGES_DIR = "/var/lib/rancher/k3s/agent/images/";
    public static final String TOKEN_PLACEHOLDER = "<generated per run, never printed>";

    public static final Duration API_READY = Duration.ofSeconds(180);
    public static final Duration HELM = Duration.ofMinutes(5);
    public static final Duration ROLLOUT = Duration.ofMinutes(5);
    public static final Duration NODES_READY = Duration.ofMinutes(5);
    public static final Duration PROBES_READY = Duration.ofMinutes(3);
    /** Kubelet's ConfigMap propagation takes about 60 s (docs); Cilium's e2e sleeps 90 s. */
    public static final Duration IPMASQ_PROPAGATION = Duration.ofMinutes(3);

    /** The shared mounts Cilium needs inside a Docker node (k3d's recipe: bpffs and cgroup v2, made shared). */
    static final String MOUNT_SCRIPT = "mount bpffs -t bpf /sys/fs/bpf && mount --make-shared /sys/fs/bpf"
            + " && mkdir -p /run/cilium/cgroupv2 && mount -t cgroup2 none /run/cilium/cgroupv2"
            + " && mount --make-shared /run/cilium/cgroupv2 && mount --make-rshared /";

    private final Scenario scenario;
    private final String probeImage;

    public K3sPlan(Scenario scenario, String probeImage) {
        this.scenario = scenario;
        this.probeImage = probeImage;
    }

    public Scenario scenario() {
        return scenario;
    }

    public boolean kubeProxyReplacement() {
        return HelmValues.of(scenario.cilium().values()).string("kubeProxyReplacement", "disabled").equals("strict");
    }

    public NodeSpec server() {
        return scenario.cluster().nodes().get(0);
    }

    /** The Cilium images K3s must find (pulled by Docker, or provided as tars in k3s-images/airgap/). */
    public List<String> ciliumImages() {
        String v = "v" + scenario.cilium().version();
        return List.of("quay.io/cilium/cilium:" + v, "quay.io/cilium/operator-generic:" + v);
    }

    public List<String> requiredImages() {
        List<String> images = new ArrayList<>(List.of(scenario.cluster().k3sImage()));
        images.addAll(ciliumImages());
        return images;
    }

    public List<String> serverFlags() {
        List<String> flags = new ArrayList<>(List.of("server", "--disable=traefik", "--disable=servicelb",
                "--tls-san=" + server().ip(), "--flannel-backend=none", "--disable-network-policy"));
        if (kubeProxyReplacement()) {
            flags.add("--disable-kube-proxy");
        }
        flags.addAll(List.of("--cluster-cidr=" + scenario.cluster().podCidr(), "--service-cidr=" + SERVICE_CIDR,
                "--node-ip=" + server().ip(), "--node-name=" + server().name()));
        return flags;
    }

    public List<String> agentFlags(NodeSpec node) {
        return List.of("agent", "--server=https://" + server().ip() + ":6443", "--node-ip=" + node.ip(), "--node-name=" + node.name());
    }

    public List<ContainerPlan> containers() {
        List<ContainerPlan> result = new ArrayList<>();
        for (NodeSpec node : scenario.cluster().nodes()) {
            boolean isServer = node.equals(server());
            List<String> flags = isServer ? serverFlags() : agentFlags(node);
            List<String> copied = new ArrayList<>();
            copied.add("docker save " + probeImage + " -> " + IMAGES_DIR + "masq-harness-probe.tar");
            ciliumImages().forEach(i -> copied.add("docker save " + i + " (or k3s-images/airgap/*.tar) -> " + IMAGES_DIR));
            result.add(new ContainerPlan(node.name(), isServer ? "k3s server" : "k3s agent", scenario.cluster().k3sImage(),
                    node.ip().toString(), List.of("/bin/sh", "-c"),
                    List.of(MOUNT_SCRIPT + " && exec /bin/k3s " + String.join(" ", flags)),
                    List.of(new ContainerPlan.Mount("bind", "/sys/fs/cgroup", "/sys/fs/cgroup", "rw"),
                            new ContainerPlan.Mount("tmpfs", "", "/run", ""),
                            new ContainerPlan.Mount("tmpfs", "", "/var/run", ""),
                            new ContainerPlan.Mount("entrypoint", "bpffs", "/sys/fs/bpf", "shared"),
                            new ContainerPlan.Mount("entrypoint", "cgroup2", "/run/cilium/cgroupv2", "shared"),
                            new ContainerPlan.Mount("entrypoint", "", "/", "rshared")),
                    List.of("ALL (privileged)"), true, "host",
                    Map.of("K3S_TOKEN", TOKEN_PLACEHOLDER), copied,
                    isServer ? "Kubernetes API /readyz answers inside the server (k3s kubectl get --raw=/readyz), at most "
                            + API_READY.toSeconds() + " s; not flannel's log line, since flannel is off"
                            : "container running; the node registers with the server (checked with the nodes)"));
        }
        List<String> extScript = new ArrayList<>();
        scenario.destinations().forEach(d -> extScript.add("ip addr add " + d.ip() + "/32 dev lo"));
        extScript.add("ip route add <each node's pod CIDR, once allocated> via <that node's IP>");
        result.add(new ContainerPlan("external", "external host (echo servers, tcpdump)", probeImage,
                scenario.cluster().externalHost().toString(), List.of(), List.of("sleep", "7200"), List.of(),
                List.of("NET_ADMIN", "NET_RAW", "SYS_ADMIN"), false, "private",
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

    /** The values in force in a mode, as {@code --reuse-values --set <mode values>} leaves them. */
    public Map<String, Object> valuesInMode(ModeSpec mode) {
        Map<String, Object> v = new LinkedHashMap<>(installValues());
        v.putAll(mode.values());
        return v;
    }

    /** The routes that keep probe traffic on this machine: every destination goes to the external host. */
    public List<String> nodeRoutes() {
        return scenario.destinations().stream().map(d -> "ip route replace " + d.ip() + "/32 via " + scenario.cluster().externalHost()).toList();
    }
}
