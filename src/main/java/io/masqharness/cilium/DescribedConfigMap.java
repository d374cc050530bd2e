package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ConfigMap as {@code kubectl describe configmap} prints it (k8s.io/kubectl {@code describeConfigMap}):
 * {@code Name:}, {@code Namespace:}, labels and annotations, then {@code Data} over {@code ====} and per key
 * {@code key:} over {@code ----} followed by the value's lines as stored, up to the next key, {@code BinaryData}
 * or {@code Events:}. A value keeps its own lines and indentation (an ip-masq-agent config is YAML); the blank
 * lines kubectl puts after it are dropped.
 *
 * @param name empty when the capture starts at {@code Data}
 */
record DescribedConfigMap(String name, Map<String, String> data) {

    DescribedConfigMap {
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** The ConfigMap, or empty when the text has no {@code Data} heading over {@code ====}. */
    static Optional<DescribedConfigMap> parse(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        String name = "";
        int i = 0;
        while (i < lines.length && !(lines[i].strip().equals("Data") && i + 1 < lines.length && lines[i + 1].strip().startsWith("===="))) {
            String t = lines[i].strip();
            if (name.isEmpty() && t.startsWith("Name:")) {
                name = t.substring("Name:".length()).strip();
            }
            i++;
        }
        if (i >= lines.length) {
            return Optional.empty();
        }
        Map<String, String> data = new LinkedHashMap<>();
        for (i += 2; i < lines.length && !isEnd(lines[i]); i++) {
            if (isKey(lines, i)) {
                String indent = lines[i].substring(0, lines[i].length() - lines[i].stripLeading().length());
                List<String> value = new ArrayList<>();
                int j = i + 2;
                while (j < lines.length && !isKey(lines, j) && !isEnd(lines[j])) {
                    value.add(lines[j].startsWith(indent) ? lines[j].substring(indent.length()) : lines[j].strip());
                    j++;
                }
                while (!value.isEmpty() && value.get(value.size() - 1).isBlank()) {
                    value.remove(value.size() - 1);
                }
                String key = lines[i].strip();
                data.put(key.substring(0, key.length() - 1), String.join("\n", value));
                i = j - 1;
            }
        }
        return Optional.of(new DescribedConfigMap(name, data));
    }

    private static boolean isKey(String[] lines, int i) {
        return i + 1 < lines.length && lines[i].strip().endsWith(":") && lines[i].strip().length() > 1
                && lines[i + 1].strip().equals("----");
    }

    private static boolean isEnd(String line) {
        String t = line.strip();
        return t.equals("BinaryData") || t.startsWith("Events:");
    }
}
