package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code cilium status [--verbose]} capture says about masquerading and the tuning toggles: the
 * {@code Masquerading:} line, the lines of {@link TuningStatus}, the agent's own state ({@code Cilium:   Ok   1.13.4 ...})
 * and the node's IPv4 pod CIDR (the IPAM line). Several {@code Masquerading:} lines that disagree (two nodes pasted
 * together, before and after) are reported as a problem and none is chosen. A capture of tuning lines only (a
 * {@code grep} of the status) is read, with a problem saying the Masquerading line is not in it.
 */
public record StatusCapture(Optional<MasqueradingStatus> masquerading, TuningStatus tuning, Optional<String> ciliumState,
                            Optional<String> podCidr, List<InputProblem> problems) {

    private static final Pattern CILIUM = Pattern.compile("^Cilium:\\s+(\\S+)");
    private static final Pattern IPAM = Pattern.compile("^IPAM:\\s+IPv4:\\s*\\d+/\\d+\\s+allocated from\\s+(\\d{1,3}(?:\\.\\d{1,3}){3}/\\d{1,2})");

    public StatusCapture {
        problems = List.copyOf(problems);
    }

    /**
     * @throws CiliumInputException when the capture has neither a {@code Masquerading:} line nor any tuning line
     */
    public static StatusCapture parse(String text) {
        List<InputProblem> problems = new ArrayList<>();
        List<MasqueradingStatus> found = new ArrayList<>();
        Optional<String> state = Optional.empty();
        Optional<String> podCidr = Optional.empty();
        List<PastedLine> lines = PastedLines.of(text);
        TuningLines tuningLines = new TuningLines(problems);
        Set<Integer> noted = new TreeSet<>();
        for (PastedLine line : lines) {
            if (MasqueradingStatus.isStatusLine(line)) {
                found.add(MasqueradingStatus.parseLine(line, problems));
                if (StatusLines.hasNote(line.text())) {
                    noted.add(line.number());
                }
            }
            tuningLines.accept(line);
            Matcher c = CILIUM.matcher(line.text());
            if (state.isEmpty() && c.find()) {
                state = Optional.of(c.group(1));
            }
            Matcher i = IPAM.matcher(line.text());
            if (podCidr.isEmpty() && i.find()) {
                podCidr = Optional.of(i.group(1));
            }
        }
        TuningStatus tuning = tuningLines.result();
        noted.addAll(tuningLines.notedLines());
        if (!noted.isEmpty()) {
            problems.add(InputProblem.at(noted.iterator().next(), "lines " + noted + " end in the author's notes ('# ...');"
                    + " read without them"));
        }
        if (found.isEmpty() && !tuningLines.readAny()) {
            throw new CiliumInputException(lines.isEmpty() ? 0 : lines.get(0).number(), "no 'Masquerading:' line"
                    + (lines.isEmpty() ? " (the capture is empty)" : " and none of the tuning lines (Host Routing, BandwidthManager,"
                    + " KubeProxyReplacement, ...), so this is not `cilium status` output of an agent that answered (first line: '"
                    + abbreviate(lines.get(0).text()) + "')"));
        }
        if (found.isEmpty()) {
            problems.add(InputProblem.at(0, "no 'Masquerading:' line: the capture shows tuning lines only (a filtered paste?),"
                    + " so the masquerading mode is not read from it"));
            return new StatusCapture(Optional.empty(), tuning, state, podCidr, problems);
        }
        List<String> distinct = found.stream().map(s -> s.label() + s.devices() + s.excludedCidrs() + s.ipv4() + s.ipv6())
                .distinct().toList();
        if (distinct.size() > 1) {
            problems.add(InputProblem.at(found.get(1).lineNumber(), found.size() + " Masquerading lines that disagree (lines "
                    + found.stream().map(s -> String.valueOf(s.lineNumber())).toList() + "): several nodes or several moments"
                    + " in one capture; none is judged. Capture one node's `cilium status`."));
            return new StatusCapture(Optional.empty(), tuning, state, podCidr, problems);
        }
        return new StatusCapture(Optional.of(found.get(0)), tuning, state, podCidr, problems);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
