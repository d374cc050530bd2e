package io.masqharness.cluster.lab;

import static org.awaitility.Awaitility.await;

import io.masqharness.cilium.IptablesSave;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.cluster.docker.FreeSubnetNetwork;
import io.masqharness.cluster.docker.ProbeHostContainer;
import io.masqharness.cluster.docker.Reaper;
import io.masqharness.cluster.docker.RunLabels;
import io.masqharness.cluster.docker.Teardown;
import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.scenario.DestinationSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.NodeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioUpgrade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;

/**
 * The lab backend: nodes are containers, pods are network namespaces inside them, and the
 * masquerading is the {@link LabRules} reference datapath, not Cilium.
 *
 * <p>Docker's internal networks drop frames whose addresses lie outside the network's subnet, so
 * the scenario's node network runs on a VXLAN fabric between the containers (the device is named
 * eth0 inside, as on a node); the Docker network only carries the fabric. It is internal: nothing
 * reaches beyond this machine.
 *
 * <p>On a dual-stack scenario ({@link LabIpv6}) the same fabric, bridges and pods also carry IPv6
 * unique local addresses, the ip6tables rules of {@link LabRules6} masquerade IPv6 as Cilium 1.13's
 * iptables mode does, and no IPv6 default route exists anywhere. The Docker network stays IPv4-only.
 */
public final class LabCluster implements Cluster {

    public static final String DATAPATH = "lab reference datapath (not Cilium)";
    static final Duration LIFETIME = Duration.ofHours(2);
    static final Duration STEP = Duration.ofSeconds(60);
    static final Duration READY = Duration.ofSeconds(60);
    /** How long loaded rules may take to read back as the mode's (they are in force at once; this bounds a fault). */
    static final Duration CONVERGE = Duration.ofSeconds(10);
    static final int PODS_PER_NODE = 2;
    /** The node's pod bridge: the lab's cilium_host, where the pods' node-side veths (its lxc*) are ports. */
    static final String BRIDGE = "lab0";
    /** The external host's RR responders answer this many microseconds late (absent: on time); re-read every 50 ms. */
    static final String ANSWER_DELAY_FILE = "/tmp/rr-delay-us";
    static final Duration ANSWER_DELAY_SETTLE = Duration.ofMillis(200);
    /** A namespace's default TCP congestion control. */
    static final String CONGESTION_CONTROL = "net.ipv4.tcp_congestion_control";
    /** What a namespace other than the host's may choose as its default ({@link LabTuning#nodeDefault}). */
    static final String ALLOWED_CONGESTION_CONTROL = "net.ipv4.tcp_allowed_congestion_control";


    /** The scenario the lab runs: after {@link #upgradeCilium}, the one at the target release. */
    private Scenario scenario;
    private final Consumer<String> progress;
    private final Optional<LabIpv6> ipv6;
    private final String runId = "masq-lab-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ProbeHostContainer> nodes = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();
    private ProbeHostContainer external;
    private Network network;
    private Thread shutdownHook;
    /** The MTU of the node network (the nodes' eth0): the largest any mode asks for, else {@link LabTuning#DEFAULT_MTU}. */
    private int fabricMtu = LabTuning.DEFAULT_MTU;
    /** The lab nodes' default congestion control ({@link LabTuning#nodeDefault}), chosen at start; pods without BBR have it. */
    private String nodeCongestionControl;

    private LabCluster(Scenario scenario, Consumer<String> progress, Optional<LabIpv6> ipv6) {
        this.scenario = scenario;
        this.progress = progress;
        this.ipv6 = ipv6;
    }

    /** Starts the lab for a scenario, or cleans up everything it started and throws. */
    public static LabCluster start(Scenario scenario, String image, Consumer<String> progress) {
        Optional<LabIpv6> ipv6;
        try {
            ipv6 = LabIpv6.of(scenario);
        } catch (IllegalArgumentException e) {
            throw new ClusterException("start lab", scenario.name(), e.getMessage());
        }
        return start(scenario, image, progress, ipv6);
    }

