package io.masqharness.doctor;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import io.masqharness.cluster.docker.DockerImages;
import io.masqharness.cluster.docker.FreeSubnetNetwork;
import io.masqharness.cluster.docker.RunLabels;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;

/** What the Docker engine and its kernel offer a backend. */
final class DockerChecks {

    static final String START_DOCKER = "start the Docker daemon (`dockerd &`; `.ci/run` installs and starts it), and set"
            + " TESTCONTAINERS_HOST_OVERRIDE=localhost and TESTCONTAINERS_RYUK_DISABLED=true where no registry is reachable";
    /** Docker 20.10 (API 1.41) is the first with per-container cgroup namespaces. */
    static final int[] MIN_API = {1, 41};
    /** Cilium 1.13's documented minimums (Documentation/operations/system_requirements.rst, kubeproxy-free.rst, tuning.rst). */
    static final int[] KERNEL_BASE = {4, 19, 57};
    static final int[] KERNEL_BPF_HOST_ROUTING = {5, 10, 0};
    static final long GIB = 1L << 30;
    /** The reaper Testcontainers 2.0.5 starts (org.testcontainers.utility.RyukContainer). */
    static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";
    /** The images (about 1.2 GB unpacked) and a copy in each node's containerd, with room to spare. */
    static final long DOCKER_DISK = 6 * GIB;
    /** The image tars saved for the nodes (about 1.2 GB). */
    static final long TEMP_DISK = 2 * GIB;

    private DockerChecks() {
    }

