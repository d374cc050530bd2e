package io.masqharness.cluster.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K3sImagesTest {

    static final Scenario TOGGLE = new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml"));

    /** What `k3s ctr -n k8s.io images ls -q` prints: full names, plus digests of pulled images, which are not names. */
    @Test
    void aNodeLacksWhatItsContainerdDoesNotNameWhateverTheSpelling() {
        String ctr = """
                docker.io/rancher/mirrored-pause:3.6
                quay.io/cilium/cilium:v1.13.4
                quay.io/cilium/cilium@sha256:bde8800d61aaad8b8451b10e247ac7bdeb7af187bb698f83d40ad75a38c1ee6b
                sha256:6270bb605e12e581514ada5fd5b3216f727db55dc87d5889c790e4c760683fee
                docker.io/library/masq-harness-probe:abc
                """;
        List<String> wanted = new K3sPlan(TOGGLE, "masq-harness-probe:abc").nodeImages();
        assertThat(K3sImages.missingFrom(ctr, wanted)).containsExactly("quay.io/cilium/operator-generic:v1.13.4");
        assertThat(K3sImages.missingFrom(ctr + "quay.io/cilium/operator-generic:v1.13.4\n", wanted)).isEmpty();
        assertThat(K3sImages.missingFrom("", wanted)).isEqualTo(wanted);
    }

    /** An air-gap archive supplies the images it holds (K3s's own air-gap tarball holds the pause image); compressed others are named. */
    @Test
    void airGapArchivesAreReadForWhatTheyHold(@TempDir Path dir) throws Exception {
        io.masqharness.cluster.docker.OciArchives.dockerFormat(dir.resolve("k3s-airgap-images-amd64.tar"),
                "docker.io/rancher/mirrored-pause:3.6", "docker.io/rancher/mirrored-coredns-coredns:1.10.1");
        Files.writeString(dir.resolve("k3s-airgap-images-amd64.tar.zst"), "not read");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        K3sImages images = new K3sImages(new K3sPlan(TOGGLE, "p"), dir);
        assertThat(images.archiveHolding("rancher/mirrored-pause:3.6")).contains(dir.resolve("k3s-airgap-images-amd64.tar"));
        assertThat(images.archiveHolding("quay.io/cilium/cilium:v1.13.4")).isEmpty();
        assertThat(images.unreadableArchives()).singleElement().asString().contains("zstd -d k3s-airgap-images-amd64.tar.zst");
        assertThat(images.registryImages()).containsExactly("rancher/k3s:v1.26.6-k3s1", "rancher/mirrored-pause:3.6",
                "quay.io/cilium/cilium:v1.13.4", "quay.io/cilium/operator-generic:v1.13.4");
    }
}
