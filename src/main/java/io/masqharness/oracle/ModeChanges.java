package io.masqharness.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What changes for a flow from one mode to the next ("what changes for my traffic if I switch"):
 * given the flow's cell in each mode, in the order the modes run, a cell is marked when it differs
 * from the previous mode's; the first mode's never is, nor a cell with no previous one to compare
 * (null: not probed there). {@code explain --matrix} marks expected sources with it; the report's
 * flow tables mark what was expected and observed.
 */
public final class ModeChanges {

    private ModeChanges() {
    }

    public static <T> List<Boolean> marks(List<T> perMode) {
        List<Boolean> marks = new ArrayList<>(perMode.size());
        for (int i = 0; i < perMode.size(); i++) {
            T previous = i == 0 ? null : perMode.get(i - 1);
            T cell = perMode.get(i);
            marks.add(previous != null && cell != null && !Objects.equals(previous, cell));
        }
        return marks;
    }
}
