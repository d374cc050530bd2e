package io.masqharness.probe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
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
        assertThat(RrServer.Delay.read(file).nanos()).as("absent").isZero();
        assertThat(RrServer.Delay.read(null).nanos()).isZero();
        Files.writeString(file, "1500\n");
        assertThat(RrServer.Delay.read(file).nanos()).isEqualTo(1_500_000L);
        Files.writeString(file, "  ");
        assertThat(RrServer.Delay.read(file).nanos()).isZero();
        Files.writeString(file, "soon");
        assertThat(RrServer.Delay.read(file).nanos()).isZero();
        Files.writeString(file, "-40");
        assertThat(RrServer.Delay.read(file).nanos()).isZero();
        assertThat(RrServer.Delay.none().nanos()).isZero();
    }

    @Test
    void aPrefixAfterTheDelayLimitsItToThosePeers() throws Exception {
        RrServer.Delay.Rule pods = RrServer.Delay.parse("1000 10.44.0.0/16\n");
        assertThat(pods.nanos()).isEqualTo(1_000_000L);
        assertThat(pods.applies(InetAddress.getByName("10.44.3.7"))).isTrue();
        assertThat(pods.applies(InetAddress.getByName("10.45.0.1"))).as("outside the /16").isFalse();
        assertThat(pods.applies(InetAddress.getByName("172.29.0.11"))).as("the node's own address").isFalse();
        assertThat(pods.applies(InetAddress.getByName("fd00:44::10"))).as("another family").isFalse();
        RrServer.Delay.Rule odd = RrServer.Delay.parse("1000 10.44.0.1/20");
        assertThat(odd.applies(InetAddress.getByName("10.44.15.255"))).as("the prefix's bits only").isTrue();
        assertThat(odd.applies(InetAddress.getByName("10.44.16.0"))).isFalse();
        assertThat(RrServer.Delay.parse("1000").applies(InetAddress.getByName("172.29.0.11"))).as("no prefix: every peer").isTrue();
        assertThat(RrServer.Delay.parse("1000 10.44.0.0/33").nanos()).as("not a prefix: no delay rather than a wrong one").isZero();
        assertThat(RrServer.Delay.parse("1000 10.44.0.0").nanos()).isZero();
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
            delay.await(t0, InetAddress.getLoopbackAddress());
            assertThat(System.nanoTime() - t0).as("no delay: no wait (against the 300 ms below)").isLessThan(150_000_000L);
            Files.writeString(file, "3000");
            Thread.sleep(3 * RrServer.DELAY_POLL_MS);
            assertThat(delay.nanos()).isEqualTo(3_000_000L);
            long t1 = System.nanoTime();
            delay.await(t1, InetAddress.getLoopbackAddress());
            assertThat(System.nanoTime() - t1).isBetween(3_000_000L, 60_000_000L);
            Files.writeString(file, "300000 10.44.0.0/16");
            Thread.sleep(3 * RrServer.DELAY_POLL_MS);
            long t2 = System.nanoTime();
            delay.await(t2, InetAddress.getByName("10.44.0.10"));
            assertThat(System.nanoTime() - t2).as("a peer inside the prefix waits it out").isGreaterThanOrEqualTo(300_000_000L);
            long t3 = System.nanoTime();
            delay.await(t3, InetAddress.getLoopbackAddress());
            assertThat(System.nanoTime() - t3).as("a peer outside it is answered at once").isLessThan(150_000_000L);
        } finally {
            workers.shutdownNow();
        }
    }
}
