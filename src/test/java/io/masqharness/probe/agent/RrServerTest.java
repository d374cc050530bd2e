package io.masqharness.probe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The responders' answer delay: what the file says, followed while serving, and waited out. */
class RrServerTest {

    @TempDir
    Path dir;

    @Test
    void theDelayFileHoldsMicroseconds() throws Exception {
        Path file = dir.resolve("delay");
        assertThat(RrServer.Delay.read(file)).as("absent").isZero();
        assertThat(RrServer.Delay.read(null)).isZero();
        Files.writeString(file, "1500\n");
        assertThat(RrServer.Delay.read(file)).isEqualTo(1_500_000L);
        Files.writeString(file, "  ");
        assertThat(RrServer.Delay.read(file)).isZero();
        Files.writeString(file, "soon");
        assertThat(RrServer.Delay.read(file)).isZero();
        Files.writeString(file, "-40");
        assertThat(RrServer.Delay.read(file)).isZero();
        assertThat(RrServer.Delay.none().nanos()).isZero();
    }

    @Test
    void aChangedFileIsInForceWithinAPollAndTheAnswerWaitsItOut() throws Exception {
        Path file = dir.resolve("delay");
        Files.writeString(file, "0");
        RrServer.Delay delay = new RrServer.Delay(file);
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        try {
            delay.follow(workers);
            long t0 = System.nanoTime();
            delay.await(t0);
            assertThat(System.nanoTime() - t0).as("no delay: no wait").isLessThan(1_000_000L);
            Files.writeString(file, "3000");
            Thread.sleep(3 * RrServer.DELAY_POLL_MS);
            assertThat(delay.nanos()).isEqualTo(3_000_000L);
            long t1 = System.nanoTime();
            delay.await(t1);
            assertThat(System.nanoTime() - t1).isBetween(3_000_000L, 60_000_000L);
        } finally {
            workers.shutdownNow();
        }
    }
}
