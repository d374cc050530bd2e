package io.masqharness.oracle;

/**
 * The Cilium 1.13 agent would refuse to start with this configuration; the message is the agent's
 * own error text (or close to it) followed by what to change.
 */
public class RefusedConfigurationException extends OracleException {
    public RefusedConfigurationException(String message) {
        super(message);
    }
}
