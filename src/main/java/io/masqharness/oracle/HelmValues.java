package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cilium Helm values as dotted keys ({@code bpf.masquerade}), the way {@code helm --set} spells
 * them. Later layers override earlier ones, as with {@code --reuse-values --set}.
 */
public final class HelmValues {

    private final Map<String, Object> values;

    private HelmValues(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static HelmValues of(Map<String, ?> dotted) {
        return new HelmValues(new LinkedHashMap<>(dotted));
    }

    public HelmValues with(Map<String, ?> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides);
        return new HelmValues(merged);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public boolean bool(String key, boolean defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new OracleException("Helm value " + key + "=" + v + " is not a boolean (true or false)");
    }

    public String string(String key, String defaultValue) {
        Object v = values.get(key);
        return v == null ? defaultValue : v.toString().trim();
    }

    public Optional<Cidr> cidr(String key) {
        return parsed(key, Cidr::parse);
    }

    public Optional<Cidr6> cidr6(String key) {
        return parsed(key, Cidr6::parse);
    }

    /** The value parsed, empty when absent or blank; a value that does not parse names its key. */
    private <T> Optional<T> parsed(String key, java.util.function.Function<String, T> parse) {
        Object v = values.get(key);
        if (v == null || v.toString().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(v.toString().trim()));
        } catch (IllegalArgumentException e) {
            throw new OracleException("Helm value " + key + ": " + e.getMessage());
        }
    }

    public Optional<List<?>> list(String key) {
        Object v = values.get(key);
        return v instanceof List<?> l ? Optional.of(l) : Optional.empty();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
