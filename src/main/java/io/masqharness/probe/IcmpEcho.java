package io.masqharness.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An ICMP echo line from {@code tcpdump -n -l icmp}. */
public record IcmpEcho(String source, String destination, boolean request, int id, int seq, int length, String line) {

    private static final Pattern LINE = Pattern.compile(
            "IP (\\d+\\.\\d+\\.\\d+\\.\\d+) > (\\d+\\.\\d+\\.\\d+\\.\\d+): ICMP echo (request|reply), id (\\d+), seq (\\d+), length (\\d+)");

    public static List<IcmpEcho> parse(String capture) {
        List<IcmpEcho> result = new ArrayList<>();
        for (String line : capture.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                result.add(new IcmpEcho(m.group(1), m.group(2), m.group(3).equals("request"), Integer.parseInt(m.group(4)),
                        Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), line.strip()));
            }
        }
        return result;
    }
}
