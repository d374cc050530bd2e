package io.masqharness.cilium;

import io.masqharness.cilium.TuningStatus.BandwidthManager;
import io.masqharness.cilium.TuningStatus.BigTcp;
import io.masqharness.cilium.TuningStatus.HostRouting;
import io.masqharness.cilium.TuningStatus.Hubble;
import io.masqharness.cilium.TuningStatus.KubeProxyReplacement;
import io.masqharness.cilium.TuningStatus.KubeProxyReplacementMode;
import io.masqharness.cilium.TuningStatus.Network;
import io.masqharness.cilium.TuningStatus.NodePortMode;
import io.masqharness.cilium.TuningStatus.Printed;
import io.masqharness.cilium.TuningStatus.Routing;
import io.masqharness.cilium.TuningStatus.XdpAcceleration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tuning lines of a {@code cilium status [--verbose]} capture, line by line, into a {@link TuningStatus}.
 * The formats are those of {@code pkg/client/client.go} {@code FormatStatusResponse} (1.13 to 1.16): a value that
 * is not one of them is a problem and the field stays empty; the same line seen twice with different values (two
 * nodes in one paste) is a problem and neither is read.
 */
final class TuningLines {

    static final String KPR = "KubeProxyReplacement";
    static final String KPR_DETAILS = "KubeProxyReplacement Details";
    static final String HOST_ROUTING = "Host Routing";
    static final String ROUTING = "Routing";
    static final String ATTACH_MODE = "Attach Mode";
    static final String DEVICE_MODE = "Device Mode";
    static final String BANDWIDTH_MANAGER = "BandwidthManager";
    static final String IPV4_BIG_TCP = "IPv4 BIG TCP";
    static final String IPV6_BIG_TCP = "IPv6 BIG TCP";
    static final String HUBBLE = "Hubble";
    static final String XDP = "XDP Acceleration";
    static final String DSR_DISPATCH = "DSR Dispatch Mode";

    private static final StatusLines.Labels TOP = StatusLines.Labels.of(List.of(KPR, KPR_DETAILS, HOST_ROUTING, ROUTING, ATTACH_MODE,
            DEVICE_MODE, BANDWIDTH_MANAGER, IPV4_BIG_TCP, IPV6_BIG_TCP, HUBBLE, XDP, DSR_DISPATCH, "Masquerading"));
    /** Every label the verbose block prints, 1.13 to 1.16 (and its {@code Annotations:} list of later releases). */
    private static final List<String> DETAILS = List.of("Status", "Socket LB", "Socket LB Tracing", "Socket LB Coverage",
            "Socket LB Protocols", "Devices", "Mode", DSR_DISPATCH, "Backend Selection", "Session Affinity", "Graceful Termination",
            "NAT46/64 Support", XDP, "Services", "Annotations", "Prefixes");
    private static final Set<String> ATTACH_MODES = Set.of("TCX", "Legacy TC");
    private static final Set<String> DEVICE_MODES = Set.of("veth", "netkit", "netkit-l2");
    private static final Set<String> HUBBLE_STATES = Set.of("Ok", "Warning", "Failure", "Disabled");

