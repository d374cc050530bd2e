package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code cilium bpf ipmasq list}: the prefixes in cilium_ipmasq_v4 in the order printed (the map is an LPM
 * trie, so the order is not sorted), or why there are none. The header {@code IP PREFIX/ADDRESS} and the
 * rows carry trailing spaces; an empty map prints {@code No entries found.} on stderr, so an empty stdout
 * is an empty map too; a missing map prints {@code error dumping contents of map} and exits 1.
 */
public record IpMasqMap(State state, List<String> cidrs, List<InputProblem> problems) {

    public enum State { ENTRIES, EMPTY, MAP_ABSENT }

    private static final String HEADER = "IP PREFIX/ADDRESS";
    private static final String EMPTY_MESSAGE = "No entries found";
    private static final String ABSENT_MESSAGE = "error dumping contents of map";

    public IpMasqMap {
        cidrs = List.copyOf(cidrs);
        problems = List.copyOf(problems);
    }

    /** Live output: a failure that is not the missing-map message is unreadable, not an empty map. */
    public static IpMasqMap parse(int exitCode, String stdout, String stderr) {
        if (exitCode != 0 && !(stderr + stdout).contains(ABSENT_MESSAGE)) {
            throw new CiliumInputException(0, "cilium bpf ipmasq list failed (exit " + exitCode + "): " + stderr.strip());
        }
        return parse(stdout + "\n" + stderr);
    }

    /** A capture of stdout, or of stdout and stderr together. */
    public static IpMasqMap parse(String text) {
        List<String> cidrs = new ArrayList<>();
        List<InputProblem> problems = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        boolean absent = false;
        boolean recognised = false;
        int firstUnknown = 0;
        for (PastedLine line : PastedLines.of(text)) {
            String first = line.text().split("\\s+", 2)[0];
            if (line.text().startsWith(HEADER) || line.text().startsWith(EMPTY_MESSAGE)) {
                recognised = true;
            } else if (line.text().contains(ABSENT_MESSAGE)) {
                absent = recognised = true;
            } else if (Addresses.isCidr(first)) {
                recognised = true;
                cidrs.add(first);
                if (!first.equals(line.text())) {
                    problems.add(InputProblem.at(line.number(), "'" + StatusCapture.abbreviate(line.text())
                            + "': only the prefix is read, the rest is not what ipmasq list prints"));
                }
            } else if (!PastedLines.isPromptOrComment(line.text())) {
                firstUnknown = firstUnknown == 0 ? line.number() : firstUnknown;
                unknown.add(line.text());
                problems.add(InputProblem.at(line.number(), "not a line of `cilium bpf ipmasq list`: '"
                        + StatusCapture.abbreviate(line.text()) + "'; left out"));
            }
        }
        if (!recognised && !unknown.isEmpty()) {
            throw new CiliumInputException(firstUnknown, "not `cilium bpf ipmasq list` output (no '" + HEADER
                    + "' header, prefix, or '" + EMPTY_MESSAGE + ".'): '" + StatusCapture.abbreviate(unknown.get(0)) + "'");
        }
        if (absent && !cidrs.isEmpty()) {
            problems.add(InputProblem.at(0, "the capture shows both prefixes and '" + ABSENT_MESSAGE + "'"));
        }
        State state = !cidrs.isEmpty() ? State.ENTRIES : absent ? State.MAP_ABSENT : State.EMPTY;
        return new IpMasqMap(state, cidrs, problems);
    }
}
