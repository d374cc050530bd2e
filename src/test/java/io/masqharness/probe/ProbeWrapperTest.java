package io.masqharness.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which JIT the image's {@code probe} wrapper gives each command (bench/README.md says why), run with a stand-in java. */
class ProbeWrapperTest {

    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @TempDir
    Path bin;

    @Test
    void theServerAndTheClosedLoopClientKeepTheFullJit() throws Exception {
        assertThat(javaArgs("serve", "--tcp-port", "7000")).doesNotContain(C1_ONLY);
        assertThat(javaArgs("latency", "--kind", "tcp-rr", "--target", "198.20.0.10:7002", "--mode", "closed"))
                .doesNotContain(C1_ONLY).endsWith("-jar /opt/probe/probe.jar latency --kind tcp-rr --target 198.20.0.10:7002 --mode closed");
    }

    @Test
    void theOpenLoopClientAndShortCommandsRunC1Only() throws Exception {
        assertThat(javaArgs("latency", "--kind", "tcp-rr", "--target", "198.20.0.10:7002", "--mode", "open")).startsWith(C1_ONLY);
        assertThat(javaArgs("latency", "--kind", "tcp-rr", "--target", "198.20.0.10:7002")).as("open is the default").startsWith(C1_ONLY);
        assertThat(javaArgs("snat", "--target", "198.20.0.10:7000", "--mode", "closed")).as("only latency has loops").startsWith(C1_ONLY);
        assertThat(javaArgs("latency", "--kind", "tcp-rr", "--target", "x:7002", "--mode", "closedish")).startsWith(C1_ONLY);
    }

    /** The arguments the wrapper passes to java. */
    private String javaArgs(String... probeArgs) throws IOException, InterruptedException {
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("sh", Path.of("k3s-images/probe/probe").toAbsolutePath().toString()));
        command.addAll(List.of(probeArgs));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the wrapper ran").isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
