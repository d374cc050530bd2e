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
        K3sNodes nodes = K3sNodes.start(Rehearsal.plan(), args[1], work, Rehearsal.UNPRIVILEGED, System.out::println);
        System.out.println("nodes up: " + nodes.nodes().size());
        System.out.flush();
        Thread.sleep(120_000);
        nodes.close();
    }
}