    /** Starts the lab, dual-stack when {@code ipv6} is given, or cleans up everything it started and throws. */
    public static LabCluster start(Scenario scenario, String image, Consumer<String> progress, Optional<LabIpv6> ipv6) {
        ipv6.ifPresent(v6 -> {
            if (v6.nodeIps().size() != scenario.cluster().nodes().size()) {
                throw new ClusterException("start lab", scenario.name(), v6.nodeIps().size() + " node IPv6 addresses for "
                        + scenario.cluster().nodes().size() + " nodes");
            }
        });
        LabCluster lab = new LabCluster(scenario, progress, ipv6);
        try {
            lab.boot(image);
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void boot(String image) {
        long start = System.nanoTime();
        HelmValues base = HelmValues.of(scenario.cilium().values());
        String tunnel = base.string("tunnel", "vxlan");
        boolean nativeRouting = base.string("routingMode", "").equals("native") || tunnel.equals("disabled") && base.get("routingMode").isEmpty();
        if (!nativeRouting || scenario.modes().stream().anyMatch(m -> m.values().containsKey("tunnel") || m.values().containsKey("routingMode"))) {
            throw new ClusterException("start lab", scenario.name(), "the lab implements native routing only:"
                    + " set cilium.values.tunnel: disabled (1.13, 1.14) or routingMode: native (1.14 on) (found tunnel: " + tunnel
                    + base.get("routingMode").map(r -> ", routingMode: " + r).orElse("") + ")");
        }
        try {
            List<HelmValues> all = new ArrayList<>(List.of(base));
            scenario.modes().forEach(m -> all.add(ScenarioFacts.helmValues(scenario, m)));
            ScenarioUpgrade.of(scenario).ifPresent(u -> u.after().modes().forEach(m -> all.add(ScenarioFacts.helmValues(u.after(), m))));
            fabricMtu = LabTuning.fabricMtu(all);
        } catch (IllegalArgumentException e) {
            throw new ClusterException("start lab", scenario.name(), e.getMessage());
        }
        int reaped = Reaper.reapOrphans(DockerClientFactory.instance().client(), progress);
        if (reaped > 0) {
            progress.accept("removed " + reaped + " leftovers of killed runs");
        }
        Map<String, String> labels = RunLabels.of(runId);
        network = createUnderlay(labels);
        shutdownHook = new Thread(this::close, runId + "-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        external = new ProbeHostContainer(image, "external", scenario.cluster().externalHost(), network, labels, LIFETIME);
        ipv6.ifPresent(v6 -> external.withIpv6(v6.external()));
        for (int i = 0; i < scenario.cluster().nodes().size(); i++) {
            NodeSpec n = scenario.cluster().nodes().get(i);
            ProbeHostContainer node = new ProbeHostContainer(image, n.name(), n.ip(), network, labels, LIFETIME);
            int index = i;
            ipv6.ifPresent(v6 -> node.withIpv6(v6.nodeIps().get(index)));
            nodes.add(node);
        }
        progress.accept("starting " + (nodes.size() + 1) + " lab containers on internal network " + network.getId().substring(0, 12));
        Startables.deepStart(Stream.concat(Stream.of(external), nodes.stream())).join();

        List<ProbeHostContainer> all = Stream.concat(Stream.of(external), nodes.stream()).toList();
        for (ProbeHostContainer c : all) {
            c.sh(STEP, fabricScript(c, all));
        }
        for (int i = 0; i < nodes.size(); i++) {
            setUpNode(i, nodes.get(i), scenario.cluster().nodes().get(i));
        }
        external.sh(STEP, externalScript());
        nodeCongestionControl = LabTuning.nodeDefault(nodes.get(0).run(STEP, "sysctl", "-n", ALLOWED_CONGESTION_CONTROL).stdout());
        for (ProbeHostContainer node : nodes) {
            node.sh(STEP, LabRules.nodeCongestionControlScript(nodeCongestionControl, namespaces()));
        }
        startServers();
        awaitFabric();
        progress.accept(String.format("lab up in %.1f s: %d nodes, %d pods, external host %s%s, node network MTU %d, nodes' and pods'"
                        + " congestion control %s (%s)", (System.nanoTime() - start) / 1e9, nodes.size(), pods.size(), external.ip(),
                ipv6.map(v6 -> " and " + v6.external() + ", dual-stack").orElse(""), fabricMtu, nodeCongestionControl, DATAPATH));
    }

    /** An internal Docker network on a /24 that collides with none of the scenario's addresses. */
    private Network createUnderlay(Map<String, String> labels) {
        List<Cidr> avoid = new ArrayList<>(List.of(scenario.cluster().subnet(), scenario.cluster().podCidr()));
        scenario.destinations(Family.IPV4).forEach(d -> avoid.add(new Cidr(d.ipv4(), 32)));
        Cidr pool = Cidr.parse("10.255.0.0/16");
        List<Cidr> candidates = FreeSubnetNetwork.candidates(pool.subnet(24, (int) (ProcessHandle.current().pid() % 256)), pool);
        // A jumbo MTU is real end to end only if the Docker network carries it with the VXLAN header on top; without
        // one the network is created exactly as it always was (Docker's default MTU).
        Map<String, String> options = fabricMtu > LabTuning.DEFAULT_MTU
                ? Map.of(FreeSubnetNetwork.MTU_OPTION, Integer.toString(fabricMtu + LabTuning.VXLAN_OVERHEAD)) : Map.of();
        return FreeSubnetNetwork.create(runId, labels, true, candidates, avoid, options).network();
    }

    private String fabricScript(ProbeHostContainer c, List<ProbeHostContainer> all) {
        StringBuilder s = new StringBuilder();
        s.append("ip link set eth0 down\nip link set eth0 name underlay0\nip link set underlay0 up\n");
        s.append("ip link add eth0 type vxlan id 4242 dstport 4789 dev underlay0\n");
        for (ProbeHostContainer peer : all) {
            if (peer != c) {
                s.append("bridge fdb append 00:00:00:00:00:00 dev eth0 dst ").append(peer.underlayIp()).append('\n');
            }
        }
        s.append("ip link set eth0 mtu ").append(fabricMtu).append(" up\n");
        s.append("ip addr add ").append(c.ip()).append('/').append(scenario.cluster().subnet().prefixLength()).append(" dev eth0\n");
        // No duplicate address detection: the address is usable at once, and the echo servers bind to it.
        c.ipv6().ifPresent(v6 -> s.append("ip -6 addr add ").append(v6).append('/').append(ipv6.orElseThrow().subnet().prefixLength())
                .append(" dev eth0 nodad\n"));
        return s.toString();
    }

    private void setUpNode(int index, ProbeHostContainer node, NodeSpec spec) {
        StringBuilder s = new StringBuilder(LabRules.setup(scenario.cluster().nodes().stream().map(n -> n.ip().toString()).toList()));
        ipv6.ifPresent(v6 -> s.append(LabRules6.setup(v6.nodeIps())));
        Cidr podCidr = spec.podCidr();
        Ipv4 gateway = podCidr.address(1);
        s.append("ip link add lab0 type bridge\nip addr add ").append(gateway).append('/').append(podCidr.prefixLength())
                .append(" dev lab0\nip link set lab0 mtu ").append(LabTuning.DEFAULT_MTU).append(" up\n");
        ipv6.ifPresent(v6 -> s.append("ip -6 addr add ").append(v6.gateway(index)).append('/')
                .append(v6.nodePodCidrs().get(index).prefixLength()).append(" dev lab0 nodad\n"));
        for (int i = 0; i < PODS_PER_NODE; i++) {
            String ns = "pod-" + (char) ('a' + i);
            Ipv4 ip = ScenarioFacts.probePodAddress(spec, i);
            s.append("ip netns add ").append(ns).append('\n')
                    .append("ip link add vp-").append(ns).append(" mtu ").append(LabTuning.DEFAULT_MTU).append(" type veth peer name eth0 netns ").append(ns).append('\n')
                    .append("ip link set vp-").append(ns).append(" master lab0 up\n")
                    .append("ip netns exec ").append(ns).append(" ip addr add ").append(ip).append('/').append(podCidr.prefixLength()).append(" dev eth0\n")
                    .append("ip netns exec ").append(ns).append(" ip link set eth0 up\n")
                    .append("ip netns exec ").append(ns).append(" ip link set lo up\n")
                    .append("ip netns exec ").append(ns).append(" ip route add default via ").append(gateway).append('\n');
            int pod = i;
            Optional<Ipv6> ip6 = ipv6.map(v6 -> v6.podAddress(index, pod));
            ip6.ifPresent(v6 -> s.append(podIpv6Script(ns, index, v6)));
            pods.add(new Pod(spec.name() + "-" + ns, spec.name(), ip, new NamespaceHost(node, ns, spec.name() + "-" + ns, ip, ip6), ip6));
        }
        for (NodeSpec other : scenario.cluster().nodes()) {
            if (!other.equals(spec)) {
                s.append("ip route add ").append(other.podCidr()).append(" via ").append(other.ip()).append('\n');
            }
        }
        for (DestinationSpec d : scenario.destinations(Family.IPV4)) {
            s.append("ip route add ").append(d.ipv4()).append("/32 via ").append(external.ip()).append('\n');
        }
        ipv6.ifPresent(v6 -> {
            for (int n = 0; n < v6.nodeIps().size(); n++) {
                if (n != index) {
                    s.append("ip -6 route add ").append(v6.nodePodCidrs().get(n)).append(" via ").append(v6.nodeIps().get(n)).append('\n');
                }
            }
            v6.destinations().forEach(d -> s.append("ip -6 route add ").append(d).append("/128 via ").append(v6.external()).append('\n'));
        });
        node.sh(STEP, s.toString());
    }

    /** A pod's IPv6: its address, and routes to exactly what it may reach (never a default route). */
    private String podIpv6Script(String ns, int node, Ipv6 address) {
        LabIpv6 v6 = ipv6.orElseThrow();
        String in = "ip netns exec " + ns + " ";
        StringBuilder s = new StringBuilder(in + "ip -6 addr add " + address + "/" + v6.nodePodCidrs().get(node).prefixLength()
                + " dev eth0 nodad\n");
        List<String> reachable = new ArrayList<>(List.of(v6.subnet().toString()));
        for (int n = 0; n < v6.nodePodCidrs().size(); n++) {
            if (n != node) {
                reachable.add(v6.nodePodCidrs().get(n).toString());
            }
        }
        v6.destinations().forEach(d -> reachable.add(d + "/128"));
        reachable.forEach(r -> s.append(in).append("ip -6 route add ").append(r).append(" via ").append(v6.gateway(node)).append('\n'));
        return s.toString();
    }

    private String externalScript() {
        StringBuilder s = new StringBuilder();
        for (DestinationSpec d : scenario.destinations(Family.IPV4)) {
            s.append("ip addr add ").append(d.ipv4()).append("/32 dev lo\n");
        }
        for (NodeSpec n : scenario.cluster().nodes()) {
            s.append("ip route add ").append(n.podCidr()).append(" via ").append(n.ip()).append('\n');
        }
        ipv6.ifPresent(v6 -> {
            v6.destinations().forEach(d -> s.append("ip -6 addr add ").append(d).append("/128 dev lo\n"));
            for (int n = 0; n < v6.nodeIps().size(); n++) {
                s.append("ip -6 route add ").append(v6.nodePodCidrs().get(n)).append(" via ").append(v6.nodeIps().get(n)).append('\n');
            }
        });
        return s.toString();
    }

    /** Echo servers everywhere a flow can end, and ICMP captures where flows arrive. */
    private void startServers() {
        String serve = ProbeHostContainer.serveCommand(LIFETIME);
        for (ProbeHostContainer c : Stream.concat(Stream.of(external), nodes.stream()).toList()) {
            c.background(c == external ? serve + " --rr-delay-file " + ANSWER_DELAY_FILE : serve, "/tmp/serve.log", LIFETIME);
            c.background(ipv6.isPresent() ? ProbeHostContainer.ICMP_CAPTURE_DUAL_STACK : ProbeHostContainer.ICMP_CAPTURE,
                    "/tmp/icmp.log", LIFETIME);
        }
        for (Pod p : pods) {
            NamespaceHost h = (NamespaceHost) p.host();
            h.node().background("ip netns exec " + h.namespace() + " " + serve, "/tmp/serve-" + h.namespace() + ".log", LIFETIME);
        }
        AtomicReference<List<String>> pending = new AtomicReference<>(List.of("(not yet read)"));
        try {
            await().alias("echo servers and ICMP captures ready on every lab host").atMost(READY)
                    .pollInterval(Duration.ofMillis(300)).until(() -> {
                        List<String> missing = notReady();
                        pending.set(missing);
                        return missing.isEmpty();
                    });
        } catch (ConditionTimeoutException e) {
            throw new ClusterException("wait for probe servers", runId, "not ready after " + READY.toSeconds() + " s: "
                    + pending.get() + "\n" + diagnostics());
        }
    }

    private List<String> notReady() {
        List<String> missing = new ArrayList<>();
        for (ProbeHostContainer c : Stream.concat(Stream.of(external), nodes.stream()).toList()) {
            ExecResult r = c.exec(Duration.ofSeconds(10), "sh", "-c", "cat /tmp/serve*.log; cat /tmp/icmp.log.err");
            long serving = r.stdout().lines().filter(l -> l.contains("\"serving\":true")).count();
            long expected = c == external ? 1 : 1 + PODS_PER_NODE;
            if (serving < expected) {
                missing.add(c.name() + ": " + serving + "/" + expected + " echo servers");
            }
            if (!r.stdout().contains("listening on eth0")) {
                missing.add(c.name() + ": tcpdump");
            }
        }
        return missing;
    }

    /** Every node reaches the external host over the fabric before anything is judged. */
    private void awaitFabric() {
        for (ProbeHostContainer n : nodes) {
            ExecResult r = null;
            for (int i = 0; i < 10 && (r == null || !r.ok()); i++) {
                r = n.exec(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", external.ip().toString());
            }
            if (!r.ok()) {
                throw new ClusterException("reach the external host over the fabric", n.name(), r + "\n" + diagnostics());
            }
            if (ipv6.isPresent()) {
                String v6 = ipv6.get().external().toString();
                r = null;
                for (int i = 0; i < 10 && (r == null || !r.ok()); i++) {
                    r = n.exec(Duration.ofSeconds(5), "ping", "-6", "-c", "1", "-W", "1", v6);
                }
                if (!r.ok()) {
                    throw new ClusterException("reach the external host over the fabric on IPv6", n.name(), r + "\n" + diagnostics());
                }
            }
        }
    }

    /** The run's id: the value of every container's and the network's {@code io.masqharness.run} label. */
    public String runId() {
        return runId;
    }

    /** The scenario the lab was started for. */
    public Scenario scenario() {
        return scenario;
    }

    /** The scenario's nodes, with the IPv6 address and pod CIDR each has here on a dual-stack lab. */
    @Override
    public ClusterFacts clusterFacts() {
        ClusterFacts facts = ScenarioFacts.clusterFacts(scenario);
        if (ipv6.isEmpty()) {
            return facts;
        }
        List<ClusterFacts.Node> dual = new ArrayList<>();
        for (int i = 0; i < facts.nodes().size(); i++) {
            ClusterFacts.Node n = facts.nodes().get(i);
            dual.add(new ClusterFacts.Node(n.name(), n.ip(), n.podCidr(), n.device(), Optional.of(ipv6.get().nodeIps().get(i)),
                    Optional.of(ipv6.get().nodePodCidrs().get(i))));
        }
        return new ClusterFacts(dual);
    }

    @Override
    public String datapath() {
        return DATAPATH;
    }

    @Override
    public boolean runsCilium() {
        return false;
    }

    @Override
    public List<Host> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public List<Pod> pods() {
        return List.copyOf(pods);
    }

    @Override
    public Host externalHost() {
        return external;
    }

    /**
     * Loads each node's rules for the mode, then waits, bounded by {@link #CONVERGE}, until every
     * node's rules read back as the mode's: the same evidence {@link #verifyMode} reports.
     */
    @Override
    public void applyMode(ModeSpec mode) {
        HelmValues values = ScenarioFacts.helmValues(scenario, mode);
        AgentConfig expected = ScenarioFacts.agentConfig(scenario, mode);
        for (int i = 0; i < nodes.size(); i++) {
            String rules = LabRules.forMode(values, scenario.cluster().nodes().get(i).podCidr(),
                    ScenarioFacts.ipMasqAgentFile(scenario, mode));
            // Flushing conntrack makes every probe flow a new connection that meets the new rules.
            int index = i;
            String rules6 = ipv6.map(v6 -> "cat > /tmp/mode6.rules <<'RULES'\n" + LabRules6.forMode(values, ciliumMinor(),
                    v6.nodePodCidrs().get(index), v6.nodeIps().get(index), "lab0", ScenarioFacts.ipMasqAgentFile(scenario, mode))
                    + "RULES\nip6tables-restore --noflush < /tmp/mode6.rules\n"
                    + "conntrack -F -f ipv6 2>/dev/null || true\n").orElse("");
            nodes.get(i).sh(STEP, "cat > /tmp/mode.rules <<'RULES'\n" + rules + "RULES\n"
                    + "iptables-restore --noflush < /tmp/mode.rules\nconntrack -F 2>/dev/null || true\n" + rules6
                    + LabRules.tuningScript(LabTuning.of(values), BRIDGE, namespaces(), nodeCongestionControl));
        }
        // The last complete reading: a poll cut short by the timeout must not leave it half-filled.
        AtomicReference<List<ModeCheck>> lastPending = new AtomicReference<>(List.of());
        try {
            await().alias("the rules of mode " + mode.name() + " in force on every lab node").atMost(CONVERGE)
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        List<ModeCheck> failing = new ArrayList<>();
                        for (int i = 0; i < nodes.size(); i++) {
                            ruleChecks(i, expected, values).stream().filter(c -> c.status() == ModeCheck.Status.FAILED).forEach(failing::add);
                            tuningChecks(i, values).stream().filter(c -> c.status() == ModeCheck.Status.FAILED).forEach(failing::add);
                        }
                        lastPending.set(failing);
                        return failing.isEmpty();
                    });
        } catch (ConditionTimeoutException e) {
            List<ModeCheck> pending = lastPending.get();
            throw new ClusterException("switch to mode " + mode.name(), pending.stream().map(ModeCheck::node).distinct()
                    .reduce((a, b) -> a + ", " + b).orElse(runId), "the rules did not converge within " + CONVERGE.toSeconds()
                    + " s; last seen: " + pending.stream().map(c -> c.node() + ": " + c.message()).toList());
        }
        LabTuning tuning = LabTuning.of(values);
        progress.accept("lab switched to mode " + mode.name() + " (" + LabRules.kind(values).name().toLowerCase() + " rules"
                + (tuning.noConntrack() ? ", pod traffic untracked (NOTRACK)" : "") + ", pods' MTU " + tuning.podMtu()
                + ", congestion control " + tuning.congestionControl(nodeCongestionControl)
                + ipv6.map(v6 -> switch (LabRules6.kind(values, ciliumMinor())) {
                    case IPTABLES -> ", IPv6 masqueraded by ip6tables";
                    case BPF -> ", IPv6 masqueraded with BPF semantics (Cilium " + scenario.cilium().version() + ")";
                    case NONE -> ", IPv6 not masqueraded";
                }).orElse("")
                + ")");
    }

    /** The minor release of the Cilium whose semantics the lab's rules follow where releases differ (IPv6 BPF masquerading). */
    private int ciliumMinor() {
        return ScenarioFacts.version(scenario).minor();
    }

    /**
     * The lab's "helm upgrade --version": from now on its rules follow the target release (the modes of {@code upgrade.after()},
     * values rewritten in that release's spelling); nothing else of the lab changes. The next {@link #applyMode} installs them.
     */
    @Override
    public void upgradeCilium(ScenarioUpgrade upgrade) {
        scenario = upgrade.after();
        progress.accept("lab upgraded from Cilium " + upgrade.from().text() + " to " + upgrade.to().text() + " semantics"
                + (upgrade.changes().isEmpty() ? "" : "; values rewritten: " + upgrade.changes()));
    }

    /**
     * A known slowdown on the lab path, for tests that a latency gate can fail: the external host's
     * RR and CRR answers leave {@code delay} late from now on ({@link Duration#ZERO}: on time again).
     */
    public void delayAnswers(Duration delay) {
        delayAnswers(delay, "");
    }

    /**
     * As {@link #delayAnswers(Duration)}, to peers inside the IPv4 prefix {@code peers} only: the pod CIDR makes it a
     * slowdown of the pod path alone, in modes where pod traffic to the destination keeps the pod's address.
     */
    public void delayAnswersTo(Cidr peers, Duration delay) {
        delayAnswers(delay, " " + peers);
    }

    private void delayAnswers(Duration delay, String peers) {
        external.sh(STEP, "echo '" + delay.toNanos() / 1000 + peers + "' > " + ANSWER_DELAY_FILE);
        try {
            Thread.sleep(ANSWER_DELAY_SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("delay the external host's answers", external.name(), e);
        }
    }

    @Override
    public Duration modeSwitchBound() {
        return STEP.multipliedBy(nodes.size()).plus(CONVERGE);
    }

    /** The lab nodes' default TCP congestion control, for their own sockets and pods without BBR ({@link LabTuning#nodeDefault}). */
    public String nodeCongestionControl() {
        return nodeCongestionControl;
    }

    /** Per node; a node that cannot be read (its container died) gets a failed check naming why, the others still report. */
    @Override
    public List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected) {
        List<ModeCheck> checks = new ArrayList<>();
        HelmValues values = ScenarioFacts.helmValues(scenario, mode);
        for (int i = 0; i < nodes.size(); i++) {
            ProbeHostContainer node = nodes.get(i);
            try {
                checks.addAll(ruleChecks(i, expected, values));
            } catch (RuntimeException e) {
                checks.add(ModeCheck.failed(node.name(), "read the node's rules", e.getMessage(), containerState(node)));
            }
            try {
                checks.addAll(tuningChecks(i, values));
            } catch (RuntimeException e) {
                checks.add(ModeCheck.failed(node.name(), "read the pods' MTU and congestion control", e.getMessage(), containerState(node)));
            }
            checks.addAll(LabModeChecks.unmodelled(node.name(), values));
            String why = "only a Cilium agent can answer; this is the " + DATAPATH;
            checks.add(ModeCheck.notApplicable(node.name(), "cilium status Masquerading line", why));
            if (expected.mode() == MasqueradeMode.BPF) {
                checks.add(ModeCheck.notApplicable(node.name(), "cilium bpf nat list XLATE_SRC entry", why));
            }
            if (expected.ipMasqAgent()) {
                checks.add(ModeCheck.notApplicable(node.name(), "cilium bpf ipmasq list", why));
            }
        }
        return checks;
    }

    private List<ModeCheck> ruleChecks(int index, AgentConfig expected, HelmValues values) {
        ProbeHostContainer node = nodes.get(index);
        NodeSpec spec = scenario.cluster().nodes().get(index);
        String nat = node.run(STEP, "iptables-save", "-t", "nat").stdout();
        String mangle = node.run(STEP, "iptables-save", "-t", "mangle").stdout();
        String raw = node.run(STEP, "iptables-save", "-t", "raw").stdout();
        List<ModeCheck> checks = new ArrayList<>(List.of(LabModeChecks.natRules(node.name(), expected, spec.podCidr(), IptablesSave.parse(nat), nat),
                LabModeChecks.bpfEmulation(node.name(), expected, IptablesSave.parse(mangle), mangle),
                LabModeChecks.noTrack(node.name(), LabTuning.of(values).noConntrack(), expected.nativeRoutingCidr(),
                        IptablesSave.parse(raw), raw)));
        if (ipv6.isPresent()) {
            Cidr6 pods6 = ipv6.get().nodePodCidrs().get(index);
            String nat6 = node.run(STEP, "ip6tables-save", "-t", "nat").stdout();
            String mangle6 = node.run(STEP, "ip6tables-save", "-t", "mangle").stdout();
            checks.add(LabModeChecks.natRules6(node.name(), masqueradesIpv6(expected), pods6, expected.exclusionCidrV6(pods6),
                    IptablesSave.parse(nat6), nat6));
            checks.add(LabModeChecks.bpfEmulation6(node.name(), expected, IptablesSave.parse(mangle6), mangle6));
        }
        return checks;
    }

    /** The node's pods' MTU (eth0, node-side veth, bridge) and congestion control, read back from the devices and namespaces. */
    private List<ModeCheck> tuningChecks(int index, HelmValues values) {
        ProbeHostContainer node = nodes.get(index);
        LabTuning tuning = LabTuning.of(values);
        StringBuilder links = new StringBuilder("echo \"[" + BRIDGE + "] $(ip -o link show dev " + BRIDGE + ")\"\n");
        StringBuilder cc = new StringBuilder();
        List<String> devices = new ArrayList<>(List.of(BRIDGE));
        for (String ns : namespaces()) {
            links.append("echo \"[vp-").append(ns).append("] $(ip -o link show dev vp-").append(ns).append(")\"\n")
                    .append("echo \"[").append(ns).append(" eth0] $(ip netns exec ").append(ns).append(" ip -o link show dev eth0)\"\n");
            cc.append("echo \"[").append(ns).append("] $(ip netns exec ").append(ns).append(" sysctl -n ").append(CONGESTION_CONTROL).append(")\"\n");
            devices.add("vp-" + ns);
            devices.add(ns + " eth0");
        }
        String linkEvidence = node.run(STEP, "sh", "-c", links.toString()).stdout();
        String ccEvidence = node.run(STEP, "sh", "-c", cc.toString()).stdout();
        return List.of(LabModeChecks.mtu(node.name(), tuning.podMtu(), devices, linkEvidence),
                LabModeChecks.congestionControl(node.name(), tuning, tuning.congestionControl(nodeCongestionControl), namespaces(), ccEvidence));
    }

    /** The pods' network namespaces on every node: pod-a, pod-b, ... */
    private static List<String> namespaces() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < PODS_PER_NODE; i++) {
            out.add("pod-" + (char) ('a' + i));
        }
        return out;
    }

