package io.masqharness.cluster.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.CreateContainerCmd;
import io.masqharness.net.Cidr;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

class K3sPlanTest {

    static final Scenario TOGGLE = new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml"));

    /** D1: the pause image every pod's sandbox needs is among the images, and it is the one K3s is told to use. */
    @Test
    void theNodesNeedThePauseImageAndNothingTheHarnessDoesNotLoad() {
        K3sPlan plan = new K3sPlan(TOGGLE, "masq-harness-probe:abc");
        assertThat(plan.nodeImages()).containsExactly("rancher/mirrored-pause:3.6", "quay.io/cilium/cilium:v1.13.4",
                "quay.io/cilium/operator-generic:v1.13.4", "masq-harness-probe:abc");
        assertThat(plan.requiredImages()).first().isEqualTo("rancher/k3s:v1.26.6-k3s1");
        assertThat(plan.serverFlags()).contains("--pause-image=rancher/mirrored-pause:3.6",
                "--disable=traefik,servicelb,coredns,local-storage,metrics-server", "--disable-helm-controller");
        assertThat(plan.agentFlags(TOGGLE.cluster().nodes().get(1))).contains("--pause-image=rancher/mirrored-pause:3.6");
    }

    /** D2 and D3: a run's plan moves every address to the network it got, and the certificate names the host the kubeconfig uses. */
    @Test
    void aPlacedPlanMovesEveryAddressAndNamesTheDockerHost() {
        K3sPlan placed = new K3sPlan(TOGGLE, "p").placed(Cidr.parse("172.19.7.0/24"), "docker");
        assertThat(placed.scenario().cluster().nodes()).extracting(n -> n.ip().toString()).containsExactly("172.19.7.11", "172.19.7.12");
        assertThat(placed.scenario().cluster().externalHost()).hasToString("172.19.7.100");
        assertThat(placed.serverFlags()).contains("--tls-san=172.19.7.11", "--tls-san=docker", "--node-ip=172.19.7.11");
        assertThat(placed.agentFlags(placed.scenario().cluster().nodes().get(1))).contains("--server=https://172.19.7.11:6443",
                "--node-ip=172.19.7.12");
        assertThat(placed.platformValues()).containsEntry("k8sServiceHost", "172.19.7.11");
        assertThat(placed.nodeRoutes()).contains("ip route replace 198.20.0.10/32 via 172.19.7.100");
        assertThat(placed.scenario().cluster().podCidr()).isEqualTo(TOGGLE.cluster().podCidr());
    }

    /**
     * D4 and D5: the containers the run starts are the plan's: no host /sys/fs/cgroup, a private
     * cgroup namespace (the harness's modifier runs after K3sContainer's cgroupns=host), /run only.
     */
    /** Review 2, smaller note: the plan lists the capabilities the external host gets, SETGID (tcpdump) included. */
    @Test
    void thePlanListsTheExternalHostsCapabilitiesAsTheContainerGetsThem() {
        ContainerPlan external = new K3sPlan(TOGGLE, "p").containers().get(2);
        assertThat(external.name()).isEqualTo("external");
        assertThat(external.capabilities()).containsExactly("NET_ADMIN", "NET_RAW", "SYS_ADMIN", "SETGID");
    }

    @Test
    void theNodeContainersAreThePlansNotK3sContainersDefaults() {
        K3sPlan plan = new K3sPlan(TOGGLE, "p").placed(Cidr.parse("172.28.0.0/24"), "localhost");
        for (ContainerPlan c : plan.containers().subList(0, 2)) {
            GenericContainer<?> node = K3sNodeContainers.create(c, "masq-harness-test-" + c.name(), "t", List.of());
            assertThat(node.getBinds()).as("binds of %s", c.name()).isEmpty();
            assertThat(node.getTmpFsMapping()).containsOnlyKeys("/run");
            assertThat(node.isPrivilegedMode()).isTrue();
            CreateContainerCmd cmd = DockerClientFactory.lazyClient().createContainerCmd(c.image());
            node.getCreateContainerCmdModifiers().forEach(m -> m.modify(cmd));
            assertThat(cmd.getHostConfig().getCgroupnsMode()).as("cgroupns of %s", c.name()).isEqualTo("private");
            assertThat(cmd.getHostConfig().getInit()).as("N11: docker-init off, whatever daemon.json says (K3s must be PID 1)").isFalse();
            assertThat(cmd.getEntrypoint()).containsExactly("/bin/sh", "-c");
            assertThat(cmd.getName()).isEqualTo("masq-harness-test-" + c.name());
            assertThat(cmd.getIpv4Address()).isEqualTo(c.ip());
            assertThat(String.join(" ", node.getCommandParts())).startsWith(K3sPlan.MOUNT_SCRIPT + " && exec /bin/k3s ");
        }
    }

