package io.masqharness.cluster.docker;

import com.github.dockerjava.api.model.Capability;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.Host;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * A lab node or an external host: the probe image with only the capabilities the datapath needs
 * (all others dropped, not --privileged): NET_ADMIN for routes, NAT, VXLAN and conntrack; NET_RAW
 * for ping and tcpdump; SYS_ADMIN for network namespaces; SETGID for tcpdump (see {@link #ICMP_CAPTURE}). Sysctls are set at creation since
 * /proc/sys is read-only. It lives at most {@code lifetime}, whatever happens to the JVM that
 * started it.
 */
public final class ProbeHostContainer extends GenericContainer<ProbeHostContainer> implements Host {

    /** The capabilities lab containers keep; every other one is dropped. */
    public static final List<Capability> CAPABILITIES = List.of(Capability.NET_ADMIN, Capability.NET_RAW, Capability.SYS_ADMIN,
            Capability.SETGID);

    /**
     * Immediate mode: libpcap's block delivery would otherwise write the last echoes late. Debian's
     * tcpdump always resets its user and groups (SETGID); {@code -Z root} keeps it root, so that
     * {@code timeout} can still end it without CAP_KILL.
     */
    public static final String ICMP_CAPTURE = "tcpdump -i eth0 -n -l --immediate-mode -Z root icmp";
    /** ICMP, and ICMPv6 echo request and reply (types 128, 129) without neighbour discovery: a shell word for tcpdump. */
    public static final String ECHO_FILTER = "'icmp or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))'";
    /**
     * {@link #ICMP_CAPTURE} plus ICMPv6 echo request and reply (types 128 and 129), on a dual-stack
     * lab; neighbour discovery, also ICMPv6, stays out of the log.
     */
    public static final String ICMP_CAPTURE_DUAL_STACK = ICMP_CAPTURE.substring(0, ICMP_CAPTURE.length() - "icmp".length())
            + ECHO_FILTER;

    private final String hostName;
    private final Ipv4 fabricIp;
    private Ipv6 fabricIpv6;

    public ProbeHostContainer(String image, String hostName, Ipv4 fabricIp, Network network, Map<String, String> labels, Duration lifetime) {
        super(image);
        this.hostName = hostName;
        this.fabricIp = fabricIp;
        withNetwork(network);
        withNetworkAliases(hostName);
        withLabels(labels);
        withCommand("sleep", Long.toString(lifetime.toSeconds()));
        withCreateContainerCmdModifier(cmd -> {
            cmd.withName(labels.get(RunLabels.RUN) + "-" + hostName);
            cmd.withHostName(hostName);
            cmd.getHostConfig()
                    .withCapDrop(Capability.ALL)
                    .withCapAdd(CAPABILITIES.toArray(Capability[]::new))
                    // AppArmor's docker-default profile forbids the mounts `ip netns` makes; seccomp stays on.
                    .withSecurityOpts(List.of("apparmor=unconfined"))
                    .withSysctls(Map.of(
                            "net.ipv4.ip_forward", "1",
                            "net.ipv4.conf.all.rp_filter", "0",
                            "net.ipv4.conf.default.rp_filter", "0",
                            "net.ipv4.ping_group_range", "0 2147483647"));
        });
    }

    @Override
    public String name() {
        return hostName;
    }

    @Override
    public Ipv4 ip() {
        return fabricIp;
    }

    @Override
    public Optional<Ipv6> ipv6() {
        return Optional.ofNullable(fabricIpv6);
    }

    /**
     * A dual-stack host: IPv6 on (Docker may create containers with it off) and forwarded inside
     * the container's own network namespace (the host's sysctls stay as they are). The address
     * itself goes on the lab fabric, never on a Docker network.
     */
    public ProbeHostContainer withIpv6(Ipv6 address) {
        this.fabricIpv6 = address;
        return withCreateContainerCmdModifier(cmd -> {
            Map<String, String> sysctls = new HashMap<>(cmd.getHostConfig().getSysctls() == null ? Map.of() : cmd.getHostConfig().getSysctls());
            sysctls.put("net.ipv6.conf.all.disable_ipv6", "0");
            sysctls.put("net.ipv6.conf.default.disable_ipv6", "0");
            sysctls.put("net.ipv6.conf.all.forwarding", "1");
            cmd.getHostConfig().withSysctls(sysctls);
        });
    }

    /** The container's address on the Docker (underlay) network, which only carries the VXLAN fabric. */
    public String underlayIp() {
        return getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    @Override
    public io.masqharness.cluster.ExecResult exec(Duration timeout, String... command) {
        List<String> bounded = new ArrayList<>(List.of("timeout", "-k", "2", Long.toString(Math.max(1, timeout.toSeconds()))));
        bounded.addAll(List.of(command));
        try {
            var result = execInContainer(bounded.toArray(String[]::new));
            return new io.masqharness.cluster.ExecResult(result.getExitCode(), result.getStdout(), result.getStderr());
        } catch (IOException | RuntimeException e) {
            // A container that died answers with Docker's own error (409: not running); name the host with it.
            throw new ClusterException("exec " + String.join(" ", command), hostName, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("exec " + String.join(" ", command), hostName, e);
        }
    }

    public static String serveCommand(Duration lifetime) {
        return "probe serve --tcp-port " + io.masqharness.cluster.Cluster.TCP_PORT + " --udp-port "
                + io.masqharness.cluster.Cluster.UDP_PORT + " --max-seconds " + lifetime.toSeconds();
    }

    /** Pins the container's address on its Docker network (K3s nodes are named by their IPs in their flags). */
    public ProbeHostContainer withStaticIp(String ip) {
        return withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(ip));
    }

    /** Starts a command in the background, bounded by the container's lifetime, output to {@code log} and {@code log.err}. */
    public void background(String command, String log, Duration lifetime) {
        sh(Duration.ofSeconds(60), "nohup timeout " + lifetime.toSeconds() + " " + command + " > " + log + " 2> " + log
                + ".err < /dev/null &");
    }

    /** Runs a shell script, failing with its output when it fails. */
    public io.masqharness.cluster.ExecResult sh(Duration timeout, String script) {
        return run(timeout, "sh", "-ec", script);
    }
}
