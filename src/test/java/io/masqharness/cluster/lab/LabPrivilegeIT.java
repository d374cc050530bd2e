package io.masqharness.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.docker.ProbeHostContainer;
import io.masqharness.conformance.Backends;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * Lab containers run with NET_ADMIN, NET_RAW, SYS_ADMIN and SETGID and nothing else: not privileged, every
 * other capability dropped, as Docker records it and as the kernel reports it inside. That these
 * suffice is what every lab suite shows by passing.
 */
class LabPrivilegeIT {

    /** Bit numbers from linux/capability.h. */
    static final List<Integer> EXPECTED_BITS = List.of(6, 12, 13, 21);

    @Test
    void labContainersKeepOnlyTheCapabilitiesTheDatapathNeeds() {
        Scenario scenario = new ScenarioLoader().load(Path.of("scenarios/lab.yaml"));
        Backends.unavailable(scenario, ClusterSpec.Backend.LAB).ifPresent(reason -> Assumptions.abort("lab cannot run here: " + reason));
        try (LabCluster lab = (LabCluster) Backends.start(scenario, ClusterSpec.Backend.LAB, line -> { })) {
            List<Host> hosts = new ArrayList<>(lab.nodes());
            hosts.add(lab.externalHost());
            for (Host h : hosts) {
                ProbeHostContainer c = (ProbeHostContainer) h;
                InspectContainerResponse inspect = DockerClientFactory.instance().client().inspectContainerCmd(c.getContainerId()).exec();
                assertThat(inspect.getHostConfig().getPrivileged()).as("%s privileged", h.name()).isFalse();
                assertThat(inspect.getHostConfig().getCapDrop()).as("%s drops", h.name()).containsExactly(Capability.ALL);
                assertThat(inspect.getHostConfig().getCapAdd()).as("%s adds", h.name())
                        .containsExactlyInAnyOrderElementsOf(ProbeHostContainer.CAPABILITIES);
                String status = h.run(Duration.ofSeconds(10), "cat", "/proc/1/status").stdout();
                assertThat(bits(status, "CapEff")).as("%s effective capabilities", h.name()).isEqualTo(Set.copyOf(EXPECTED_BITS));
                assertThat(bits(status, "CapBnd")).as("%s bounding set", h.name()).isEqualTo(Set.copyOf(EXPECTED_BITS));
            }
            // Each capability is used: a pod's namespace (SYS_ADMIN), the NAT rules (NET_ADMIN), ping and tcpdump (NET_RAW),
            // tcpdump's group reset (SETGID).
            Host node = lab.nodes().get(0);
            assertThat(node.run(Duration.ofSeconds(10), "ip", "netns", "list").stdout()).contains("pod-a");
            assertThat(node.run(Duration.ofSeconds(10), "iptables-save", "-t", "nat").stdout()).contains("CILIUM_POST_nat");
            assertThat(node.run(Duration.ofSeconds(10), "sh", "-c", "cat /tmp/icmp.log.err").stdout()).contains("listening on eth0");
            assertThat(node.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", lab.externalHost().ip().toString()).ok()).isTrue();
        }
    }

    static Set<Integer> bits(String procStatus, String field) {
        Matcher m = Pattern.compile("^" + field + ":\\s*([0-9a-f]+)$", Pattern.MULTILINE).matcher(procStatus);
        assertThat(m.find()).as("%s in /proc/1/status", field).isTrue();
        long mask = Long.parseUnsignedLong(m.group(1), 16);
        Set<Integer> set = new TreeSet<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((mask & (1L << bit)) != 0) {
                set.add(bit);
            }
        }
        return set;
    }
}
