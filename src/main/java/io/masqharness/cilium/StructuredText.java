package io.masqharness.cilium;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a capture as YAML or JSON: {@code kubectl -o yaml}, {@code kubectl -o json}, {@code jq .data}, and
 * JSON with {@code //} comments. Empty when the text is neither (the caller then tries its column forms).
 */
final class StructuredText {

    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build())
            .enable(JsonParser.Feature.ALLOW_COMMENTS);
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder().loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());

    private StructuredText() {
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(20);
        o.setNestingDepthLimit(64);
        o.setCodePointLimit(PastedLines.MAX_CHARS);
        return o;
    }

    /** The document, or empty when the text is not YAML or JSON (or only a scalar); a prompt line or code fence around it is skipped. */
    static Optional<JsonNode> read(String text) {
        Optional<JsonNode> doc = document(text);
        if (doc.isPresent()) {
            return doc;
        }
        String unwrapped = unwrap(text);
        return unwrapped.equals(text) ? doc : document(unwrapped);
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

    private static Optional<JsonNode> document(String text) {
        String t = text.strip();
        if (t.startsWith("{") || t.startsWith("[") || t.startsWith("//") || t.startsWith("/*")) {
            try {
                return container(JSON.readTree(t));
            } catch (JsonProcessingException | RuntimeException e) {
                // Not JSON after all (or JSON with YAML in it): YAML below decides.
            }
        }
        try {
            return container(YAML.readTree(t));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<JsonNode> container(JsonNode n) {
        return n != null && n.isContainerNode() ? Optional.of(n) : Optional.empty();
    }
}
