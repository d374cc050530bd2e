package io.masqharness.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * A position in a scenario document: the node found there, its path ({@code modes[2].values}) and
 * the list problems are recorded into. Accessors return empty after recording a problem, so the
 * loader keeps going and reports every problem of a file at once.
 */
final class Field {


    private final JsonNode node;
    private final String path;
    private final Path file;
    private final List<ScenarioException.Problem> problems;

    Field(JsonNode node, String path, Path file, List<ScenarioException.Problem> problems) {
        this.node = node;
        this.path = path;
        this.file = file;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    JsonNode node() {
        return node;
    }

    boolean present() {
        return node != null && !node.isMissingNode();
    }

    Field child(String key) {
        return new Field(node == null ? null : node.get(key), path.isEmpty() ? key : path + "." + key, file, problems);
    }

    void problem(String message) {
        problems.add(new ScenarioException.Problem(file, path, message));
    }

    void unexpected(String expected) {
        problem("found " + describe(node) + ", expected " + expected);
    }

    void required(String expected) {
        problem("missing, expected " + expected);
    }

    /** Checks this is a mapping whose keys are all in {@code allowed}; unknown keys get a suggestion. */
    boolean mapping(Collection<String> allowed, String expected) {
        if (!present() || !node.isObject()) {
            unexpected(expected);
            return false;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                child(key).problem("unknown key '" + key + "'" + suggestion(key, allowed)
                        .map(s -> " (did you mean '" + s + "'?)").orElse(" (valid keys: " + String.join(", ", allowed) + ")"));
            }
        }
        return true;
    }

    static Optional<String> suggestion(String key, Collection<String> candidates) {
        return suggestion(key, candidates, 3);
    }

    /** The candidate nearest to {@code key} (case-insensitive edit distance), if within {@code maxDistance}. */
    static Optional<String> suggestion(String key, Collection<String> candidates, int maxDistance) {
        LevenshteinDistance distance = new LevenshteinDistance(maxDistance);
        return candidates.stream()
                .filter(c -> distance.apply(key.toLowerCase(), c.toLowerCase()) >= 0)
                .min(Comparator.comparingInt(c -> distance.apply(key.toLowerCase(), c.toLowerCase())));
    }

    List<Field> list(String expected) {
        if (!present() || !node.isArray()) {
            unexpected(expected);
            return List.of();
        }
        List<Field> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            items.add(new Field(node.get(i), path + "[" + i + "]", file, problems));
        }
        return items;
    }

    List<Map.Entry<String, Field>> entries() {
        List<Map.Entry<String, Field>> result = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> result.add(Map.entry(k, child(k))));
        return result;
    }

    Optional<String> text(String expected) {
        if (!present() || !node.isTextual() || node.textValue().isBlank()) {
            unexpected(expected);
            return Optional.empty();
        }
        return Optional.of(node.textValue().trim());
    }

    Optional<String> textOr(String defaultValue, String expected) {
        return present() ? text(expected) : Optional.of(defaultValue);
    }

    Optional<Integer> integer(int min, int max, String what) {
        String expected = what + ", a whole number " + min + ".." + max;
        if (!present() || !node.isIntegralNumber() || !node.canConvertToInt()) {
            unexpected(expected);
            return Optional.empty();
        }
        int value = node.intValue();
        if (value < min || value > max) {
            unexpected(expected);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Optional<Boolean> bool() {
        if (present() && node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (present() && node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
            return Optional.of(Boolean.parseBoolean(node.textValue()));
        }
        unexpected("true or false");
        return Optional.empty();
    }

    Optional<Cidr> cidr() {
        return parsed(Cidr::parse, "an IPv4 CIDR such as 10.0.0.0/8");
    }

    Optional<Cidr6> cidr6() {
        return parsed(Cidr6::parse, "an IPv6 CIDR such as fd00:42::/56");
    }

    Optional<Ipv6> ipv6() {
        return parsed(Ipv6::parse, "an IPv6 address such as fd00:28::11");
    }

    /** An IPv4 or an IPv6 address: the text decides (a ':' makes it IPv6). */
    Optional<IpAddress> ipAddress(String expected) {
        return parsed(IpAddress::parse, expected);
    }

    Optional<Ipv4> ipv4() {
        return parsed(Ipv4::parse, "an IPv4 address such as 192.168.77.10");
    }

    private <T> Optional<T> parsed(java.util.function.Function<String, T> parser, String expected) {
        if (!present() || !node.isTextual()) {
            unexpected(expected);
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(node.textValue().trim()));
        } catch (IllegalArgumentException e) {
            problem("found " + describe(node) + ", expected " + expected + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "an empty value (null)";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            String t = node.textValue();
            return "\"" + (t.length() > 60 ? t.substring(0, 60) + "…" : t) + "\"";
        }
        return node.asText();
    }
}
