package io.masqharness.oracle;

/** The IPv4 masquerading implementation the agent actually runs. */
public enum MasqueradeMode {
    IPTABLES, BPF, DISABLED;

    public String label() {
        return name().toLowerCase();
    }
}
