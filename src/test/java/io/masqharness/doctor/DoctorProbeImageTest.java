package io.masqharness.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.probe.ProbeImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: the probe image's FAIL carried its fix inside what was found, so {@code doctor} printed
 * no {@code fix:} line under it (DoctorIT's rule for every FAIL) and a skip reason said the fix twice.
 */
class DoctorProbeImageTest {

    @Test
    void aMissingProbeImageFailsWithItsFixOnALineOfItsOwn(@TempDir Path dir) {
        Check check = Doctor.probeImage(new ProbeImage(Path.of("k3s-images/probe"), dir.resolve("no-such-probe.jar")));
        assertThat(check.failed()).isTrue();
        assertThat(check.found()).isEqualTo("the probe agent jar " + dir.resolve("no-such-probe.jar") + " is missing");
        assertThat(check.line().lines()).containsExactly(
                "FAIL  probe image              the probe agent jar " + dir.resolve("no-such-probe.jar") + " is missing",
                "      fix: run `mvn package` first");
        assertThat(check.reason()).endsWith("is missing (fix: run `mvn package` first)");
    }
}
