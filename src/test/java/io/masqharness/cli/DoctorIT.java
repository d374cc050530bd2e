package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * {@code doctor} against this machine's Docker: the lab can run wherever Docker and the probe's
 * base image are; for K3s, whatever this machine lacks is a FAIL with a fix, and the exit status is
 * 1 exactly when something failed (0 on a machine that has everything).
 */
class DoctorIT {

    record Output(int exit, String text) {
        List<String> lines(String status) {
            return text.lines().filter(l -> l.startsWith(status + " ")).toList();
        }
    }

    static Output doctor(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Output(Main.run(args), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
    }

    @Test
    void theLabNeedsOnlyDockerAndTheProbesBaseImage() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not reachable");
        Output lab = doctor("doctor", "--backend", "lab");
        assertThat(lab.exit()).as(lab.text()).isZero();
        assertThat(lab.lines("PASS")).anyMatch(l -> l.contains("Docker")).anyMatch(l -> l.contains("probe image"));
        assertThat(lab.text()).contains("the lab backend can run here");
    }

    @Test
    void eachMissingThingOfTheMainJobFailsWithItsFix() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not reachable");
        Output k3s = doctor("doctor", "--backend", "k3s", "--scenario", "scenarios/masquerade-toggle.yaml");
        assertThat(k3s.exit()).as(k3s.text()).isEqualTo(k3s.lines("FAIL").isEmpty() ? 0 : 1);
        assertThat(k3s.text()).doesNotContain("Exception\n\tat ").doesNotContain("error: ");
        for (String name : List.of("Docker", "kernel", "cgroup version", "free subnet", "Cilium chart", "image rancher/k3s:v1.26.6-k3s1",
                "image rancher/mirrored-pause:3.6", "image quay.io/cilium/cilium:v1.13.4", "image quay.io/cilium/operator-generic:v1.13.4",
                "probe image", "privileged containers")) {
            assertThat(k3s.text().lines()).as("a line for %s in:\n%s", name, k3s.text())
                    .anyMatch(l -> l.matches("(PASS|WARN|FAIL)  " + java.util.regex.Pattern.quote(name) + " .*"));
        }
        List<String> lines = k3s.text().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FAIL ")) {
                assertThat(lines.get(i + 1)).as("the fix under %s", lines.get(i)).startsWith("      fix: ");
            }
        }
        if (k3s.exit() == 1) {
            assertThat(k3s.text()).contains("the k3s backend cannot run here").contains("the lab backend (-Dharness.backend=lab) needs only Docker");
        }
    }
}
