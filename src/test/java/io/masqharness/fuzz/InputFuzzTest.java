package io.masqharness.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.masqharness.cilium.CiliumConfigCapture;
import io.masqharness.cilium.CiliumInputException;
import io.masqharness.cilium.ConfigKeys;
import io.masqharness.cilium.IpMasqAgentConfigCapture;
import io.masqharness.cilium.IpMasqMap;
import io.masqharness.cilium.IptablesCapture;
import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.cilium.NatList;
import io.masqharness.cilium.StatusCapture;
import io.masqharness.cilium.SysdumpCapture;
import io.masqharness.cluster.k8s.CiliumConfigValues;
import io.masqharness.oracle.AgentConfigDeriver;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.OracleException;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioException;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Untrusted text in, and the property: every reader of captures and the scenario loader either answers or
 * throws the harness's own input error ({@link CiliumInputException}, {@link ScenarioException},
 * {@link OracleException}), never anything else, and never hangs (each input is given {@link #BOUND}). In every
 * build the saved inputs run ({@code InputFuzzTestInputs/<method>/}: the golden captures, the scenarios, and
 * what fuzzing found); {@code mvn -Pfuzz test -Dfuzz.target=captures|scenario|sysdump -Dfuzz.seconds=300} fuzzes for that long.
 */
class InputFuzzTest {

    /** Seconds; far above what any input takes: reaching it means a hang, such as a backtracking pattern. */
    static final long BOUND = 10;

    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-input");
        t.setDaemon(true);
        return t;
    });

    @FuzzTest(maxDuration = "5m")
    void captures(byte[] input) throws Exception {
        bounded(() -> readCaptures(input));
    }

    private static void readCaptures(byte[] input) throws IOException {
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(input)).toString();
        ownErrorsOnly(() -> StatusCapture.parse(text));
        ownErrorsOnly(() -> IpMasqMap.parse(text));
        ownErrorsOnly(() -> IpMasqMap.parse(1, text, text));
        ownErrorsOnly(() -> NatList.parse(text));
        ownErrorsOnly(() -> MasqueradeRules.inCiliumChains(IptablesCapture.parse(text).rules()));
        ownErrorsOnly(() -> {
            CiliumConfigCapture c = CiliumConfigCapture.parse(text);
            AgentConfigDeriver.derive(HelmValues.of(CiliumConfigValues.helmValues(ConfigKeys.for113(c.data()).config())),
                    new IpMasqAgentFile.Absent());
        });
        ownErrorsOnly(() -> IpMasqAgentConfigCapture.parse(text));
    }

    @FuzzTest(maxDuration = "5m")
    void scenario(byte[] input) throws Exception {
        bounded(() -> loadScenario(input));
    }

    /** The bytes as a sysdump zip: archives from the outside, read entry by entry. */
    @FuzzTest(maxDuration = "5m")
    void sysdump(byte[] input) throws Exception {
        bounded(() -> {
            Path file = Files.createTempFile("fuzz-sysdump", ".zip");
            try {
                Files.write(file, input);
                ownErrorsOnly(() -> SysdumpCapture.read(file));
            } finally {
                Files.deleteIfExists(file);
            }
        });
    }

    private static void loadScenario(byte[] input) throws IOException {
        Path file = Files.createTempFile("fuzz-scenario", ".yaml");
        try {
            Files.write(file, input);
            ownErrorsOnly(() -> {
                Scenario s = new ScenarioLoader().load(file);
                for (ModeSpec m : s.modes()) {
                    ownErrorsOnly(() -> ScenarioFacts.agentConfig(s, m));
                }
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void bounded(Work work) throws Exception {
        Future<?> f = WORKER.submit(() -> {
            work.run();
            return null;
        });
        try {
            f.get(BOUND, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no answer within " + BOUND + " s: a hang", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        }
    }

    private static void ownErrorsOnly(Runnable reader) {
        try {
            reader.run();
        } catch (CiliumInputException | ScenarioException | OracleException expected) {
            // The harness's own input error: named, and exit status 2 at the command line.
        }
    }
}
