package io.masqharness.cli;

import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import io.masqharness.scenario.DestinationSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code --destination NAME=IP}, repeated: the addresses a cluster's traffic goes to, as the user names them. */
final class DestinationOptions {

    private DestinationOptions() {
    }

    static List<DestinationSpec> parse(List<String> given, CommandSpec spec) {
        List<DestinationSpec> result = new ArrayList<>();
        for (String d : given) {
            int eq = d.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--destination '" + d + "' is not NAME=IP (e.g. public=198.51.100.7)");
            }
            String ip = d.substring(eq + 1).trim();
            try {
                result.add(new DestinationSpec(d.substring(0, eq).trim(), Ipv4.looksLikeIpv6(ip) ? Ipv6.parse(ip) : Ipv4.parse(ip)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--destination " + d + ": " + e.getMessage());
            }
        }
        return result;
    }
}
