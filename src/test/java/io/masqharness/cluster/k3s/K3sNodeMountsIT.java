package io.masqharness.cluster.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import io.masqharness.cluster.docker.RunLabels;
import io.masqharness.probe.ProbeImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

/**
 * Review D4 and D5 on this machine's kernel and Docker: the K3s nodes' entrypoint ({@link
 * K3sPlan#MOUNT_SCRIPT}) in a container with the nodes' cgroup namespace and /run, checked with the
 * run's own {@link K3sPlan#NODE_MOUNTS_CHECK}. Here the container gets every capability but
 * SYS_RESOURCE instead of --privileged (which this sandbox refuses), and Debian's base image stands
 * for rancher/k3s (which cannot be pulled here): the mounts, the link and the cgroup namespace are
 * the same kernel objects either way.
 */
class K3sNodeMountsIT {

    @BeforeAll
    static void docker() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not reachable");
        Assumptions.assumeTrue(io.masqharness.cluster.docker.DockerImages.present(ProbeImage.BASE_IMAGE),
                ProbeImage.BASE_IMAGE + " is missing: build it with `bash k3s-images/base/build-debian-base.sh`");
    }

    static GenericContainer<?> node(String cgroupns) {
        String run = "masq-harness-mounts-" + UUID.randomUUID().toString().substring(0, 8);
        return new GenericContainer<>(ProbeImage.BASE_IMAGE).withLabels(RunLabels.of(run)).withTmpFs(Map.of("/run", ""))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(run).withEntrypoint("/bin/sh", "-c");
                    cmd.getHostConfig().withCgroupnsMode(cgroupns).withCapAdd(Capability.ALL).withCapDrop(Capability.SYS_RESOURCE)
                            .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"));
                })
                .withCommand(new String[] {K3sPlan.MOUNT_SCRIPT + " && exec sleep 300"});
    }

    @Test
    void theNodesEntrypointLeavesWhatCiliumNeedsInAPrivateCgroupNamespace() throws Exception {
        try (GenericContainer<?> node = node(K3sNodeContainers.CGROUPNS)) {
            node.start();
            ExecResult check = node.execInContainer("sh", "-c", K3sPlan.NODE_MOUNTS_CHECK);
            assertThat(check.getExitCode()).as("the node check: %s %s", check.getStdout(), check.getStderr()).isZero();
            assertThat(node.execInContainer("stat", "-f", "-c", "%T", "/var/run/cilium/cgroupv2").getStdout().strip())
                    .as("what the agent's /var/run/cilium host path holds").isEqualTo("cgroup2fs");
            assertThat(node.execInContainer("cat", "/run/cilium/cgroupv2/cgroup.procs").getStdout().lines().count())
                    .as("processes in the cgroup2 root the node sees: its own only").isLessThan(10);
        }
    }

    /** Today's spec before the fix (K3sContainer's cgroupns=host): the cgroup2 root in the node is the host's, and the check says so. */
    @Test
    void withTheHostsCgroupNamespaceTheRootCiliumWouldAttachToIsTheHosts() throws Exception {
        try (GenericContainer<?> node = node("host")) {
            node.start();
            assertThat(node.execInContainer("sh", "-c", K3sPlan.NODE_MOUNTS_CHECK).getExitCode()).isNotZero();
            assertThat(node.execInContainer("test", "-e", "/run/cilium/cgroupv2/cgroup.events").getExitCode())
                    .as("cgroup.events exists in every cgroup but the hierarchy's root").isNotZero();
        }
    }
}