    /**
     * ip6tables masquerades IPv6 when IPv6 masquerading is on and BPF masquerading is not asked for (config.go:2499-2503);
     * from 1.14 a BPF fallback leaves it to ip6tables too, and the lab (which does not emulate fallbacks) then differs.
     */
    private static boolean masqueradesIpv6(AgentConfig expected) {
        return expected.modeV6() == MasqueradeMode.IPTABLES;
    }

    /** What Docker says of a container: whether it runs, and how it ended if not. */
    private static String containerState(ProbeHostContainer c) {
        try {
            var state = DockerClientFactory.instance().client().inspectContainerCmd(c.getContainerId()).exec().getState();
            return "container " + c.getContainerName() + ": " + state.getStatus() + (Boolean.TRUE.equals(state.getRunning()) ? ""
                    : ", exit code " + state.getExitCodeLong() + ", finished " + state.getFinishedAt()
                    + (Boolean.TRUE.equals(state.getOOMKilled()) ? ", OOM-killed" : ""));
        } catch (RuntimeException e) {
            return "container " + c.getContainerName() + ": Docker cannot say (" + e.getMessage() + ")";
        }
    }

    @Override
    public String diagnostics() {
        StringBuilder out = new StringBuilder("# " + DATAPATH + ", run " + runId + "\n");
        for (ProbeHostContainer c : Stream.concat(Stream.of(external), nodes.stream()).toList()) {
            out.append("\n## ").append(c.name()).append(" (").append(c.ip()).append(")\n").append(containerState(c)).append('\n');
            try {
                ExecResult r = c.exec(Duration.ofSeconds(20), "sh", "-c",
                        "ip -br addr; ip route; iptables-save; ipset list 2>/dev/null; "
                        + (ipv6.isPresent() ? "ip -6 route; ip6tables-save; " : "") + "tail -n 20 /tmp/*.log /tmp/*.err 2>/dev/null");
                out.append(r.stdout()).append(r.stderr());
            } catch (RuntimeException e) {
                out.append("(nothing more: ").append(e.getMessage()).append(")\n");
            }
        }
        return out.toString();
    }

    @Override
    public String icmpCapture(Host receiver) {
        ProbeHostContainer c = receiver == external ? external : nodes.stream().filter(n -> n == receiver).findFirst()
                .orElseThrow(() -> new ClusterException("read ICMP capture", receiver.name(), "not a lab node or the external host"));
        return c.run(Duration.ofSeconds(20), "cat", "/tmp/icmp.log").stdout();
    }

    @Override
    public synchronized void close() {
        List<ProbeHostContainer> all = new ArrayList<>(nodes);
        if (external != null) {
            all.add(external);
        }
        Teardown.stop(all, network, shutdownHook, progress);
        nodes.clear();
        external = null;
        network = null;
    }
}
