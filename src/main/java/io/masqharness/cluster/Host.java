package io.masqharness.cluster;

import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.time.Duration;
import java.util.Optional;

/** A place commands run and packets come from: a node, a pod, or the external host. */
public interface Host {

    String name();

    Ipv4 ip();

    /** The host's IPv6 address on the node network, on a dual-stack cluster. */
    default Optional<Ipv6> ipv6() {
        return Optional.empty();
    }

    /**
     * Runs a command, bounded: the command is killed after {@code timeout} and the result then has
     * exit status {@link ExecResult#TIMED_OUT}.
     */
    ExecResult exec(Duration timeout, String... command);

    /** Like {@link #exec} but throws a {@link ClusterException} naming the command when it fails. */
    default ExecResult run(Duration timeout, String... command) {
        ExecResult r = exec(timeout, command);
        if (!r.ok()) {
            throw new ClusterException("run " + String.join(" ", command), name(), r.toString());
        }
        return r;
    }

    /** Starts a command in the background, bounded by {@code lifetime}, its output in {@code log} and {@code log.err}. */
    default void background(String command, String log, Duration lifetime) {
        run(Duration.ofSeconds(60), "sh", "-ec", "nohup timeout " + lifetime.toSeconds() + " " + command + " > " + log + " 2> "
                + log + ".err < /dev/null &");
    }
}
