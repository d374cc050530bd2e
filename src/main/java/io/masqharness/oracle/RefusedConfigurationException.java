package io.masqharness.oracle;

import java.util.List;
import java.util.Optional;

/**
 * Cilium would not run this configuration: the agent refuses to start (the message is its own error
 * text, or close to it, followed by what to change), or Helm refuses the values
 * ({@link HelmRefusedException}). {@link #rule()} names the version rule that decided it, when the
 * refusal is not the 1.13 baseline's; {@link #unverified()} the unsettled facts it rests on.
 */
public class RefusedConfigurationException extends OracleException {

    private final transient VersionRule rule;
    private final List<String> unverified;

    public RefusedConfigurationException(String message) {
        this(message, null, List.of());
    }

    public RefusedConfigurationException(String message, VersionRule rule, List<String> unverified) {
        super(message);
        this.rule = rule;
        this.unverified = List.copyOf(unverified);
    }

    public Optional<VersionRule> rule() {
        return Optional.ofNullable(rule);
    }

    public List<String> unverified() {
        return unverified;
    }

    /** Who refuses: {@code agent} or {@code helm}. */
    public String by() {
        return "agent";
    }
}
