package io.masqharness.scenario;

import io.masqharness.latency.Comparison;
import io.masqharness.latency.MannWhitney;
import io.masqharness.latency.Metric;
import io.masqharness.latency.StreamTrial;
import io.masqharness.net.Family;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The scenario's {@code latency} block: kinds, rate, duration, trials, the regression test's settings and families. */
final class LatencySection {

    private static final List<String> LATENCY = List.of("kinds", "rate", "duration", "warmup", "trials", "regression", "families",
            "streams");
    private static final List<String> REGRESSION = List.of("minEffect", "alpha", "gate");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m|h)");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(\\.\\d+)?)%");

    private LatencySection() {
    }

    static Optional<LatencySpec> read(Field field, ClusterSpec cluster, List<DestinationSpec> destinations) {
        if (!field.mapping(LATENCY, "a mapping with kinds, rate, duration, trials, regression")) {
            return Optional.empty();
        }
        List<String> kinds = new ArrayList<>();
        Field k = field.child("kinds");
        if (k.present()) {
            for (Field item : k.list("a list of " + LatencySpec.KINDS)) {
                item.text("one of " + LatencySpec.KINDS).ifPresent(kind -> {
                    if (LatencySpec.KINDS.contains(kind)) {
                        kinds.add(kind);
                    } else {
                        item.unexpected("one of " + LatencySpec.KINDS
                                + Field.suggestion(kind, LatencySpec.KINDS).map(s -> " (did you mean '" + s + "'?)").orElse(""));
                    }
                });
            }
        } else {
            kinds.addAll(List.of("tcp-rr", "tcp-crr"));
        }
        int rate = field.child("rate").present() ? field.child("rate").integer(1, 100_000, "requests per second").orElse(1000) : 1000;
        Duration duration = field.child("duration").present()
                ? duration(field.child("duration")).orElse(Duration.ofSeconds(10)) : Duration.ofSeconds(10);
        Duration warmup = field.child("warmup").present()
                ? duration(field.child("warmup")).orElse(LatencySpec.WARMUP) : LatencySpec.WARMUP;
        Field t = field.child("trials");
        int trials = t.present() ? t.integer(1, 100, "trials per mode").orElse(-1) : 5;
        double minEffect = 0.05;
        double alpha = 0.01;
        List<String> gate = kinds.contains(StreamTrial.KIND) ? List.of("p50", "p99", "goodput") : Metric.LATENCY;
        Field r = field.child("regression");
        if (r.present() && r.mapping(REGRESSION, "a mapping with minEffect, alpha and gate")) {
            Field m = r.child("minEffect");
            if (m.present()) {
                minEffect = percent(m).orElse(minEffect);
            }
            Field a = r.child("alpha");
            if (a.present()) {
                if (!a.node().isNumber() || a.node().doubleValue() <= 0 || a.node().doubleValue() > 0.5) {
                    a.unexpected("a significance level above 0 and at most 0.5, e.g. 0.01");
                } else {
                    alpha = a.node().doubleValue();
                }
            }
            Field g = r.child("gate");
            if (g.present()) {
                gate = gate(g, kinds);
            }
        }
        int needed = MannWhitney.trialsNeeded(alpha);
        if (trials > 0 && trials < needed) {
            t.problem((t.present() ? "found " + trials : "the default of " + trials) + " trials per mode, expected at least " + needed
                    + " for alpha " + alpha + ": with " + trials + " trials against " + trials + " the exact Mann-Whitney U test"
                    + " cannot go below p = " + Comparison.digits(MannWhitney.smallestPValue(trials, trials))
                    + ", so no regression could ever be found");
        }
        int streams = streams(field, kinds, duration);
        List<Family> families = field.child("families").present()
                ? latencyFamilies(field.child("families"), cluster, destinations) : List.of(Family.IPV4);
        return Optional.of(new LatencySpec(kinds, rate, duration, Math.max(trials, 1), minEffect, alpha, gate, families, warmup, streams));
    }

    /**
     * {@code latency.streams} (tcp-stream's parallel streams, 1..8, default 1), and tcp-stream's duration: iperf3 takes
     * whole seconds ({@code -t 0.5} would be read as 0, which runs until killed).
     */
    private static int streams(Field field, List<String> kinds, Duration duration) {
        boolean stream = kinds.contains(StreamTrial.KIND);
        Field s = field.child("streams");
        int streams = 1;
        if (s.present()) {
            if (!stream) {
                s.problem("streams is the number of parallel tcp-stream connections, but kinds does not list tcp-stream");
            } else {
                streams = s.integer(1, LatencySpec.MAX_STREAMS, "parallel TCP streams per tcp-stream measurement").orElse(1);
            }
        }
        if (stream && (duration.toMillis() % 1000 != 0)) {
            field.child("duration").problem("found " + duration.toMillis() + "ms, expected whole seconds such as 1s or 10s: tcp-stream"
                    + " runs iperf3, whose -t takes whole seconds");
        }
        return streams;
    }

    /** {@code latency.families}: which families to measure, each needing a destination of its own (latency runs to the first). */
    private static List<Family> latencyFamilies(Field field, ClusterSpec cluster, List<DestinationSpec> destinations) {
        List<Family> families = new ArrayList<>();
        for (Field item : field.list("a list of address families, e.g. [ipv4, ipv6]")) {
            ScenarioLoader.family(item).ifPresent(f -> {
                if (families.contains(f)) {
                    item.problem("family '" + f.label() + "' is listed twice");
                } else if (f == Family.IPV6 && !cluster.dualStack()) {
                    item.unexpected("ipv4: the cluster is IPv4-only (IPv6 latency needs cluster.network.subnetV6 and cluster.podCIDRv6)");
                } else if (destinations.stream().noneMatch(d -> d.family() == f)) {
                    item.problem("no " + f.label() + " destination to measure " + f.label() + " latency against; add one to destinations");
                } else {
                    families.add(f);
                }
            });
        }
        if (field.node().isArray() && field.node().isEmpty()) {
            field.unexpected("at least one family, e.g. [ipv4] (omit the key for IPv4 only)");
        }
        return families;
    }

    private static List<String> gate(Field field, List<String> kinds) {
        String expected = "a list of the metrics a regression of fails the run, from " + LatencySpec.METRICS;
        List<String> gate = new ArrayList<>();
        for (Field item : field.list(expected)) {
            item.text("one of " + LatencySpec.METRICS).ifPresent(metric -> {
                if (!LatencySpec.METRICS.contains(metric)) {
                    item.unexpected("one of " + LatencySpec.METRICS);
                } else if (Metric.THROUGHPUT.contains(metric) && !kinds.contains(StreamTrial.KIND)) {
                    item.problem("metric '" + metric + "' is tcp-stream's, but kinds does not list tcp-stream");
                } else if (gate.contains(metric)) {
                    item.problem("metric '" + metric + "' is listed twice");
                } else {
                    gate.add(metric);
                }
            });
        }
        if (field.node().isArray() && field.node().isEmpty()) {
            field.unexpected("at least one metric: a latency block whose regressions fail nothing is not a gate");
        }
        return gate;
    }

    private static Optional<Duration> duration(Field field) {
        String expected = "a duration from 100ms to 1h such as 500ms, 10s, 2m";
        String text = field.node().isTextual() ? field.node().textValue().trim() : null;
        var m = text == null ? null : DURATION.matcher(text);
        if (m == null || !m.matches()) {
            field.unexpected(expected + (field.node().isNumber() ? " (a unit is required)" : ""));
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
            field.unexpected(expected);
            return Optional.empty();
        }
        return Optional.of(d);
    }

    private static Optional<Double> percent(Field field) {
        String expected = "an effect-size floor such as 5% (or 0.05), between 0% and 100%";
        double value;
        if (field.node().isNumber()) {
            value = field.node().doubleValue();
        } else if (field.node().isTextual() && PERCENT.matcher(field.node().textValue().trim()).matches()) {
            var m = PERCENT.matcher(field.node().textValue().trim());
            m.matches();
            value = Double.parseDouble(m.group(1)) / 100;
        } else {
            field.unexpected(expected);
            return Optional.empty();
        }
        if (value <= 0 || value >= 1) {
            field.unexpected(expected);
            return Optional.empty();
        }
        return Optional.of(value);
    }
}
