package io.masqharness.cluster.docker;

import java.util.Collection;
import java.util.function.Consumer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/** How a backend lets go of what it started: containers (in parallel), then their network, then its shutdown hook. */
public final class Teardown {

    private Teardown() {
    }

    public static void stop(Collection<? extends GenericContainer<?>> containers, Network network, Thread shutdownHook,
                            Consumer<String> progress) {
        containers.parallelStream().forEach(c -> {
            try {
                c.stop();
            } catch (RuntimeException e) {
                progress.accept("could not stop container " + c.getContainerName() + ": " + e.getMessage());
            }
        });
        if (network != null) {
            try {
                network.close();
            } catch (RuntimeException e) {
                progress.accept("could not remove network " + network.getId() + ": " + e.getMessage());
            }
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // The JVM is already shutting down and runs the hook itself.
            }
        }
    }
}
