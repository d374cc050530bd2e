package io.masqharness.upgrade;

import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.scenario.CiliumSpec;
import io.masqharness.scenario.ClusterSnapshot;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upgrade question for one captured node ({@code inspect --upgrade-to}): its captured {@code cilium-config} (and
 * ip-masq-agent config) as the one mode {@code current}, on the nodes and destinations of a scenario when one is given,
 * else on {@link ClusterSnapshot#fromConfig assumed} ones.
 */
public final class CapturedUpgrade {

    private CapturedUpgrade() {
    }

    public static UpgradeReport of(String source, CiliumVersion from, CiliumVersion to, Map<String, String> config,
                                   Optional<IpMasqAgentFile> file, Optional<Scenario> shape) {
        ClusterSnapshot snapshot = ClusterSnapshot.fromConfig(source, from, config, file);
        List<String> notes = new ArrayList<>(snapshot.notes());
        Scenario s;
        if (shape.isPresent()) {
            Scenario given = shape.get();
            notes.removeIf(n -> n.startsWith("the capture has no nodes"));
            s = new Scenario(given.file(), given.name(), given.cluster(), new CiliumSpec(from.text(), snapshot.values()),
                    List.of(new ModeSpec(ClusterSnapshot.MODE, Map.of(), file)), given.destinations(), given.probes(), List.of(),
                    Optional.empty());
        } else {
            s = snapshot.toScenario(List.of());
        }
        UpgradeReport r = UpgradeComparison.of(s, from, to);
        notes.addAll(r.unverified());
        return new UpgradeReport(r.from(), r.to(), r.modes(), r.values(), notes);
    }
}
