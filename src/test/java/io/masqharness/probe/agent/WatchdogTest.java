package io.masqharness.probe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A read that blocks without a socket timeout is still ended: by the watchdog, once answers stop coming. */
class WatchdogTest {

    @Test
    void aReadBlockedOnASilentPeerEndsWhenTheWatchdogClosesTheSocket() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = new Socket(InetAddress.getLoopbackAddress(), silent.getLocalPort());
             Socket accepted = silent.accept();
             Watchdog w = Watchdog.closeOnStall(s, 200)) {
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("closed after the stall, not before").isBetween(150L, 5000L);
            assertThat(w.fired()).isTrue();
        }
    }

    @Test
    void progressKeepsTheSocketOpenAndClosingTheWatchdogDisarmsIt() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = new Socket(InetAddress.getLoopbackAddress(), echo.getLocalPort());
             Socket peer = echo.accept()) {
            Watchdog w = Watchdog.closeOnStall(s, 200);
            for (int i = 0; i < 6; i++) {
                Thread.sleep(100);
                peer.getOutputStream().write(i);
                assertThat(s.getInputStream().read()).isEqualTo(i);
                w.progress();
            }
            assertThat(s.isClosed()).as("600 ms of answers 100 ms apart: never stalled 200 ms").isFalse();
            w.close();
            Thread.sleep(400);
            assertThat(s.isClosed()).as("a closed watchdog closes nothing").isFalse();
            assertThat(w.fired()).isFalse();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