    private static final Pattern ROUTING_VALUE = Pattern.compile("^Network:\\s*(\\w+)(?:\\s*\\[([^\\]]*)])?\\s+Host:\\s*(\\w+)$");
    private static final Pattern BANDWIDTH = Pattern.compile("^EDT with BPF\\s*(?:\\[([^\\]]*)]\\s*)?\\[([^\\]]*)]$");
    private static final Pattern BIG_TCP = Pattern.compile("^(Enabled|Disabled)(?:\\s*\\[\\s*(\\d{1,12})\\s*(?:,\\s*(\\d{1,12})\\s*)?])?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KPR_VALUE = Pattern.compile("^(\\S+)(?:\\s+\\[(.*)])?$");
    private static final Pattern DIRECT_ROUTING = Pattern.compile("\\(Direct Routing\\)");

    private final List<InputProblem> problems;
    private final Map<String, List<Found>> found = new LinkedHashMap<>();
    private final Set<Integer> noted = new TreeSet<>();
    private final Set<Integer> read = new TreeSet<>();
    private boolean inDetails;
    private Optional<KubeProxyReplacementMode> detailsStatus = Optional.empty();
    private int detailsStatusLine;
    private Optional<List<String>> detailsDevices = Optional.empty();
    private Optional<String> detailsDirectRouting = Optional.empty();

    private record Found(Object value, int line) {
    }

    TuningLines(List<InputProblem> problems) {
        this.problems = problems;
    }

    /** Reads one line of the capture, if it is one of the tuning lines. */
    void accept(PastedLine line) {
        if (inDetails && details(line)) {
            return;
        }
        inDetails = false;
        StatusLines.find(line, TOP).ifPresent(l -> top(l));
    }

    /** The line numbers that carried the author's trailing note. */
    Set<Integer> notedLines() {
        return noted;
    }

    /** Whether any tuning line was read. */
    boolean readAny() {
        return !read.isEmpty();
    }

    TuningStatus result() {
        Optional<Routing> routing = one(ROUTING, Routing.class);
        routing.ifPresent(r -> found.computeIfAbsent(HOST_ROUTING, k -> new ArrayList<>()).add(new Found(r.host(),
                first(ROUTING))));
        detailsStatus.ifPresent(mode -> found.computeIfAbsent(KPR, k -> new ArrayList<>()).add(new Found(
                new KubeProxyReplacement(mode, detailsDevices.orElse(List.of()), detailsDirectRouting), detailsStatusLine)));
        return new TuningStatus(kubeProxyReplacement(), one(HOST_ROUTING, HostRouting.class), routing,
                one(ATTACH_MODE, String.class), one(DEVICE_MODE, String.class), one(BANDWIDTH_MANAGER, BandwidthManager.class),
                one(IPV4_BIG_TCP, BigTcp.class), one(IPV6_BIG_TCP, BigTcp.class), one(HUBBLE, Hubble.class),
                one("Mode", NodePortMode.class), one(DSR_DISPATCH, String.class), one(XDP, XdpAcceleration.class));
    }

    private void top(StatusLines.Labelled l) {
        switch (l.label()) {
            case KPR_DETAILS -> inDetails = true;
            case KPR -> keep(l, kubeProxyReplacement(l));
            case HOST_ROUTING -> keep(l, word(l, HostRouting.class, "BPF or Legacy"));
            case ROUTING -> keep(l, routing(l));
            case ATTACH_MODE -> keep(l, known(l, ATTACH_MODES));
            case DEVICE_MODE -> keep(l, known(l, DEVICE_MODES));
            case BANDWIDTH_MANAGER -> keep(l, bandwidthManager(l));
            case IPV4_BIG_TCP, IPV6_BIG_TCP -> keep(l, bigTcp(l));
            case HUBBLE -> keep(l, hubble(l));
            case XDP -> keep(l, word(l, XdpAcceleration.class, "Native, Generic, Best-Effort or Disabled"));
            case DSR_DISPATCH -> keep(l, nonEmpty(l));
            default -> {
                // Masquerading: read by MasqueradingStatus; named here only so that it is not taken for another label.
            }
        }
    }

    /** A line of the verbose KubeProxyReplacement block; false when the block has ended. */
    private boolean details(PastedLine line) {
        Optional<StatusLines.Labelled> d = StatusLines.atStart(line, DETAILS);
        if (d.isEmpty()) {
            return StatusLines.isComment(line) || line.text().startsWith("-");
        }
        StatusLines.Labelled l = d.get();
        switch (l.label()) {
            case "Status" -> {
                detailsStatus = word(l, KubeProxyReplacementMode.class, "a KubeProxyReplacement mode");
                detailsStatusLine = line.number();
                note(l);
            }
            case "Devices" -> {
                detailsDevices = Optional.of(deviceNames(l.value()));
                detailsDirectRouting = directRouting(l.value());
                note(l);
            }
            case "Mode" -> keep(l, word(l, NodePortMode.class, "SNAT, DSR or Hybrid"));
            case XDP -> keep(l, word(l, XdpAcceleration.class, "Native, Generic, Best-Effort or Disabled"));
            case DSR_DISPATCH -> keep(l, nonEmpty(l));
            default -> {
                // Socket LB, Backend Selection, …: not a tuning toggle this harness checks.
            }
        }
        return true;
    }

    private void keep(StatusLines.Labelled l, Optional<?> value) {
        note(l);
        value.ifPresent(v -> found.computeIfAbsent(l.label(), k -> new ArrayList<>()).add(new Found(v, l.line().number())));
    }

    private void note(StatusLines.Labelled l) {
        read.add(l.line().number());
        if (l.noted()) {
            noted.add(l.line().number());
        }
    }

    private int first(String label) {
        return found.get(label).get(0).line();
    }

    private Optional<KubeProxyReplacement> kubeProxyReplacement() {
        List<Found> all = found.getOrDefault(KPR, List.of());
        if (all.stream().map(f -> ((KubeProxyReplacement) f.value()).mode()).distinct().count() > 1) {
            disagree(KPR, all);
            return Optional.empty();
        }
        return all.stream().findFirst().map(f -> (KubeProxyReplacement) f.value());
    }

    private <T> Optional<T> one(String label, Class<T> type) {
        List<Found> all = found.getOrDefault(label, List.of());
        if (all.stream().map(Found::value).distinct().count() > 1) {
            disagree(label, all);
            return Optional.empty();
        }
        return all.stream().findFirst().map(f -> type.cast(f.value()));
    }

    private void disagree(String label, List<Found> all) {
        problems.add(InputProblem.at(all.get(1).line(), all.size() + " '" + label + ":' lines that disagree (lines "
                + all.stream().map(Found::line).toList() + "): several nodes or several moments in one capture; none is read"));
    }

    private Optional<KubeProxyReplacement> kubeProxyReplacement(StatusLines.Labelled l) {
        Matcher m = KPR_VALUE.matcher(l.value());
        if (!m.matches()) {
            return unreadable(l, "a mode, then the devices in brackets");
        }
        Optional<KubeProxyReplacementMode> mode = Printed.of(KubeProxyReplacementMode.class, m.group(1));
        if (mode.isEmpty()) {
            return unreadable(l, "Strict, Partial, Probe, Disabled, True or False");
        }
        String devices = m.group(2) == null ? "" : m.group(2);
        return Optional.of(new KubeProxyReplacement(mode.get(), deviceNames(devices), directRouting(devices)));
    }

    /** {@code eth0 192.168.53.201 (Direct Routing), eth1 192.168.22.217}: the first word of each entry. */
    private static List<String> deviceNames(String devices) {
        List<String> names = new ArrayList<>();
        for (String entry : devices.split(",")) {
            String[] words = entry.strip().split("\\s+");
            if (!words[0].isEmpty()) {
                names.add(words[0]);
            }
        }
        return names;
    }

    private static Optional<String> directRouting(String devices) {
        for (String entry : devices.split(",")) {
            if (DIRECT_ROUTING.matcher(entry).find()) {
                return Optional.of(entry.strip().split("\\s+")[0]);
            }
        }
        return Optional.empty();
    }

    private Optional<Routing> routing(StatusLines.Labelled l) {
        Matcher m = ROUTING_VALUE.matcher(l.value());
        Optional<Network> network = m.matches() ? Printed.of(Network.class, m.group(1)) : Optional.empty();
        Optional<HostRouting> host = m.matches() ? Printed.of(HostRouting.class, m.group(3)) : Optional.empty();
        if (network.isEmpty() || host.isEmpty()) {
            return unreadable(l, "'Network: Native|Tunnel [protocol]   Host: BPF|Legacy'");
        }
        Optional<String> protocol = Optional.ofNullable(m.group(2)).map(String::strip).filter(p -> !p.isEmpty());
        return Optional.of(new Routing(network.get(), protocol, host.get()));
    }

    private Optional<BandwidthManager> bandwidthManager(StatusLines.Labelled l) {
        if (l.value().equalsIgnoreCase("Disabled")) {
            return Optional.of(new BandwidthManager(false, Optional.empty(), List.of()));
        }
        Matcher m = BANDWIDTH.matcher(l.value());
        if (!m.matches()) {
            return unreadable(l, "Disabled or 'EDT with BPF [congestion control] [devices]'");
        }
        List<String> devices = Arrays.stream(m.group(2).split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        return Optional.of(new BandwidthManager(true, Optional.ofNullable(m.group(1)).map(String::strip), devices));
    }

    private Optional<BigTcp> bigTcp(StatusLines.Labelled l) {
        Matcher m = BIG_TCP.matcher(l.value());
        if (!m.matches()) {
            return unreadable(l, "Disabled, Enabled, or Enabled with its sizes ('Enabled   [196608]')");
        }
        boolean enabled = m.group(1).equalsIgnoreCase("Enabled");
        if (!enabled && m.group(2) != null) {
            return unreadable(l, "no sizes after Disabled");
        }
        Optional<Long> first = Optional.ofNullable(m.group(2)).map(Long::parseLong);
        Optional<Long> second = Optional.ofNullable(m.group(3)).map(Long::parseLong);
        return Optional.of(new BigTcp(enabled, first, second.or(() -> first)));
    }

    private Optional<Hubble> hubble(StatusLines.Labelled l) {
        String state = l.value().split("\\s+", 2)[0];
        return HUBBLE_STATES.stream().filter(state::equalsIgnoreCase).findFirst().map(Hubble::new)
                .or(() -> unreadable(l, "Ok, Warning, Failure or Disabled first"));
    }

    private Optional<String> known(StatusLines.Labelled l, Set<String> values) {
        return values.stream().filter(l.value()::equalsIgnoreCase).findFirst().or(() -> unreadable(l, "one of " + new TreeSet<>(values)));
    }

    private Optional<String> nonEmpty(StatusLines.Labelled l) {
        return l.value().isEmpty() ? unreadable(l, "a value") : Optional.of(l.value());
    }

    private <E extends Enum<E> & Printed> Optional<E> word(StatusLines.Labelled l, Class<E> type, String expected) {
        return Printed.of(type, l.value()).or(() -> unreadable(l, expected));
    }

    private <T> Optional<T> unreadable(StatusLines.Labelled l, String expected) {
        problems.add(InputProblem.at(l.line().number(), "'" + l.label() + ": " + StatusCapture.abbreviate(l.value())
                + "' is not what Cilium prints there (expected " + expected + "); left out"));
        return Optional.empty();
    }
}
