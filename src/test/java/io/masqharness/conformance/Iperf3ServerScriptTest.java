package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The server script's test for "the previous server still runs", in a real shell: a server that finished is a zombie on
 * an external host whose PID 1 reaps nothing, and must count as gone (kill -0 says it is alive).
 */
class Iperf3ServerScriptTest {

    /** Exit code of {@link Iperf3Runs#STILL_RUNNING} for a PID. */
    static int stillRunning(long pid) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "old=" + pid + "; " + Iperf3Runs.STILL_RUNNING).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void aRunningProcessRunsAZombieAndAGoneOneDoNot() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc");
        // The parent execs into a sleep that never waits for its child: the child, once done, stays a zombie.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & echo $!; exec sleep 10").start();
        try {
            long child = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8)).readLine()
                    .strip());
            Path status = Path.of("/proc/" + child + "/status");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Files.readString(status).contains("State:\tZ") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(status)).as("the child is a zombie now").contains("State:\tZ");
            Process kill0 = new ProcessBuilder("sh", "-c", "kill -0 " + child).start();
            assertThat(kill0.waitFor()).as("what kill -0 says of a zombie (why the script does not ask it)").isZero();

            assertThat(stillRunning(child)).as("a zombie").isNotZero();
            assertThat(stillRunning(parent.pid())).as("a sleeping process").isZero();
        } finally {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(stillRunning(parent.pid())).as("a process that is gone").isNotZero();
    }
}
