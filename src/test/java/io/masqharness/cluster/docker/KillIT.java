package io.masqharness.cluster.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.masqharness.probe.ProbeImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * A harness process with a lab up, killed: with SIGKILL its labelled containers and network stay
 * behind and the next start removes them; with SIGINT its shutdown hook removes them at once.
 */
class KillIT {

    static final Duration UP = Duration.ofSeconds(180);
    private DockerClient docker;
    private Process child;

    @BeforeEach
    void docker() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not running");
        Assumptions.assumeTrue(ProbeImage.fromProject().unavailableReason().isEmpty(),
                () -> ProbeImage.fromProject().unavailableReason().orElse(""));
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("target/cilium-masq-harness.jar")), "run `mvn package` first");
        docker = DockerClientFactory.instance().client();
    }

    @AfterEach
    void noStragglers() {
        if (child != null) {
            child.destroyForcibly();
            Reaper.reapOrphans(docker, line -> { });
        }
    }

    /** Starts a harness process that brings a lab up and keeps it busy; returns once the lab is up. */
    private Process harnessWithLabUp() throws Exception {
        ProcessBuilder pb = ChildJvm.java("-jar", "target/cilium-masq-harness.jar", "benchmark", "--rounds", "100", "--seconds", "5");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<String> seen = new ArrayList<>();
        CompletableFuture<Boolean> up = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (seen) {
                        seen.add(line);
                    }
                    if (line.startsWith("lab up in")) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        }, ChildJvm.READERS);
        Boolean ok = up.get(UP.toSeconds(), TimeUnit.SECONDS);
        assertThat(ok).as("the harness brought a lab up; it printed: %s", seen).isTrue();
        // Keep draining output so the child never blocks on a full pipe.
        CompletableFuture.runAsync(() -> {
            try {
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (Exception ignored) {
                // The process ended.
            }
        }, ChildJvm.READERS);
        return p;
    }

    private long containersOf(long pid) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(RunLabels.PID + "=" + pid)).exec().size();
    }

    private long networksOf(long pid) {
        return docker.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && Long.toString(pid).equals(n.getLabels().get(RunLabels.PID))).count();
    }

    @Test
    void sigkillLeavesLabelledLeftoversThatTheNextStartRemoves() throws Exception {
        child = harnessWithLabUp();
        long pid = child.pid();
        assertThat(containersOf(pid)).as("lab containers while running").isEqualTo(3);
        assertThat(networksOf(pid)).isEqualTo(1);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(containersOf(pid)).as("SIGKILL runs no hook: the containers stay").isEqualTo(3);
        Reaper.reapOrphans(docker, line -> { });
        assertThat(containersOf(pid)).as("after the next start's reaping").isZero();
        assertThat(networksOf(pid)).isZero();
        child = null;
    }

    @Test
    void sigintCleansUpAtOnce() throws Exception {
        child = harnessWithLabUp();
        long pid = child.pid();
        assertThat(containersOf(pid)).isEqualTo(3);
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
        // Its shutdown hook stops and removes every container, then the network: seconds when the machine is idle, over a
        // minute seen on a 2-core machine with a PIT run beside it.
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the harness exits after SIGINT").isTrue();
        assertThat(containersOf(pid)).as("containers after SIGINT").isZero();
        assertThat(networksOf(pid)).as("networks after SIGINT").isZero();
        child = null;
    }
}
