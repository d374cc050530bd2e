package io.masqharness.explain;

import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.tuning.Kernel;
import io.masqharness.tuning.TuningAnswer;
import io.masqharness.tuning.TuningOracle;

/** {@code explain --tuning}: a scenario's mode handed to the tuning rules with the node's kernel. */
public final class TuningExplainer {

    private TuningExplainer() {
    }

    /** @throws io.masqharness.scenario.ScenarioException when the scenario has no such mode */
    public static TuningAnswer explain(Scenario scenario, String modeName, Kernel kernel) {
        ModeSpec mode = scenario.mode(modeName);
        return TuningOracle.judge(mode.name(), ScenarioFacts.helmValues(scenario, mode), mode.values().keySet(),
                ScenarioFacts.ipMasqAgentFile(scenario, mode), ScenarioFacts.version(scenario), kernel);
    }
}
