package io.masqharness.cilium;

import java.util.List;
import java.util.Optional;

/** One {@code -A CHAIN ...} line of {@code iptables-save}, tokenized with its quoting removed. */
public record IptablesRule(String table, String chain, List<String> tokens, String line) {

    /** The value after {@code flag} when the flag is not negated (e.g. {@code -s 10.0.0.0/24}). */
    public Optional<String> option(String flag) {
        return value(flag, false);
    }

    /** The value after {@code ! flag} (e.g. {@code ! -d 10.0.0.0/16}). */
    public Optional<String> negatedOption(String flag) {
        return value(flag, true);
    }

    public Optional<String> comment() {
        return option("--comment");
    }

    public Optional<String> target() {
        return option("-j");
    }

    private Optional<String> value(String flag, boolean negated) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equals(flag)) {
                boolean isNegated = i > 0 && tokens.get(i - 1).equals("!");
                if (isNegated == negated) {
                    return Optional.of(tokens.get(i + 1));
                }
            }
        }
        return Optional.empty();
    }
}
