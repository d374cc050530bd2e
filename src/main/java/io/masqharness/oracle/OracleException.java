package io.masqharness.oracle;

/** A question the oracle cannot answer because its input is inconsistent (not a Cilium refusal). */
public class OracleException extends RuntimeException {
    public OracleException(String message) {
        super(message);
    }
}
