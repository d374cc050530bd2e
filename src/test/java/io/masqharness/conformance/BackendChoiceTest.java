package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.doctor.Kubeconfigs;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which backend a run uses, and the reasons the kubeconfig backend gives when it cannot run. */
class BackendChoiceTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("harness.backend");
        System.clearProperty(Kubeconfigs.PROPERTY);
        System.clearProperty(Kubeconfigs.PROBE_IMAGE);
    }

    @Test
    void theScenariosBackendUnlessOverridden() {
        Scenario scenario = ConformanceFixtures.twoNodes(dir, "tcp", "");
        assertThat(Backends.selected(scenario)).isEqualTo(ClusterSpec.Backend.LAB);
        System.setProperty("harness.backend", " kubeconfig ");
        assertThat(Backends.selected(scenario)).isEqualTo(ClusterSpec.Backend.KUBECONFIG);
        System.setProperty("harness.backend", "K3S");
        assertThat(Backends.selected(scenario)).isEqualTo(ClusterSpec.Backend.K3S);
        System.setProperty("harness.backend", "kind");
        assertThatThrownBy(() -> Backends.selected(scenario)).hasMessage("-Dharness.backend=kind is not one of k3s, kubeconfig, lab");
    }

    @Test
    void withoutAKubeconfigTheReasonNamesWhereItLooked() {
        System.setProperty(Kubeconfigs.PROPERTY, dir.resolve("absent").toString());
        Scenario scenario = ConformanceFixtures.twoNodes(dir, "tcp", "");
        assertThat(Backends.unavailable(scenario, ClusterSpec.Backend.KUBECONFIG)).hasValue("kubeconfig: no kubeconfig at " + dir.resolve("absent")
                + ": point -Dharness.kubeconfig=FILE (or KUBECONFIG) at the cluster to validate");
        assertThatThrownBy(Kubeconfigs::contents).isInstanceOf(UncheckedIOException.class)
                .hasMessage("reading kubeconfig " + dir.resolve("absent"));
    }

    @Test
    void theDefaultKubeconfigIsTheUsersOwn() {
        Assumptions.assumeTrue(System.getenv("KUBECONFIG") == null, "KUBECONFIG is set here");
        assertThat(Kubeconfigs.path()).isEqualTo(Path.of(System.getProperty("user.home"), ".kube", "config"));
        System.setProperty(Kubeconfigs.PROPERTY, "/etc/k.yaml");
        assertThat(Kubeconfigs.path()).isEqualTo(Path.of("/etc/k.yaml"));
    }
}
