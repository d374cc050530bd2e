package io.masqharness.scenario;

import java.util.Map;

/** @param values base Helm values, flattened to dotted keys */
public record CiliumSpec(String version, Map<String, Object> values) {
    public CiliumSpec {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
