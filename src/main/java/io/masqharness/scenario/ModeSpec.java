package io.masqharness.scenario;

import io.masqharness.oracle.IpMasqAgentFile;
import java.util.Map;
import java.util.Optional;

/**
 * @param values            Helm values applied on top of the base values (dotted keys)
 * @param ipMasqAgentConfig the ip-masq-agent ConfigMap the harness writes; empty means no ConfigMap
 */
public record ModeSpec(String name, Map<String, Object> values, Optional<IpMasqAgentFile.Present> ipMasqAgentConfig) {
    public ModeSpec {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
