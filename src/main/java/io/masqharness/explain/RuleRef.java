package io.masqharness.explain;

import io.masqharness.oracle.VersionRule;
import java.util.Collection;
import java.util.List;

/** A version rule as answers print it: its id, what it says and where it was read. */
public record RuleRef(String id, String rule, String source) {

    public static RuleRef of(VersionRule r) {
        return new RuleRef(r.id(), r.rule(), r.source());
    }

    public static List<RuleRef> of(Collection<VersionRule> rules) {
        return rules.stream().map(RuleRef::of).toList();
    }
}