    /**
     * What Testcontainers would start before anything of the harness's: its reaper (unless
     * TESTCONTAINERS_RYUK_DISABLED=true), and, inside a container, a helper that finds the gateway
     * (unless TESTCONTAINERS_HOST_OVERRIDE is set). Either needs an image; without a registry that
     * is a two-minute hang, so it is checked first, over the engine's API.
     */
    static List<Check> testcontainers() {
        List<Check> checks = new ArrayList<>();
        Optional<String> unreachable;
        try {
            unreachable = io.masqharness.cluster.docker.DockerImages.unreachable();
        } catch (RuntimeException e) {
            unreachable = Optional.of(String.valueOf(e.getMessage()));
        }
        if (unreachable.isPresent()) {
            checks.add(Check.fail("Docker", "not reachable: " + unreachable.get(), START_DOCKER));
            return checks;
        }
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            String ryuk = RYUK_IMAGE;
            if (!DockerImages.presentWithoutTestcontainers(ryuk)) {
                DockerImages.notPullable(ryuk).ifPresent(error -> checks.add(Check.fail("Testcontainers", "would start its reaper "
                        + ryuk + ", which is not here and cannot be pulled: " + error, "export TESTCONTAINERS_RYUK_DISABLED=true"
                        + " (the harness removes its own containers and networks)")));
            }
        }
        if (Files.exists(Path.of("/.dockerenv")) && System.getenv("TESTCONTAINERS_HOST_OVERRIDE") == null) {
            checks.add(Check.warn("Testcontainers", "this machine looks like a container (/.dockerenv): Testcontainers will start a"
                    + " helper container to find the Docker host", "export TESTCONTAINERS_HOST_OVERRIDE=localhost when Docker runs on"
                    + " this machine (the helper image cannot be pulled without a registry)"));
        }
        return checks;
    }

    static Check engine() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Check.fail("Docker", "not reachable", START_DOCKER);
        }
        Info info = DockerClientFactory.instance().getInfo();
        String api = DockerClientFactory.instance().getActiveApiVersion();
        String found = "Docker " + info.getServerVersion() + " (API " + api + ") at "
                + DockerClientFactory.instance().getTransportConfig().getDockerHost();
        if (compare(numbers(api), MIN_API) < 0) {
            return Check.fail("Docker", found, "use Docker 20.10 or later: K3s nodes need a private cgroup namespace (--cgroupns)");
        }
        return Check.pass("Docker", found);
    }

    static Check cgroupVersion() {
        String v = DockerClientFactory.instance().getInfo().getCGroupVersion();
        return "2".equals(v) ? Check.pass("cgroup version", "cgroup v2")
                : Check.warn("cgroup version", "cgroup v" + v + " (the nodes still get private cgroup namespaces, a combination"
                + " kind uses but no K3s + Cilium run of this harness has been seen on)", "prefer a cgroup v2 host (most current"
                + " distributions; or boot with systemd.unified_cgroup_hierarchy=1)");
    }

    /** The kernel against Cilium 1.13's requirements for what the scenario's modes use. */
    static Check kernel(Scenario scenario) {
        String version = DockerClientFactory.instance().getInfo().getKernelVersion();
        int[] kernel = numbers(version);
        if (compare(kernel, KERNEL_BASE) < 0) {
            return Check.fail("kernel", version + " (Cilium 1.13 needs 4.19.57; kube-proxy replacement and BPF masquerading too)",
                    "run on a host with a 4.19.57 or later kernel (5.10+ for BPF host routing)");
        }
        boolean bpf = false;
        for (ModeSpec mode : scenario.modes()) {
            try {
                AgentConfig agent = ScenarioFacts.agentConfig(scenario, mode);
                bpf |= agent.mode() == MasqueradeMode.BPF;
            } catch (RefusedConfigurationException e) {
                // Refused modes are the oracle's to report; they need no kernel.
            }
        }
        if (bpf && compare(kernel, KERNEL_BPF_HOST_ROUTING) < 0) {
            return Check.warn("kernel", version + ": BPF masquerading runs, but without BPF host routing (5.10+), so BPF modes keep"
                    + " legacy host routing", "for the datapath most users get with bpf.masquerade=true, use a 5.10+ kernel");
        }
        return Check.pass("kernel", version + " (Cilium 1.13: 4.19.57+; BPF host routing: 5.10+)");
    }

    /**
     * Starts a privileged container that reports whether the kernel has bpffs: both checks in one
     * container, from an image already here ({@code candidates}, first present). Labelled, removed.
     */
    static List<Check> privilegedAndBpffs(List<String> candidates) {
        Optional<String> image = candidates.stream().filter(DockerImages::present).findFirst();
        if (image.isEmpty()) {
            return List.of(Check.warn("privileged containers", "not tried: none of " + candidates + " is in the local engine yet",
                    "tried again when the run has pulled the K3s image"));
        }
        List<Check> checks = new ArrayList<>();
        Run privileged = run(image.get(), true);
        if (privileged.error().isPresent()) {
            checks.add(Check.fail("privileged containers", "Docker refused one: " + privileged.error().get(), "K3s nodes must run"
                    + " privileged: use a Docker engine that allows it (not rootless, not a restricted sandbox or user namespace)"));
            privileged = run(image.get(), false);
        } else {
            checks.add(Check.pass("privileged containers", "allowed (" + image.get() + " ran with --privileged)"));
        }
        checks.add(privileged.error().isPresent() ? Check.warn("bpffs", "not tried: " + privileged.error().get(), "")
                : privileged.output().contains("bpf") ? Check.pass("bpffs", "the kernel has the bpf filesystem")
                : Check.fail("bpffs", "no bpf filesystem in /proc/filesystems", "use a kernel built with CONFIG_BPF_SYSCALL"));
        return checks;
    }

    private record Run(Optional<String> error, String output) {
    }

    private static Run run(String image, boolean privileged) {
        DockerClient docker = DockerClientFactory.instance().client();
        String name = "masq-harness-doctor-" + UUID.randomUUID().toString().substring(0, 8);
        String id = null;
        try {
            id = docker.createContainerCmd(image).withName(name).withLabels(RunLabels.of(name))
                    .withHostConfig(HostConfig.newHostConfig().withPrivileged(privileged))
                    .withEntrypoint("sh", "-c").withCmd("grep -w bpf /proc/filesystems || true").exec().getId();
            docker.startContainerCmd(id).exec();
            Integer status = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(30, TimeUnit.SECONDS);
            StringBuilder out = new StringBuilder();
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                    com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                    out.append(new String(frame.getPayload()));
                }
            }).awaitCompletion(10, TimeUnit.SECONDS);
            return status != null && status == 0 ? new Run(Optional.empty(), out.toString())
                    : new Run(Optional.of("exit status " + status + ": " + out), out.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(Optional.of("interrupted"), "");
        } catch (RuntimeException e) {
            return new Run(Optional.of(String.valueOf(e.getMessage()).strip()), "");
        } finally {
            if (id != null) {
                try {
                    docker.removeContainerCmd(id).withForce(true).exec();
                } catch (RuntimeException ignored) {
                    // The next run's reaper removes a labelled leftover.
                }
            }
        }
    }

    /** Which node network a run would get: the scenario's when free, else the first free one of the pool. */
    static Check subnet(Cidr wanted, Cidr pool, List<Cidr> avoid) {
        List<Cidr> taken = new ArrayList<>(avoid);
        taken.addAll(FreeSubnetNetwork.dockerSubnets(DockerClientFactory.instance().client()));
        Optional<Cidr> free = FreeSubnetNetwork.candidates(wanted, pool).stream()
                .filter(c -> taken.stream().noneMatch(c::overlaps)).findFirst();
        if (free.isEmpty()) {
            return Check.fail("free subnet", "none of the candidates for " + wanted + " in " + pool + " is free",
                    "remove unused Docker networks (`docker network prune`) or set cluster.network.subnet to a free range");
        }
        return Check.pass("free subnet", free.get().equals(wanted) ? wanted + " (the scenario's) is free"
                : wanted + " is taken; a run would use " + free.get() + " (chosen at start)");
    }

    static List<Check> disk() {
        List<Check> checks = new ArrayList<>();
        String root = DockerClientFactory.instance().getInfo().getDockerRootDir();
        Path rootPath = root == null ? null : Path.of(root);
        checks.add(rootPath != null && Files.isDirectory(rootPath) ? space("disk (Docker)", rootPath, DOCKER_DISK,
                "the images and each node's copy of them")
                : Check.warn("disk (Docker)", "cannot tell: the engine's data root " + root + " is not on this machine",
                "make sure it has about " + DOCKER_DISK / GIB + " GiB free"));
        checks.add(space("disk (temporary)", Path.of(System.getProperty("java.io.tmpdir")), TEMP_DISK, "the image tars for the nodes"));
        return checks;
    }

    private static Check space(String name, Path path, long needed, String what) {
        try {
            long free = Files.getFileStore(path).getUsableSpace();
            String found = String.format("%.1f GiB free at %s (%s need about %d GiB)", free / (double) GIB, path, what, needed / GIB);
            return free >= needed ? Check.pass(name, found) : Check.fail(name, found, "free space at " + path);
        } catch (IOException e) {
            return Check.warn(name, "cannot tell: " + e.getMessage(), "make sure " + path + " has " + needed / GIB + " GiB free");
        }
    }

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    static int[] numbers(String version) {
        Matcher m = NUMBERS.matcher(version == null ? "" : version);
        if (!m.find()) {
            return new int[] {0, 0, 0};
        }
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) {
            n[i] = m.group(i + 1) == null ? 0 : Integer.parseInt(m.group(i + 1));
        }
        return n;
    }

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
