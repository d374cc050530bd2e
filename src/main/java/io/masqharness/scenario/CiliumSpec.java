package io.masqharness.scenario;

import java.util.Map;
import java.util.Optional;

/**
 * @param version   the Cilium release the modes run on (a supported line: 1.13 to 1.16)
 * @param values    base Helm values, flattened to dotted keys
 * @param upgradeTo a newer release to upgrade to and run the modes again on ({@code helm upgrade --version})
 */
public record CiliumSpec(String version, Map<String, Object> values, Optional<String> upgradeTo) {
    public CiliumSpec {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    public CiliumSpec(String version, Map<String, Object> values) {
        this(version, values, Optional.empty());
    }
}
