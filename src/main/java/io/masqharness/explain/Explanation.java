package io.masqharness.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer for one flow, as printed by {@code explain --json}.
 *
 * @param statusFamilies the status line's {@code [IPv4: …, IPv6: …]}, on a dual-stack cluster (else absent)
 * @param ciliumVersion  the release whose rules answered ({@code cilium.version})
 * @param routing        the routing mode that release reads from the values
 * @param rules          the version rules the answer rests on, each with its source
 * @param unverified     why the answer is not settled, when it rests on an unsettled fact (else absent)
 * @param values         the Helm values that release refuses, ignores or deprecates (absent when none)
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
        String reason,
        String ciliumVersion,
        String routing,
        List<RuleRef> rules,
        String unverified,
        List<ValueRef> values) {
}
