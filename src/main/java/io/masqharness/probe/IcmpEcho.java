package io.masqharness.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ICMP or ICMPv6 echo line from {@code tcpdump -n -l}: {@code IP a > b: ICMP echo request, id 5,
 * seq 1, length 108} or {@code IP6 a > b: ICMP6, echo request, id 5, seq 1, length 108} (both
 * lengths are the ICMP header and payload).
 */
public record IcmpEcho(String source, String destination, boolean request, int id, int seq, int length, String line) {

    private static final Pattern LINE = Pattern.compile(
            "IP (\\d+\\.\\d+\\.\\d+\\.\\d+) > (\\d+\\.\\d+\\.\\d+\\.\\d+): ICMP echo (request|reply), id (\\d+), seq (\\d+), length (\\d+)"
            + "|IP6 ([0-9a-f:]+) > ([0-9a-f:]+): ICMP6, echo (request|reply), id (\\d+), seq (\\d+), length (\\d+)");

    public static List<IcmpEcho> parse(String capture) {
        List<IcmpEcho> result = new ArrayList<>();
        for (String line : capture.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                int g = m.group(1) != null ? 1 : 7;
                result.add(new IcmpEcho(m.group(g), m.group(g + 1), m.group(g + 2).equals("request"), Integer.parseInt(m.group(g + 3)),
                        Integer.parseInt(m.group(g + 4)), Integer.parseInt(m.group(g + 5)), line.strip()));
            }
        }
        return result;
    }
}
