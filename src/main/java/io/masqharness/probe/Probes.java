package io.masqharness.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.net.Ipv6;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the probe agent and ping from a pod, bounded in count and time. A probe that cannot run at
 * all (its host is gone, the exec fails) yields unanswered results carrying the error, so the
 * caller can judge, retry and report it like any unanswered flow.
 */
public final class Probes {

    public static final int COUNT = 2;
    /** How often a flow that got no answer where one was expected is probed again; every retry is reported. */
    public static final int RETRIES = 2;
    public static final int TIMEOUT_MS = 1000;
    /** ICMP payload sizes start here; each flow of a batch gets its own, to find it in captures. */
    public static final int FIRST_PAYLOAD = 100;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PING = Pattern.compile("@@ (\\S+) (\\d+) rc=(\\d+)");

    private Probes() {
    }

    /** One {@code probe snat} run for all targets over one protocol. */
    public static Map<String, SnatAnswer> snat(Host pod, List<String> targets, String protocol) {
        int port = protocol.equals("tcp") ? Cluster.TCP_PORT : Cluster.UDP_PORT;
        Duration bound = Duration.ofMillis((long) targets.size() * COUNT * TIMEOUT_MS * 2 + 15_000);
        ExecResult r;
        try {
            r = pod.exec(bound, "probe", "snat", "--targets", String.join(",", targets), "--port", Integer.toString(port),
                "--protocol", protocol, "--count", Integer.toString(COUNT), "--timeout-ms", Integer.toString(TIMEOUT_MS));
        } catch (RuntimeException e) {
            r = new ExecResult(-1, "", "the probe could not run: " + e.getMessage());
        }
        Map<String, SnatAnswer> answers = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("{")) {
                try {
                    SnatAnswer a = JSON.readValue(line, SnatAnswer.class);
                    answers.put(a.target(), new SnatAnswer(a.target(), a.port(), a.protocol(), a.sent(), a.received(),
                            a.observed() == null ? List.of() : a.observed().stream().map(Probes::canonical).toList(), a.answers(), a.error()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("unreadable probe answer from " + pod.name() + ": " + line, e);
                }
            }
        }
        for (String t : targets) {
            answers.putIfAbsent(t, new SnatAnswer(t, port, protocol, COUNT, 0, List.of(), List.of(),
                    "no answer line from the probe: " + r));
        }
        return answers;
    }

    /**
     * An address as the oracle and tcpdump print it: Java writes IPv6 peers uncompressed
     * ({@code fd00:0:0:0:0:0:0:a}), RFC 5952 says {@code fd00::a}. Text that is no plain address is kept as it is.
     */
    static String canonical(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            return Ipv6.parse(address).toString();
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    /**
     * One echo request per target, each with its own payload size. Exit status 1 is ping's "no
     * reply"; anything else, or a ping that could not run, is carried as the error.
     */
    public static Map<String, PingAnswer> ping(Host pod, Map<String, Integer> payloadByTarget) {
        StringBuilder script = new StringBuilder();
        payloadByTarget.forEach((target, size) -> script.append("ping -n -c 1 -W 1 -s ").append(size).append(' ').append(target)
                .append(" >/dev/null 2>&1; echo \"@@ ").append(target).append(' ').append(size).append(" rc=$?\"\n"));
        Map<String, PingAnswer> answers = new LinkedHashMap<>();
        ExecResult r;
        try {
            r = pod.exec(Duration.ofSeconds(payloadByTarget.size() * 3L + 10), "sh", "-c", script.toString());
        } catch (RuntimeException e) {
            payloadByTarget.keySet().forEach(t -> answers.put(t, new PingAnswer(false, "ping could not run: " + e.getMessage())));
            return answers;
        }
        Matcher m = PING.matcher(r.stdout());
        while (m.find()) {
            String rc = m.group(3);
            answers.put(m.group(1), rc.equals("0") ? new PingAnswer(true, null)
                    : rc.equals("1") ? PingAnswer.NO_REPLY : new PingAnswer(false, "ping exited " + rc));
        }
        payloadByTarget.keySet().forEach(t -> answers.putIfAbsent(t, new PingAnswer(false, "no result line from ping: " + r)));
        return answers;
    }
}
