package io.masqharness.cluster.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An agent's endpoints as {@code cilium endpoint list -o json} prints them (the API's Endpoint
 * model: {@code status.state}, and the labels in {@code status.identity.labels} or
 * {@code status.labels.security-relevant}). After a restart, restored endpoints and the host's go
 * through restoring, waiting-for-identity, waiting-to-regenerate and regenerating to ready
 * (Documentation/security/policy/lifecycle.rst); until the host endpoint is ready its bpf_host,
 * which does BPF masquerading on the native devices, is not the new mode's (review 2, N4).
 */
record AgentEndpoints(List<Endpoint> endpoints, Optional<String> unreadable) {

    static final String READY = "ready";
    static final String HOST_LABEL = "reserved:host";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Endpoint(long id, String state, boolean host) {
        @Override
        public String toString() {
            return (host ? "host endpoint " : "endpoint ") + id + " " + state;
        }
    }

    static AgentEndpoints parse(String json) {
        List<Endpoint> endpoints = new ArrayList<>();
        try {
            JsonNode list = JSON.readTree(json);
            if (list == null || !list.isArray()) {
                return new AgentEndpoints(endpoints, Optional.of("not a JSON list of endpoints: " + abbreviate(json)));
            }
            for (JsonNode e : list) {
                JsonNode status = e.path("status");
                boolean host = contains(status.path("identity").path("labels")) || contains(status.path("labels").path("security-relevant"));
                endpoints.add(new Endpoint(e.path("id").asLong(), status.path("state").asText("(no state)"), host));
            }
            return new AgentEndpoints(endpoints, Optional.empty());
        } catch (IOException e) {
            return new AgentEndpoints(endpoints, Optional.of("not JSON: " + abbreviate(json)));
        }
    }

    private static boolean contains(JsonNode labels) {
        for (JsonNode l : labels) {
            if (HOST_LABEL.equals(l.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replace('\n', ' ');
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }

    /** Every endpoint ready, the host's among them. */
    boolean regenerated() {
        return unreadable.isEmpty() && endpoints.stream().anyMatch(Endpoint::host) && endpoints.stream().allMatch(e -> e.state().equals(READY));
    }

    /** What is still in the way, for a timeout's message. */
    String pending() {
        if (unreadable.isPresent()) {
            return unreadable.get();
        }
        List<String> waiting = new ArrayList<>(endpoints.stream().filter(e -> !e.state().equals(READY)).map(Endpoint::toString).toList());
        if (endpoints.stream().noneMatch(Endpoint::host)) {
            waiting.add("no host endpoint (" + HOST_LABEL + ") listed yet");
        }
        return waiting.isEmpty() ? "none" : String.join(", ", waiting);
    }
}
