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
        Optional<JsonNode> doc = StructuredText.read(text);
        if (doc.isPresent()) {
            return new CiliumConfigCapture(fromDocument(doc.get(), problems), problems);
        }
        Map<String, String> described = described(text);
        if (!described.isEmpty()) {
            return new CiliumConfigCapture(described, problems);
        }
        return new CiliumConfigCapture(columns(text), problems);
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

    /** {@code kubectl describe cm}: {@code key:} then {@code ----} then the value lines, after a {@code Data / ====} heading. */
    private static Map<String, String> described(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        Map<String, String> data = new LinkedHashMap<>();
        int i = 0;
        while (i < lines.length && !lines[i].strip().equals("Data")) {
            i++;
        }
        if (i + 1 >= lines.length || !lines[i + 1].strip().startsWith("====")) {
            return data;
        }
        for (i += 2; i + 1 < lines.length; i++) {
            String key = lines[i].strip();
            if (key.endsWith(":") && lines[i + 1].strip().equals("----")) {
                StringBuilder value = new StringBuilder();
                int j = i + 2;
                while (j < lines.length && !(j + 1 < lines.length && lines[j].strip().endsWith(":") && lines[j + 1].strip().equals("----"))
                        && !lines[j].startsWith("BinaryData") && !lines[j].startsWith("Events:")) {
                    value.append(value.length() > 0 ? "\n" : "").append(lines[j].strip());
                    j++;
                }
                data.put(key.substring(0, key.length() - 1), value.toString().strip());
                i = j - 1;
            }
        }
        return data;
    }

    /** {@code cilium config view}: one {@code key   value} per line. */
    private static Map<String, String> columns(String text) {
        Map<String, String> data = new LinkedHashMap<>();
        for (PastedLine line : PastedLines.of(text)) {
            if (PastedLines.isPromptOrComment(line.text())) {
                continue;
            }
            Matcher m = COLUMN.matcher(line.text());
            if (!m.matches() || line.text().contains(": ") || line.text().endsWith(":")) {
                throw new CiliumInputException(line.number(), "not cilium-config (expected a ConfigMap as YAML or JSON, its data,"
                        + " or `cilium config view` columns): '" + StatusCapture.abbreviate(line.text()) + "'");
            }
            data.put(m.group(1), m.group(2) == null ? "" : m.group(2).strip());
        }
        return data;
    }
}
