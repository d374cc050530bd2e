package io.masqharness.cilium;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a capture as YAML or JSON: {@code kubectl -o yaml}, {@code kubectl -o json}, {@code jq .data}, and
 * JSON with {@code //} comments. Empty when the text is neither (the caller then tries its column forms). A paste
 * whose lines are all indented (keys copied out of {@code data:} without it) is read at its own indentation, and a
 * key given twice is reported: a lenient reader keeps the last value, a strict one refuses the document.
 */
final class StructuredText {

    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build())
            .enable(JsonParser.Feature.ALLOW_COMMENTS);
    private static final YAMLMapper YAML = yaml(false);
    private static final YAMLMapper STRICT_YAML = yaml(true);
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private StructuredText() {
    }

    private static YAMLMapper yaml(boolean strict) {
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(loaderOptions())
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();
        YAMLMapper mapper = new YAMLMapper(factory);
        // What follows the first document (a dedent below its indentation, a second document) is refused, not dropped.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        if (strict) {
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        return mapper;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(20);
        o.setNestingDepthLimit(64);
        o.setCodePointLimit(PastedLines.MAX_CHARS);
        return o;
    }

    /**
     * The document, or empty when the text is not YAML or JSON (or only a scalar); a prompt line or code fence around
     * it is skipped. What was read with a caveat (a key given twice) goes to {@code problems}.
     */
    static Optional<JsonNode> read(String text, List<InputProblem> problems) {
        Optional<JsonNode> doc = document(text, problems);
        if (doc.isPresent()) {
            return doc;
        }
        String unwrapped = unwrap(text);
        return unwrapped.equals(text) ? doc : document(unwrapped, problems);
    }

    /** Without the command lines before the document and without Markdown fences and kubectl's container notice. */
    private static String unwrap(String text) {
        StringBuilder s = new StringBuilder();
        boolean started = false;
        for (String line : text.split("\r\n|\r|\n", -1)) {
            String t = line.strip();
            boolean decoration = t.startsWith("```") || t.startsWith("Defaulted container ")
                    || !started && !t.startsWith("#") && PastedLines.isPromptOrComment(t);
            if (!decoration) {
                started |= !t.isEmpty();
                s.append(line).append('\n');
            }
        }
        return s.toString();
    }

    private static Optional<JsonNode> document(String text, List<InputProblem> problems) {
        String t = text.strip();
        if (t.startsWith("{") || t.startsWith("[") || t.startsWith("//") || t.startsWith("/*")) {
            try {
                return container(JSON.readTree(t));
            } catch (JsonProcessingException | RuntimeException e) {
                // Not JSON after all (or JSON with YAML in it): YAML below decides.
            }
        }
        String yaml = dedent(text);
        try {
            return container(STRICT_YAML.readTree(yaml));
        } catch (JsonParseException e) {
            Matcher m = DUPLICATE.matcher(e.getOriginalMessage());
            if (!m.find()) {
                return Optional.empty();
            }
            Optional<JsonNode> lenient = lenient(yaml);
            lenient.ifPresent(n -> problems.add(InputProblem.at(0, "key '" + m.group(1) + "' is given more than once: read the"
                    + " last value, as a lenient YAML reader does (a strict client refuses the document)")));
            return lenient;
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<JsonNode> lenient(String yaml) {
        try {
            return container(YAML.readTree(yaml));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Without the leading whitespace every non-blank line shares. */
    static String dedent(String text) {
        String common = null;
        for (String line : text.split("\\r\\n|\\r|\\n", -1)) {
            if (!line.isBlank()) {
                String lead = line.substring(0, line.length() - line.stripLeading().length());
                common = common == null ? lead : commonPrefix(common, lead);
            }
        }
        if (common == null || common.isEmpty()) {
            return text;
        }
        StringBuilder s = new StringBuilder();
        for (String line : text.split("\\r\\n|\\r|\\n", -1)) {
            s.append(line.startsWith(common) ? line.substring(common.length()) : line.strip()).append('\n');
        }
        return s.toString();
    }

    private static String commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return a.substring(0, n);
    }

    private static Optional<JsonNode> container(JsonNode n) {
        return n != null && n.isContainerNode() ? Optional.of(n) : Optional.empty();
    }
}
