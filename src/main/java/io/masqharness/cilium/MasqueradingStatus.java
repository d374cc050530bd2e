package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Masquerading:} line of {@code cilium status}. pkg/client prints
 * {@code MODE [\t[DEVICES]\tV4CIDR [V6CIDR]] [IPv4: X, IPv6: Y]} through a tabwriter, so between versions
 * the padding differs, the devices are joined by {@code ", "} (older) or {@code ","}, the family suffix is
 * missing (before 1.10), and with IPv4 off the v4 CIDR is empty:
 * {@code Masquerading:   BPF (ip-masq-agent)   [eth0, eth1]   10.0.0.0/16 [IPv4: Enabled, IPv6: Disabled]}. From 1.14
 * BPF masquerading covers IPv6 too ({@code [IPv4: Enabled, IPv6: Enabled]}), and later releases print the IPv6
 * exclusion CIDR after the IPv4 one. A trailing note of the paste's author ({@code ... IPv6: Disabled] # 表示...}) is
 * not part of the line.
 *
 * @param mode          {@code IPTables}, {@code BPF} or {@code Disabled}
 * @param devices       BPF only: the devices the masquerading program runs on, as printed
 * @param excludedCidrs every CIDR on the line, in order (the SNAT exclusion CIDRs, IPv4 and IPv6)
 * @param ipv4          empty when the line has no {@code [IPv4: ..., IPv6: ...]} part
 */
public record MasqueradingStatus(String mode, boolean ipMasqAgent, List<String> devices, List<String> excludedCidrs,
                                 Optional<Boolean> ipv4, Optional<Boolean> ipv6, String line, int lineNumber) {

    /** The label at the start, or after a prefix that ends in a separator ({@code node-1: }, {@code [pod/cilium-x] }, {@code # }). */
    private static final Pattern LABEL = Pattern.compile("^(?:.{0,200}?[\\s:>|#*$\\]-])?Masquerading:\\s*(.*)$");
    private static final Pattern FAMILIES = Pattern.compile(
            "\\[\\s*IPv4:\\s*(\\w+)\\s*,\\s*IPv6:\\s*(\\w+)\\s*]$", Pattern.CASE_INSENSITIVE);
    private static final Pattern MODE = Pattern.compile("^(IPTables|BPF|Disabled)(\\s*\\(ip-masq-agent\\))?(?=\\s|\\[|$)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DEVICES = Pattern.compile("^\\[([^\\]]*)]");

    public MasqueradingStatus {
        devices = List.copyOf(devices);
        excludedCidrs = List.copyOf(excludedCidrs);
    }

    /** The IPv4 SNAT exclusion CIDR, if the line shows one. */
    public Optional<String> exclusionCidr() {
        return excludedCidrs.stream().filter(c -> c.indexOf(':') < 0).findFirst();
    }

    /** How {@code cilium status} names the mode: {@code BPF (ip-masq-agent)} when the agent is on. */
    public String label() {
        return mode.equals("BPF") && ipMasqAgent ? "BPF (ip-masq-agent)" : mode;
    }

    /** Whether this line of a capture is a {@code Masquerading:} line (and not e.g. the BPF map row "IP masquerading agent"). */
    static boolean isStatusLine(PastedLine line) {
        return LABEL.matcher(line.text()).matches();
    }

    /** Parses one {@code Masquerading:} line; problems with parts of it go to {@code problems}. */
    static MasqueradingStatus parseLine(PastedLine line, List<InputProblem> problems) {
        Matcher label = LABEL.matcher(line.text());
        if (!label.matches()) {
            throw new CiliumInputException(line.number(), "not a Masquerading line: '" + line.text() + "'");
        }
        String rest = StatusLines.withoutNote(label.group(1)).strip();
        Optional<Boolean> ipv4 = Optional.empty();
        Optional<Boolean> ipv6 = Optional.empty();
        Matcher f = FAMILIES.matcher(rest);
        if (f.find()) {
            ipv4 = family(f.group(1), line, problems);
            ipv6 = family(f.group(2), line, problems);
            rest = rest.substring(0, f.start()).strip();
        }
        Matcher m = MODE.matcher(rest);
        if (!m.find()) {
            throw new CiliumInputException(line.number(), "unrecognised Masquerading line: '" + line.text()
                    + "' (expected IPTables, BPF, BPF (ip-masq-agent) or Disabled after 'Masquerading:')");
        }
        String mode = canonical(m.group(1));
        boolean agent = m.group(2) != null;
        rest = rest.substring(m.end()).strip();
        List<String> devices = new ArrayList<>();
        Matcher d = DEVICES.matcher(rest);
        if (d.find()) {
            Arrays.stream(d.group(1).split("[,\\s]+")).filter(s -> !s.isEmpty()).forEach(devices::add);
            rest = rest.substring(d.end()).strip();
        }
        List<String> cidrs = new ArrayList<>();
        for (String token : rest.isEmpty() ? new String[0] : rest.split("\\s+")) {
            if (Addresses.isCidr(token)) {
                cidrs.add(token);
            } else {
                problems.add(InputProblem.at(line.number(), "'" + token + "' on the Masquerading line is neither a"
                        + " device list nor a CIDR; left out"));
            }
        }
        if (!mode.equals("BPF") && (!devices.isEmpty() || !cidrs.isEmpty() || agent)) {
            problems.add(InputProblem.at(line.number(), "devices, CIDRs or ip-masq-agent shown with mode " + mode
                    + ": Cilium prints them for BPF only"));
        }
        return new MasqueradingStatus(mode, agent, devices, cidrs, ipv4, ipv6, line.text(), line.number());
    }

    private static String canonical(String mode) {
        return switch (mode.toLowerCase()) {
            case "iptables" -> "IPTables";
            case "bpf" -> "BPF";
            default -> "Disabled";
        };
    }

    private static Optional<Boolean> family(String word, PastedLine line, List<InputProblem> problems) {
        if (word.equalsIgnoreCase("Enabled") || word.equalsIgnoreCase("Disabled")) {
            return Optional.of(word.equalsIgnoreCase("Enabled"));
        }
        problems.add(InputProblem.at(line.number(), "family state '" + word + "' is neither Enabled nor Disabled"));
        return Optional.empty();
    }
}
