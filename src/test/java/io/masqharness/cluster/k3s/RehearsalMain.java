package io.masqharness.cluster.k3s;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rehearsal's nodes in a process of their own, for K3sRehearsalIT to interrupt:
 * {@code RehearsalMain <air-gap folder> <run id>} brings them up, prints "nodes up", and waits.
 */
public final class RehearsalMain {

    private RehearsalMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty(K3sImages.AIRGAP_DIR_PROPERTY, args[0]);
        Path work = Files.createTempDirectory("masq-harness-rehearsal-");
        System.out.println("work folder " + work);
        K3sNodes[] nodes = new K3sNodes[1];
        Runnable close = () -> {
            if (nodes[0] != null) {
                nodes[0].close();
            }
            io.masqharness.cluster.WorkFolders.deleteQuietly(work);
        };
        nodes[0] = K3sNodes.start(Rehearsal.plan(), args[1], work, Rehearsal.UNPRIVILEGED, System.out::println, close);
        System.out.println("nodes up: " + nodes[0].nodes().size() + " in " + work);
        System.out.flush();
        Thread.sleep(120_000);
        close.run();
    }
}
