package io.masqharness.cluster.k3s;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import io.masqharness.cluster.docker.DockerImages;
import io.masqharness.cluster.docker.OciArchives;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The stand-ins of the first-run rehearsal: a K3s image (Debian with a /bin/k3s that is not K3s,
 * src/test/resources/rehearsal/k3s), a tiny probe image, and an air-gap folder holding the K3s
 * stand-in as `docker save` writes it and the node images as a multi-platform OCI archive of which
 * only this machine's platform has blobs (what Docker's containerd store saves). Nothing here is
 * pulled: everything is built from the local debian:bookworm-slim and bytes.
 */
final class Rehearsal {

    static final Scenario SCENARIO = new ScenarioLoader().load(Path.of("src/test/resources/scenarios/k3s-rehearsal.yaml"));
    static final String K3S = SCENARIO.cluster().k3sImage();
    static final String PROBE = "masq-harness-rehearsal/probe:stand-in";

    private Rehearsal() {
    }

    static K3sPlan plan() {
        return new K3sPlan(SCENARIO, PROBE);
    }

    /**
     * This sandbox refuses --privileged (ENVIRONMENT.md): the nodes get every capability but
     * SYS_RESOURCE and no seccomp or AppArmor profile instead, as K3sNodeMountsIT does. Everything
     * else is the node container exactly as the run creates it.
     */
    static final UnaryOperator<GenericContainer<?>> UNPRIVILEGED = c -> c.withPrivilegedMode(false).withCreateContainerCmdModifier(cmd ->
            cmd.getHostConfig().withCapAdd(Capability.ALL).withCapDrop(Capability.SYS_RESOURCE)
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined")));

    /** Builds the stand-ins and fills {@code airgap}; the K3s stand-in is then only in the archive, for the run to load. */
    static void prepare(Path airgap) throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        new ImageFromDockerfile(K3S, false).withFileFromPath("k3s", Path.of("src/test/resources/rehearsal/k3s"))
                .withFileFromString("Dockerfile", "FROM debian:bookworm-slim\nCOPY k3s /bin/k3s\nRUN chmod 0755 /bin/k3s\n")
                .get(5, TimeUnit.MINUTES);
        new ImageFromDockerfile(PROBE, false).withFileFromString("stand-in.txt", "masq-harness rehearsal probe stand-in\n")
                .withFileFromString("Dockerfile", "FROM scratch\nCOPY stand-in.txt /stand-in.txt\n").get(5, TimeUnit.MINUTES);
        Files.createDirectories(airgap);
        try (InputStream saved = docker.saveImageCmd(K3S).exec()) {
            Files.copy(saved, airgap.resolve("k3s-stand-in.tar"), StandardCopyOption.REPLACE_EXISTING);
        }
        docker.removeImageCmd(K3S).withNoPrune(true).exec();
        OciArchives.multiPlatform(airgap.resolve("node-images.tar"), DockerImages.architecture(), K3sPlan.PAUSE_IMAGE,
                "quay.io/cilium/cilium:v1.13.4", "quay.io/cilium/operator-generic:v1.13.4");
    }
}
