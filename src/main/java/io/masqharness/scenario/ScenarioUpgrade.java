package io.masqharness.scenario;

import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.ValueRewrite;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A scenario's {@code cilium.upgradeTo}: the same modes on the target release, after {@code helm upgrade --version},
 * with the values rewritten in the target's spelling ({@link ValueRewrite}). The modes after the upgrade are named
 * {@code MODE@VERSION} so both runs stand side by side in test names and reports; explicit expectations stay with the
 * starting version's modes.
 *
 * @param changes every value rewritten, for plan and the report
 */
public record ScenarioUpgrade(Scenario before, Scenario after, CiliumVersion from, CiliumVersion to, List<String> changes) {

    public ScenarioUpgrade {
        changes = List.copyOf(changes);
    }

    public static Optional<ScenarioUpgrade> of(Scenario scenario) {
        if (scenario.cilium().upgradeTo().isEmpty()) {
            return Optional.empty();
        }
        CiliumVersion to = CiliumVersion.parse(scenario.cilium().upgradeTo().get());
        ValueRewrite base = ValueRewrite.forTarget(scenario.cilium().values(), to);
        LinkedHashSet<String> changes = new LinkedHashSet<>(base.changes());
        List<ModeSpec> modes = new ArrayList<>();
        for (ModeSpec m : scenario.modes()) {
            ValueRewrite own = ValueRewrite.forTarget(m.values(), to);
            own.changes().forEach(c -> changes.add("mode " + m.name() + ": " + c));
            modes.add(new ModeSpec(afterName(m.name(), to), own.values(), m.ipMasqAgentConfig()));
        }
        Scenario after = new Scenario(scenario.file(), scenario.name(), scenario.cluster(),
                new CiliumSpec(to.text(), base.values()), modes, scenario.destinations(), scenario.probes(), List.of(), scenario.latency());
        return Optional.of(new ScenarioUpgrade(scenario, after, ScenarioFacts.version(scenario), to, new ArrayList<>(changes)));
    }

    /** {@code bpf@1.15.6}: a mode after the upgrade. */
    public static String afterName(String mode, CiliumVersion to) {
        return mode + "@" + to.text();
    }
}
