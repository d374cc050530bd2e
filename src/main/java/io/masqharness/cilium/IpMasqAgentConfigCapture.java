package io.masqharness.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ip-masq-agent configuration as captured: the file the agent reads (/etc/config/ip-masq-agent, YAML or
 * JSON, comments allowed), or the {@code ip-masq-agent} ConfigMap holding it under {@code data.config} as a
 * YAML block or a JSON string ({@code kubectl get -o yaml|json}, or {@code kubectl describe configmap}), or that
 * {@code data} alone. The three states of pkg/ipmasq are kept apart: no
 * {@code config} key means no file (the default CIDRs apply), a zero-length value an empty file (the defaults
 * too), anything else a config without defaults.
 *
 * @param nonMasqueradeCidrs as written, null when the key is absent
 * @param masqLinkLocal      null when the key is absent or not a boolean
 * @param masqLinkLocalIPv6  null when the key is absent or not a boolean (read from 1.14 on: pkg/ipmasq/ipmasq.go, PR #23219)
 */
public record IpMasqAgentConfigCapture(State state, List<String> nonMasqueradeCidrs, Boolean masqLinkLocal,
                                       Boolean masqLinkLocalIPv6, List<InputProblem> problems) {

    public enum State { ABSENT, EMPTY, PRESENT }

    private static final Set<String> KEYS = Set.of("nonMasqueradeCIDRs", "masqLinkLocal", "masqLinkLocalIPv6");
    private static final String CONFIG_MAP = "ip-masq-agent";

    public IpMasqAgentConfigCapture {
        nonMasqueradeCidrs = nonMasqueradeCidrs == null ? null : List.copyOf(nonMasqueradeCidrs);
        problems = List.copyOf(problems);
    }

    public static IpMasqAgentConfigCapture parse(String text) {
        List<InputProblem> problems = new ArrayList<>();
        if (text.isEmpty()) {
            return new IpMasqAgentConfigCapture(State.EMPTY, null, null, null, problems);
        }
        JsonNode doc = StructuredText.read(text, problems).orElse(null);
        if (doc == null && text.isBlank()) {
            problems.add(InputProblem.at(0, "only whitespace: the agent reads a non-empty file as a config with no CIDRs"
                    + " (defaults apply to a zero-length file only)"));
            return new IpMasqAgentConfigCapture(State.PRESENT, null, null, null, problems);
        }
        if (doc == null) {
            Optional<DescribedConfigMap> described = DescribedConfigMap.parse(text);
            if (described.isPresent()) {
                return described(described.get(), problems);
            }
        }
        if (doc == null || !doc.isObject()) {
            throw new CiliumInputException(0, "not an ip-masq-agent config (expected YAML or JSON with nonMasqueradeCIDRs"
                    + " and masqLinkLocal, or the ip-masq-agent ConfigMap)");
        }
        if (doc.has("data") || doc.has("kind")) {
            return fromData(doc.path("data"), problems);
        }
        if (doc.has("ipMasqAgent")) {
            problems.add(InputProblem.at(0, "Helm values: read ipMasqAgent.config, which the chart renders into the ConfigMap"));
            return fromData(doc.path("ipMasqAgent"), problems);
        }
        if (doc.has("config") && !hasKnownKey(doc)) {
            return fromData(doc, problems);
        }
        if (!hasKnownKey(doc) && doc.size() > 0) {
            throw new CiliumInputException(0, "none of " + KEYS + ", and no ConfigMap data.config: not an ip-masq-agent config"
                    + " (keys: " + names(doc) + ")");
        }
        return content(doc, problems);
    }

    /** {@code kubectl describe configmap}: its data, each value as stored. */
    private static IpMasqAgentConfigCapture described(DescribedConfigMap d, List<InputProblem> problems) {
        if (!d.name().isEmpty() && !d.name().equals(CONFIG_MAP)) {
            problems.add(InputProblem.at(0, "the ConfigMap is named '" + d.name() + "': Cilium mounts the ConfigMap named "
                    + CONFIG_MAP + " only"));
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        d.data().forEach(data::put);
        return fromData(data, problems);
    }

    /** ConfigMap data: only the key {@code config} is mounted as the agent's file. */
    private static IpMasqAgentConfigCapture fromData(JsonNode data, List<InputProblem> problems) {
        JsonNode config = data.path("config");
        if (config.isMissingNode()) {
            problems.add(InputProblem.at(0, "the ConfigMap has no key 'config'" + (data.size() > 0 ? " (keys: " + names(data) + ")" : "")
                    + ": Cilium mounts only that key as /etc/config/ip-masq-agent, so the agent finds no file and the"
                    + " default CIDRs apply"));
            return new IpMasqAgentConfigCapture(State.ABSENT, null, null, null, problems);
        }
        if (config.isTextual() || config.isNull()) {
            String value = config.isNull() ? "" : config.asText();
            if (value.isEmpty()) {
                return new IpMasqAgentConfigCapture(State.EMPTY, null, null, null, problems);
            }
            Optional<JsonNode> inner = StructuredText.read(value, problems);
            if (inner.isEmpty() || !inner.get().isObject()) {
                problems.add(InputProblem.at(0, "data.config is not YAML or JSON: the agent fails to read it and keeps"
                        + " its previous configuration"));
                return new IpMasqAgentConfigCapture(State.PRESENT, null, null, null, problems);
            }
            return content(inner.get(), problems);
        }
        return content(config, problems);
    }

    private static IpMasqAgentConfigCapture content(JsonNode n, List<InputProblem> problems) {
        if (!n.isObject()) {
            problems.add(InputProblem.at(0, "the config is a " + n.getNodeType().name().toLowerCase() + ", not a mapping"));
            return new IpMasqAgentConfigCapture(State.PRESENT, null, null, null, problems);
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problems.add(InputProblem.at(0, "key '" + key + "' is not read by Cilium's ip-masq-agent (only " + KEYS + ")"));
            }
        }
        List<String> cidrs = null;
        JsonNode list = n.path("nonMasqueradeCIDRs");
        if (list.isArray()) {
            cidrs = new ArrayList<>();
            for (JsonNode c : list) {
                String cidr = c.asText().strip();
                cidrs.add(cidr);
                if (!c.isTextual() || !Addresses.isCidr(cidr)) {
                    problems.add(InputProblem.at(0, "nonMasqueradeCIDRs entry '" + cidr + "' is not a CIDR: the agent rejects the config"));
                }
            }
        } else if (!list.isMissingNode() && !list.isNull()) {
            problems.add(InputProblem.at(0, "nonMasqueradeCIDRs is not a list: the agent rejects the config"));
        }
        Boolean linkLocal = null;
        JsonNode masq = n.path("masqLinkLocal");
        if (masq.isBoolean()) {
            linkLocal = masq.asBoolean();
        } else if (!masq.isMissingNode() && !masq.isNull()) {
            problems.add(InputProblem.at(0, "masqLinkLocal is " + masq + ", not a boolean: the agent rejects the config"));
        }
        return new IpMasqAgentConfigCapture(State.PRESENT, cidrs, linkLocal, bool(n, "masqLinkLocalIPv6", problems), problems);
    }

    /** A boolean key: null when absent or not a boolean (a problem then: the agent rejects the config). */
    private static Boolean bool(JsonNode n, String key, List<InputProblem> problems) {
        JsonNode value = n.path(key);
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (!value.isMissingNode() && !value.isNull()) {
            problems.add(InputProblem.at(0, key + " is " + value + ", not a boolean: the agent rejects the config"));
        }
        return null;
    }

    private static boolean hasKnownKey(JsonNode n) {
        return KEYS.stream().anyMatch(n::has);
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
