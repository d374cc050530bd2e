package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --help} lists every command with a whole sentence, never a description cut at its first line. */
class HelpTest extends ConsoleCapturingTest {

    @Test
    void everyCommandIsListedWithAWholeSentence() {
        assertThat(Main.run("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        List<String> entries = new ArrayList<>();
        for (String line : help.substring(help.indexOf("Commands:\n") + "Commands:\n".length()).lines().toList()) {
            if (line.startsWith("  ") && !line.startsWith("    ")) {
                entries.add(line.strip());
            } else if (!entries.isEmpty()) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            }
        }
        assertThat(entries).hasSizeGreaterThanOrEqualTo(7).allSatisfy(e -> assertThat(e).endsWith("."));
        assertThat(entries).anySatisfy(e -> assertThat(e).isEqualTo("plan       Print, without Docker, the ordered plan of a run."));
    }

    @Test
    void theFirstSentenceEndsAtAFullStopOrColonBeforeABlank() {
        assertThat(Main.firstSentence("Judge a node offline: `cilium status`, the maps.")).isEqualTo("Judge a node offline.");
        assertThat(Main.firstSentence("Run on the lab path (pod -> 198.20.0.10) here. Then more.")).isEqualTo(
                "Run on the lab path (pod -> 198.20.0.10) here.");
        assertThat(Main.firstSentence("No stop at all")).isEqualTo("No stop at all");
    }
}
