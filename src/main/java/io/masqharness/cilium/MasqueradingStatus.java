package io.masqharness.cilium;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Masquerading:} line of {@code cilium status} (Cilium 1.13, tabwriter-aligned), e.g.
 * {@code Masquerading:   BPF (ip-masq-agent)   [eth0]   10.0.1.0/24 [IPv4: Enabled, IPv6: Disabled]}.
 *
 * @param mode          {@code IPTables}, {@code BPF} or {@code Disabled}
 * @param devices       BPF only: the devices masquerading runs on
 * @param exclusionCidr BPF only: the SNAT exclusion CIDR
 */
public record MasqueradingStatus(String mode, boolean ipMasqAgent, List<String> devices, Optional<String> exclusionCidr,
                                 Optional<Boolean> ipv4, Optional<Boolean> ipv6, String line) {

    private static final Pattern LINE = Pattern.compile("^\\s*Masquerading:\\s+(.*?)\\s*$", Pattern.MULTILINE);
    private static final Pattern FAMILIES = Pattern.compile("\\[IPv4:\\s*(Enabled|Disabled),\\s*IPv6:\\s*(Enabled|Disabled)\\]\\s*$");
    private static final Pattern BPF = Pattern.compile("^BPF(\\s+\\(ip-masq-agent\\))?\\s+\\[([^\\]]*)\\]\\s+(\\S+)$");

    /** Finds and parses the line in {@code cilium status} output; empty when there is none. */
    public static Optional<MasqueradingStatus> parse(String statusOutput) {
        Matcher m = LINE.matcher(statusOutput);
        if (!m.find()) {
            return Optional.empty();
        }
        String line = m.group(0).strip();
        String rest = m.group(1);
        Optional<Boolean> ipv4 = Optional.empty();
        Optional<Boolean> ipv6 = Optional.empty();
        Matcher f = FAMILIES.matcher(rest);
        if (f.find()) {
            ipv4 = Optional.of(f.group(1).equals("Enabled"));
            ipv6 = Optional.of(f.group(2).equals("Enabled"));
            rest = rest.substring(0, f.start()).strip();
        }
        if (rest.equals("IPTables") || rest.equals("Disabled")) {
            return Optional.of(new MasqueradingStatus(rest, false, List.of(), Optional.empty(), ipv4, ipv6, line));
        }
        Matcher b = BPF.matcher(rest);
        if (b.matches()) {
            List<String> devices = Arrays.stream(b.group(2).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            return Optional.of(new MasqueradingStatus("BPF", b.group(1) != null, devices, Optional.of(b.group(3)), ipv4, ipv6, line));
        }
        throw new IllegalArgumentException("unrecognised Masquerading line: '" + line + "'");
    }
}
