package io.masqharness.cluster.k3s;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.docker.FreeSubnetNetwork;
import io.masqharness.cluster.docker.Reaper;
import io.masqharness.cluster.docker.RunLabels;
import io.masqharness.cluster.docker.Teardown;
import io.masqharness.net.Cidr;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;

/**
 * The Docker side of a K3s run, up to where K3s itself is needed: leftovers reaped, the images
 * provided, a node network on a free subnet (the plan moved onto it), a shutdown hook, the node
 * containers with the image tars copied in, started, and their mounts checked. Everything on the
 * network goes at {@link #close}, at Ctrl-C, or at the next start after a SIGKILL. The first-run
 * rehearsal (K3sRehearsalIT) runs exactly this with stand-in images.
 */
public final class K3sNodes implements AutoCloseable {

    /** The entrypoint's mounts take milliseconds; they are polled for this long before the node is declared broken (N13). */
    static final Duration MOUNTS = Duration.ofSeconds(10);
    static final String TIMER_MIGRATION = "/proc/sys/kernel/timer_migration";

    private final String runId;
    private final Consumer<String> log;
    private final List<GenericContainer<?>> containers = new ArrayList<>();
    private final List<GenericContainer<?>> nodes = new ArrayList<>();
    private final Map<String, String> labels;
    private K3sPlan plan;
    private Network network;
    private Thread shutdownHook;
    private Optional<String> timerMigration = Optional.empty();
    private Runnable atExit;

    private K3sNodes(K3sPlan plan, String runId, Consumer<String> log) {
        this.plan = plan;
        this.runId = runId;
        this.log = log;
        this.labels = RunLabels.of(runId);
    }

    /**
     * @param plan    the plan as the scenario writes it: the network it gets here moves every address
     * @param workDir where the image tars for the nodes are written
     * @param adjust  applied to each node container before it starts (identity in a run)
     */
    public static K3sNodes start(K3sPlan plan, String runId, Path workDir, UnaryOperator<GenericContainer<?>> adjust, Consumer<String> log) {
        return start(plan, runId, workDir, adjust, log, null);
    }

    /**
     * @param atExit what the shutdown hook runs (the owner's close, which closes these nodes too); null: this {@link #close}
     */
    public static K3sNodes start(K3sPlan plan, String runId, Path workDir, UnaryOperator<GenericContainer<?>> adjust, Consumer<String> log,
                                 Runnable atExit) {
        K3sNodes k = new K3sNodes(plan, runId, log);
        k.atExit = atExit == null ? k::close : atExit;
        try {
            k.boot(workDir, adjust);
            return k;
        } catch (RuntimeException e) {
            k.close();
            throw e;
        }
    }

