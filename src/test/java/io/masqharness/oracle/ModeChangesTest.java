package io.masqharness.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModeChangesTest {

    @Test
    void aCellIsMarkedWhenItDiffersFromThePreviousModesAndOnlyThen() {
        assertThat(ModeChanges.marks(List.of("node-ip", "node-ip", "pod-ip", "pod-ip", "node-ip")))
                .containsExactly(false, false, true, false, true);
    }

    @Test
    void theFirstModeAndACellWithNothingBeforeItAreNeverMarked() {
        assertThat(ModeChanges.marks(List.of("pod-ip"))).containsExactly(false);
        assertThat(ModeChanges.marks(Arrays.asList("node-ip", null, "pod-ip", "node-ip"))).containsExactly(false, false, false, true);
        assertThat(ModeChanges.marks(List.of())).isEmpty();
    }
}
