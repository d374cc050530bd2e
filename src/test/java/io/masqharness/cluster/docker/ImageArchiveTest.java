package io.masqharness.cluster.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.masqharness.cluster.ClusterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchiveTest {

    @TempDir
    Path dir;

    @Test
    void namesAreReadFromDockerAndOciArchivesAndNormalisedAsContainerdDoes() throws IOException {
        Path docker = OciArchives.dockerFormat(dir.resolve("d.tar"), "rancher/mirrored-pause:3.6", "quay.io/cilium/cilium:v1.13.4");
        assertThat(ImageArchive.images(docker)).containsExactly("docker.io/rancher/mirrored-pause:3.6", "quay.io/cilium/cilium:v1.13.4");
        Path oci = OciArchives.multiPlatformWithOnlyAmd64(dir.resolve("o.tar"), "docker.io/library/masq-test:1");
        assertThat(ImageArchive.images(oci)).containsExactly("docker.io/library/masq-test:1");
    }

    @Test
    void aMultiPlatformIndexBecomesTheOnePlatformWhoseBlobsAreThere() throws IOException {
        Path oci = OciArchives.multiPlatformWithOnlyAmd64(dir.resolve("o.tar"), "docker.io/library/masq-test:1");
        Path copy = ImageArchive.singlePlatform(oci, "amd64", dir.resolve("single.tar"));
        assertThat(copy).isEqualTo(dir.resolve("single.tar"));
        Map<String, byte[]> before = contents(oci);
        Map<String, byte[]> after = contents(copy);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.keySet().stream().filter(k -> !k.equals("index.json")).forEach(k -> assertThat(after.get(k)).as(k).isEqualTo(before.get(k)));
        JsonNode top = OciArchives.JSON.readTree(after.get("index.json")).path("manifests");
        assertThat(top).hasSize(1);
        assertThat(top.get(0).path("mediaType").asText()).isEqualTo(OciArchives.OCI_MANIFEST);
        assertThat(top.get(0).path("annotations").path(ImageArchive.NAME_ANNOTATION).asText()).isEqualTo("docker.io/library/masq-test:1");
        assertThat(after).containsKey(ImageArchive.blobPath(top.get(0)));
    }

    /** Review 2, N14: an air-gap archive saved and gzipped from a containerd-store Docker is rewritten like a plain one. */
    @Test
    void aGzippedMultiPlatformArchiveIsRewrittenToo() throws IOException {
        Path oci = OciArchives.multiPlatformWithOnlyAmd64(dir.resolve("o.tar"), "docker.io/library/masq-test:1");
        Path gz = dir.resolve("o.tar.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
            java.nio.file.Files.copy(oci, out);
        }
        Path copy = ImageArchive.singlePlatform(gz, "amd64", dir.resolve("single.tar"));
        assertThat(copy).isEqualTo(dir.resolve("single.tar"));
        assertThat(contents(copy).get("index.json")).isEqualTo(contents(ImageArchive.singlePlatform(oci, "amd64", dir.resolve("plain.tar")))
                .get("index.json"));
        assertThat(java.nio.file.Files.list(dir)).as("no unpacked copy left beside it").noneMatch(f -> f.getFileName().toString()
                .startsWith("gunzipped-"));

        Path dockerGz = dir.resolve("d.tar.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(dockerGz))) {
            java.nio.file.Files.copy(OciArchives.dockerFormat(dir.resolve("d.tar"), "rancher/mirrored-pause:3.6"), out);
        }
        assertThat(ImageArchive.singlePlatform(dockerGz, "amd64", dir.resolve("y.tar"))).as("nothing to rewrite: K3s imports it as it is")
                .isEqualTo(dockerGz);
    }

    @Test
    void aPlatformWithoutBlobsIsRefusedWithTheWayOut() throws IOException {
        Path oci = OciArchives.multiPlatformWithOnlyAmd64(dir.resolve("o.tar"), "docker.io/library/masq-test:1");
        assertThatThrownBy(() -> ImageArchive.singlePlatform(oci, "arm64", dir.resolve("x.tar"))).isInstanceOf(ClusterException.class)
                .hasMessageContaining("docker.io/library/masq-test:1 has no linux/arm64 manifest").hasMessageContaining("--platform linux/arm64");
    }

    @Test
    void dockerFormatArchivesAreUsedAsTheyAre() throws IOException {
        Path docker = OciArchives.dockerFormat(dir.resolve("d.tar"), "foo:1");
        assertThat(ImageArchive.singlePlatform(docker, "amd64", dir.resolve("x.tar"))).isEqualTo(docker);
        assertThat(dir.resolve("x.tar")).doesNotExist();
    }

    @Test
    void referencesNormaliseLikeContainerd() {
        assertThat(ImageRef.normalize("debian")).isEqualTo("docker.io/library/debian:latest");
        assertThat(ImageRef.normalize("masq-harness-probe:abc")).isEqualTo("docker.io/library/masq-harness-probe:abc");
        assertThat(ImageRef.normalize("localhost:5000/x/y@sha256:00")).isEqualTo("localhost:5000/x/y@sha256:00");
        assertThat(ImageRef.registry("quay.io/cilium/cilium:v1.13.4")).isEqualTo("quay.io");
        assertThat(ImageRef.registry("rancher/k3s:v1.26.6-k3s1")).isEqualTo("docker.io");
    }

    static Map<String, byte[]> contents(Path tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (TarFile t = new TarFile(tar)) {
            for (TarArchiveEntry e : t.getEntries()) {
                files.put(e.getName(), t.getInputStream(e).readAllBytes());
            }
        }
        return files;
    }
}
