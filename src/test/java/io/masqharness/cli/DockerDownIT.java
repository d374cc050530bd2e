package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Docker not running, for real, from the harness's point of view: the harness runs in its own
 * mount namespace with an empty /run, as after dockerd stopped and removed its socket. It must
 * stop at once with exit status 2, say what is missing and how to fix it, and print no stack trace.
 */
class DockerDownIT {

    @Test
    void withoutADockerDaemonTheHarnessStopsWithTheFix() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "needs root and unshare(1) to hide the Docker socket from one process (CI runs as root)");
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("target/cilium-masq-harness.jar")), "run `mvn package` first");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-ec",
                "mount -t tmpfs none /run; test ! -e /var/run/docker.sock; exec \"$0\" -jar target/cilium-masq-harness.jar benchmark",
                java);
        pb.environment().remove("DOCKER_HOST");
        pb.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
        pb.environment().put("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the harness gives up on a missing Docker within 60 s").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.printf("without Docker, the harness stopped after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        List<String> lines = output.lines().toList();
        assertThat(lines.get(lines.size() - 1)).startsWith("cannot benchmark here: Docker: not reachable").contains("fix: start the Docker daemon");
        assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread"));
    }
}
