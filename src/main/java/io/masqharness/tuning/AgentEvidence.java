package io.masqharness.tuning;

import java.util.Map;
import java.util.Optional;

/**
 * What one agent shows about the tuning toggles: the live backends exec for it, {@code inspect} reads it from files.
 *
 * @param status        {@code cilium status --verbose} (or plain: the verbose-only lines are then not judged)
 * @param config        the cilium-config ConfigMap's data
 * @param ciliumHostMtu {@code /sys/class/net/cilium_host/mtu} read in the agent (host network)
 * @param iptablesRaw   {@code iptables-save -t raw} (or {@code iptables -t raw -S}) in the agent
 */
public record AgentEvidence(Optional<String> status, Optional<Map<String, String>> config, Optional<String> ciliumHostMtu,
                            Optional<String> iptablesRaw) {

    public static final AgentEvidence NONE = new AgentEvidence(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
}