    private void boot(Path workDir, UnaryOperator<GenericContainer<?>> adjust) {
        Reaper.reapOrphans(DockerClientFactory.instance().client(), log);
        K3sImages images = new K3sImages(plan, K3sImages.airgapDir());
        images.provision(log);
        Cidr wanted = plan.scenario().cluster().subnet();
        FreeSubnetNetwork placed = FreeSubnetNetwork.create(runId, labels, false, FreeSubnetNetwork.candidates(wanted, K3sPlan.SUBNET_POOL),
                plan.avoidedByNodeNetwork());
        network = placed.network();
        shutdownHook = new Thread(atExit, runId + "-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        plan = plan.placed(placed.subnet(), DockerClientFactory.instance().dockerHostIpAddress());
        log.accept("node network " + placed.subnet() + (placed.subnet().equals(wanted) ? "" : " (the scenario's " + wanted
                + " is taken; every node address moved with it)"));

        List<Path> tars = images.tarsForNodes(workDir, log);
        String token = UUID.randomUUID().toString();
        for (ContainerPlan c : plan.containers()) {
            if (c.role().startsWith("k3s ")) {
                nodes.add(adjust.apply(K3sNodeContainers.create(c, runId + "-" + c.name(), token, tars).withNetwork(network)
                        .withLabels(labels)));
            }
        }
        containers.addAll(nodes);
        log.accept("starting the K3s server (API ready within " + K3sPlan.API_READY.toSeconds() + " s)");
        nodes.get(0).start();
        log.accept("K3s API ready; starting " + (nodes.size() - 1) + " agent(s)");
        Startables.deepStart(nodes.stream().skip(1)).join();
        checkMounts();
        timerMigration = read(nodes.get(0), TIMER_MIGRATION);
    }

    /** Fails, naming the node, when the entrypoint did not leave the mounts Cilium needs ({@link K3sPlan#MOUNT_SCRIPT}) within {@link #MOUNTS}. */
    private void checkMounts() {
        checkMounts(nodes.stream().map(K3sNodes::shell).toList(), MOUNTS, log);
    }

    /** A node as the mount check sees it: its name, and a shell script run in it (a node container; a stand-in in K3sNodesMountsTest). */
    interface NodeShell {
        String name();

        ExecResult sh(String script);
    }

    private static NodeShell shell(GenericContainer<?> node) {
        return new NodeShell() {
            @Override
            public String name() {
                return node.getContainerName();
            }

            @Override
            public ExecResult sh(String script) {
                return exec(node, "sh", "-c", script);
            }
        };
    }

    /** The mount check of {@link #checkMounts()}, polled every 250 ms until each node passes or {@code bound} has passed. */
    static void checkMounts(List<? extends NodeShell> nodes, Duration bound, Consumer<String> log) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (NodeShell node : nodes) {
            while (!node.sh(K3sPlan.NODE_MOUNTS_CHECK).ok()) {
                if (System.nanoTime() > deadline) {
                    ExecResult evidence = node.sh("ls -ld /var/run; grep -E ' /sys/fs/bpf | /run/cilium' /proc/self/mountinfo;"
                            + " ls /run/cilium/cgroupv2 | head -5");
                    throw new ClusterException("check the node's mounts", node.name(), "within " + bound.toSeconds() + " s the"
                            + " entrypoint did not leave /var/run -> /run, a shared bpffs and a shared cgroup2 mount of the node's own cgroup"
                            + " (private cgroupns): " + evidence.stdout() + evidence.stderr());
                }
                sleep(Duration.ofMillis(250));
            }
        }
        log.accept("every node: /var/run -> /run, shared bpffs, a shared cgroup2 mount of the node's own cgroup");
    }

    /** The plan on the network this run got. */
    public K3sPlan plan() {
        return plan;
    }

    public Network network() {
        return network;
    }

    /** The labels every container and network of this run carries. */
    public Map<String, String> labels() {
        return labels;
    }

    /** The node containers, the server first. */
    public List<GenericContainer<?>> nodes() {
        return List.copyOf(nodes);
    }

    /** Another container on the node network, removed with the nodes (before the network). */
    public void attach(GenericContainer<?> container) {
        containers.add(container);
    }

    static ExecResult exec(GenericContainer<?> c, String... command) {
        try {
            var r = c.execInContainer(command);
            return new ExecResult(r.getExitCode(), r.getStdout(), r.getStderr());
        } catch (IOException e) {
            throw new ClusterException("exec " + String.join(" ", command), c.getContainerName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("exec " + String.join(" ", command), c.getContainerName(), e);
        }
    }

    private static Optional<String> read(GenericContainer<?> node, String file) {
        ExecResult r = exec(node, "cat", file);
        return r.ok() ? Optional.of(r.stdout().strip()) : Optional.empty();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("wait", "K3s nodes", e);
        }
    }

    /**
     * Cilium's agents set kernel.timer_migration=0 on the kernel the nodes share with the host
     * (pkg/datapath/loader/base.go); it is put back before the nodes go. Their
     * kernel.unprivileged_bpf_disabled=1 cannot be undone before a reboot (README, "Nothing left behind").
     */
    private void restoreTimerMigration() {
        if (timerMigration.isEmpty() || nodes.isEmpty() || !nodes.get(0).isRunning()) {
            return;
        }
        Optional<String> now = read(nodes.get(0), TIMER_MIGRATION);
        if (now.isEmpty() || now.equals(timerMigration)) {
            return;
        }
        ExecResult r = exec(nodes.get(0), "sh", "-c", "echo " + timerMigration.get() + " > " + TIMER_MIGRATION);
        log.accept(r.ok() ? "kernel.timer_migration back to " + timerMigration.get() + " (the agents had set it to " + now.get() + ")"
                : "could not put kernel.timer_migration back to " + timerMigration.get() + " (it is " + now.get() + "): " + r);
    }

    @Override
    public synchronized void close() {
        try {
            restoreTimerMigration();
        } catch (RuntimeException e) {
            log.accept("could not read kernel.timer_migration back: " + e.getMessage());
        }
        Teardown.stop(List.copyOf(containers), network, shutdownHook, log);
        containers.clear();
        nodes.clear();
        network = null;
    }
}
