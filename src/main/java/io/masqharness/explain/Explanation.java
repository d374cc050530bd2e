package io.masqharness.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer for one flow, as printed by {@code explain --json}.
 *
 * @param statusFamilies the status line's {@code [IPv4: …, IPv6: …]}, on a dual-stack cluster (else absent)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(
        String scenario,
        String mode,
        String from,
        String to,
        String destination,
        String protocol,
        String effectiveMode,
        boolean requestedBpf,
        boolean ipMasqAgent,
        List<String> ipMasqAgentCidrs,
        String fallback,
        String expectedStatus,
        String statusFamilies,
        String source,
        String sourceAddress,
        String reason) {
}