    /** A copy of masquerade-toggle.yaml whose kubeProxyReplacement is {@code value}. */
    static Scenario withKubeProxyReplacement(String version, Object value) {
        java.util.Map<String, Object> values = new java.util.LinkedHashMap<>(TOGGLE.cilium().values());
        values.put("kubeProxyReplacement", value);
        return new Scenario(TOGGLE.file(), TOGGLE.name(), TOGGLE.cluster(), new io.masqharness.scenario.CiliumSpec(version, values),
                TOGGLE.modes(), TOGGLE.destinations(), TOGGLE.probes(), TOGGLE.expect(), TOGGLE.latency());
    }

    @Test
    void kubeProxyIsLeftOutWhereCiliumReplacesItFullyInEitherSpelling() {
        assertThat(new K3sPlan(withKubeProxyReplacement("1.13.4", "strict"), "p").kubeProxyReplacement()).isTrue();
        // 1.14+ spells full replacement true (strict is read as true there): K3s must not run its own kube-proxy beside it.
        assertThat(new K3sPlan(withKubeProxyReplacement("1.15.8", "true"), "p").kubeProxyReplacement()).isTrue();
        assertThat(new K3sPlan(withKubeProxyReplacement("1.15.8", true), "p").kubeProxyReplacement()).isTrue();
        assertThat(new K3sPlan(withKubeProxyReplacement("1.15.8", "false"), "p").kubeProxyReplacement()).isFalse();
        assertThat(new K3sPlan(withKubeProxyReplacement("1.13.4", "partial"), "p").kubeProxyReplacement()).isFalse();
    }

    /** scenarios/tuning-series.yaml turns replacement on in its third mode: K3s starts without kube-proxy for it. */
    @Test
    void kubeProxyIsLeftOutWhenALaterModeReplacesIt() {
        Scenario later = withKubeProxyReplacement("1.13.4", "disabled");
        assertThat(new K3sPlan(later, "p").kubeProxyReplacement()).as("masquerade-toggle's modes leave it disabled").isFalse();
        java.util.List<io.masqharness.scenario.ModeSpec> modes = new java.util.ArrayList<>(later.modes());
        modes.add(new io.masqharness.scenario.ModeSpec("full-kpr", java.util.Map.of("kubeProxyReplacement", "strict"), java.util.Optional.empty()));
        Scenario withMode = new Scenario(later.file(), later.name(), later.cluster(), later.cilium(), modes, later.destinations(),
                later.probes(), later.expect(), later.latency());
        assertThat(new K3sPlan(withMode, "p").kubeProxyReplacement()).isTrue();
        assertThat(new K3sPlan(withMode, "p").serverFlags()).contains("--disable-kube-proxy");
    }

    /** cilium.upgradeTo on K3s: the nodes pull nothing, so the target's images go in with the others; its values are the target's spelling. */
    @Test
    void anUpgradeLoadsBothReleasesImagesAndUpgradesWithThePlatformsValuesAndTheRewrittenOnes() {
        Scenario upgrade = new ScenarioLoader().load(Path.of("scenarios/upgrade-1.13-to-1.15.yaml"));
        K3sPlan plan = new K3sPlan(upgrade, "probe:1").placed(Cidr.parse("172.31.9.0/24"), "docker-host");
        assertThat(plan.nodeImages()).contains("quay.io/cilium/cilium:v1.13.4", "quay.io/cilium/operator-generic:v1.13.4",
                "quay.io/cilium/cilium:v1.15.8", "quay.io/cilium/operator-generic:v1.15.8");
        K3sPlan after = plan.upgradedTo(io.masqharness.scenario.ScenarioUpgrade.of(upgrade).orElseThrow());
        assertThat(after.scenario().cilium().version()).isEqualTo("1.15.8");
        assertThat(after.scenario().cluster()).as("the same nodes and network").isEqualTo(plan.scenario().cluster());
        assertThat(after.installValues()).containsEntry("k8sServiceHost", "172.31.9.11").containsEntry("routingMode", "native")
                .containsEntry("kubeProxyReplacement", "true").doesNotContainKey("tunnel");
        assertThat(after.scenario().modes().get(0).name()).isEqualTo("iptables@1.15.8");
        assertThat(after.ciliumImages()).as("nothing to upgrade to after the upgrade")
                .containsExactly("quay.io/cilium/cilium:v1.15.8", "quay.io/cilium/operator-generic:v1.15.8");
        assertThat(new K3sPlan(TOGGLE, "probe:1").ciliumImages()).hasSize(2);
    }
}
