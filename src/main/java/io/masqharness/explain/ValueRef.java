package io.masqharness.explain;

import io.masqharness.oracle.ValueNote;
import java.util.List;

/** A Helm value a version refuses, ignores or deprecates, as answers print it. */
public record ValueRef(String key, String problem, String suggestion) {

    public static List<ValueRef> of(List<ValueNote> notes) {
        return notes.stream().map(n -> new ValueRef(n.key(), n.problem(), n.suggestion())).toList();
    }
}
