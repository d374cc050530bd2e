package io.masqharness.cilium;

/**
 * A MASQUERADE or SNAT rule in one of Cilium's chains, as {@code inspect} reports it. A field is null where
 * the rule has no such match; a negated match keeps its {@code !} ({@code outInterface} {@code !cilium_+}).
 */
public record MasqueradeRule(String chain, String source, String notDestination, String outInterface, String target,
                             String comment) {

    static MasqueradeRule of(IptablesRule r) {
        String source = r.option("-s").orElse(r.negatedOption("-s").map(s -> "!" + s).orElse(null));
        String out = r.option("-o").orElse(r.negatedOption("-o").map(s -> "!" + s).orElse(null));
        return new MasqueradeRule(r.chain(), source, r.negatedOption("-d").orElse(null), out, r.target().orElse(null),
                r.comment().orElse(null));
    }
}
