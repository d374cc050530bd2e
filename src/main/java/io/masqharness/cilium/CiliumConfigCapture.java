package io.masqharness.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code cilium-config} ConfigMap as captured: {@code kubectl get cm cilium-config -o yaml|json}, its
 * {@code data} alone ({@code jq .data}), {@code kubectl describe cm}, or the {@code KEY  VALUE} columns of
 * {@code cilium config view}. Every key present is kept with its value as a string; absent keys stay absent.
 */
public record CiliumConfigCapture(Map<String, String> data, List<InputProblem> problems) {

    private static final Pattern COLUMN = Pattern.compile("^([a-z0-9][a-z0-9._-]*)(?:\\s+(.*))?$");

    public CiliumConfigCapture {
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
        problems = List.copyOf(problems);
    }

    public static CiliumConfigCapture parse(String text) {
        if (PastedLines.of(text).isEmpty()) {
            throw new CiliumInputException(0, "the capture is empty");
        }
        List<InputProblem> problems = new ArrayList<>();
        Optional<JsonNode> doc = StructuredText.read(text, problems);
        if (doc.isPresent()) {
            return new CiliumConfigCapture(fromDocument(doc.get(), problems), problems);
        }
        Optional<DescribedConfigMap> described = DescribedConfigMap.parse(text);
        if (described.isPresent()) {
            return new CiliumConfigCapture(described(described.get(), problems), problems);
        }
        return new CiliumConfigCapture(columns(text, problems), problems);
    }

    private static Map<String, String> fromDocument(JsonNode doc, List<InputProblem> problems) {
        JsonNode n = doc;
        if (n.isArray() || n.path("items").isArray()) {
            JsonNode items = n.isArray() ? n : n.path("items");
            JsonNode chosen = null;
            for (JsonNode item : items) {
                if ("cilium-config".equals(item.path("metadata").path("name").asText()) || chosen == null && item.has("data")) {
                    chosen = item;
                }
            }
            if (chosen == null) {
                throw new CiliumInputException(0, "a list without a ConfigMap named cilium-config");
            }
            n = chosen;
        }
        if (n.has("data") || n.has("kind") || n.has("apiVersion")) {
            String name = n.path("metadata").path("name").asText("");
            if (!name.isEmpty() && !name.equals("cilium-config")) {
                problems.add(InputProblem.at(0, "the ConfigMap is named '" + name + "', not cilium-config"));
            }
            if (!n.path("data").isObject()) {
                problems.add(InputProblem.at(0, "the ConfigMap has no data: no key is known"));
                return Map.of();
            }
            n = n.path("data");
        }
        if (!n.isObject()) {
            throw new CiliumInputException(0, "not a cilium-config ConfigMap or its data (a YAML/JSON list)");
        }
        if (n.size() == 1 && n.elements().next().isObject()) {
            String heading = n.fieldNames().next();
            problems.add(InputProblem.at(0, "read the keys under '" + heading + "' as cilium-config's data"));
            n = n.elements().next();
        }
        Map<String, String> data = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isContainerNode()) {
                throw new CiliumInputException(0, "key '" + e.getKey() + "' holds a " + (e.getValue().isArray() ? "list" : "mapping")
                        + ": ConfigMap data holds strings, so this is not cilium-config (Helm values? capture"
                        + " `kubectl -n kube-system get cm cilium-config -o yaml`)");
            }
            data.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                problems.add(InputProblem.at(0, "'" + e.getKey() + "' is an unquoted " + e.getValue().getNodeType().name()
                        .toLowerCase() + " (" + e.getValue().asText() + "); read as the string Kubernetes would refuse to store"));
            }
        }
        return data;
    }

    /** {@code kubectl describe cm}: each value's lines without their indentation (cilium-config values are single words). */
    private static Map<String, String> described(DescribedConfigMap d, List<InputProblem> problems) {
        if (!d.name().isEmpty() && !d.name().equals("cilium-config")) {
            problems.add(InputProblem.at(0, "the ConfigMap is named '" + d.name() + "', not cilium-config"));
        }
        if (d.data().isEmpty()) {
            problems.add(InputProblem.at(0, "the ConfigMap has no data: no key is known"));
        }
        Map<String, String> data = new LinkedHashMap<>();
        d.data().forEach((k, v) -> data.put(k, String.join("\n", v.lines().map(String::strip).toList()).strip()));
        return data;
    }

    /** {@code cilium config view}: one {@code key   value} per line; an author's trailing {@code # …} note is not the value. */
    private static Map<String, String> columns(String text, List<InputProblem> problems) {
        Map<String, String> data = new LinkedHashMap<>();
        List<Integer> noted = new ArrayList<>();
        for (PastedLine line : PastedLines.of(text)) {
            if (PastedLines.isPromptOrComment(line.text())) {
                continue;
            }
            Matcher m = COLUMN.matcher(line.text());
            if (!m.matches() || line.text().contains(": ") || line.text().endsWith(":")) {
                throw new CiliumInputException(line.number(), "not cilium-config (expected a ConfigMap as YAML or JSON, its data,"
                        + " or `cilium config view` columns): '" + StatusCapture.abbreviate(line.text()) + "'");
            }
            String value = m.group(2) == null ? "" : m.group(2);
            if (StatusLines.hasNote(" " + value)) {
                noted.add(line.number());
            }
            data.put(m.group(1), StatusLines.withoutNote(" " + value).strip());
        }
        if (!noted.isEmpty()) {
            problems.add(InputProblem.at(noted.get(0), "lines " + noted + " end in the author's notes ('# ...'); read without them"));
        }
        return data;
    }
}
