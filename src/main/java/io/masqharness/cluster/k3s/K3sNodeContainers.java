package io.masqharness.cluster.k3s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The K3s node containers exactly as {@link ContainerPlan} describes them. The server is
 * Testcontainers' {@link K3sContainer} (for its kubeconfig handling); what it sets that Cilium
 * cannot live with is replaced: its bind of the host's {@code /sys/fs/cgroup} and
 * {@code cgroupns=host} (every node and agent would share the host's cgroups, and socket-LB
 * programs would attach to the host's root), and its separate {@code /var/run} tmpfs (the chart's
 * agent finds cgroup v2 under {@code /var/run/cilium}). The harness's own create-command modifier
 * runs after K3sContainer's, so its {@code cgroupns=private} wins.
 */
public final class K3sNodeContainers {

    public static final String CGROUPNS = "private";

    private K3sNodeContainers() {
    }

    /**
     * @param containerName the Docker name of the container
     * @param tars          image archives copied into K3s's images folder before start
     */
    public static GenericContainer<?> create(ContainerPlan c, String containerName, String token, List<Path> tars) {
        GenericContainer<?> container = c.role().equals("k3s server") ? server(c) : new GenericContainer<>(DockerImageName.parse(c.image()));
        container.withPrivilegedMode(c.privileged());
        container.setBinds(new ArrayList<>());
        container.withTmpFs(Map.of("/run", ""));
        container.withEnv("K3S_TOKEN", token).withNetworkAliases(c.name())
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(containerName).withIpv4Address(c.ip()).withEntrypoint(c.entrypoint().toArray(String[]::new));
                    // A daemon.json with "init": true would make docker-init PID 1; K3s moves its processes out of the cgroup
                    // root only as PID 1 (review 2, N11; kind passes --init=false for the same reason).
                    cmd.getHostConfig().withCgroupnsMode(c.cgroupns()).withInit(false);
                })
                .withCommand(c.command().toArray(String[]::new));
        for (Path tar : tars) {
            container.withCopyFileToContainer(MountableFile.forHostPath(tar), K3sPlan.IMAGES_DIR + tar.getFileName());
        }
        return container;
    }

    private static K3sContainer server(ContainerPlan c) {
        K3sContainer server = new K3sContainer(DockerImageName.parse(c.image()).asCompatibleSubstituteFor("rancher/k3s"));
        // Flannel is off, so K3sContainer's default wait (a flannel log line) would never come.
        server.waitingFor(Wait.forSuccessfulCommand("k3s kubectl get --raw=/readyz").withStartupTimeout(K3sPlan.API_READY));
        return server;
    }
}
