package io.masqharness.scenario;

import io.masqharness.oracle.IpMasqAgentFile;
import java.util.Map;
import java.util.Optional;

/**
 * @param values            Helm values applied on top of the base values (dotted keys)
 * @param ipMasqAgentConfig the ip-masq-agent config file of the mode: a parsed file (scenarios), or a
 *                          zero-length one (read from a cluster); empty means none is given (see
 *                          {@link ScenarioFacts#ipMasqAgentFile})
 */
public record ModeSpec(String name, Map<String, Object> values, Optional<IpMasqAgentFile> ipMasqAgentConfig) {
    public ModeSpec {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        if (ipMasqAgentConfig.filter(IpMasqAgentFile.Absent.class::isInstance).isPresent()) {
            throw new IllegalArgumentException("an absent config file is Optional.empty(), not " + ipMasqAgentConfig.get());
        }
    }
}
