package io.masqharness.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing, broken or unreachable kubeconfig gives a reason and a fix, and never its contents. */
class KubeconfigsTest {

    static final String TOKEN = "s3cr3t-token-do-not-print";

    @AfterEach
    void clear() {
        System.clearProperty(Kubeconfigs.PROPERTY);
        System.clearProperty(Kubeconfigs.PROBE_IMAGE);
    }

    @Test
    void missingFile(@TempDir Path dir) {
        System.setProperty(Kubeconfigs.PROPERTY, dir.resolve("nope").toString());
        assertThat(Kubeconfigs.unavailable()).hasValueSatisfying(r -> assertThat(r).contains("no kubeconfig at").contains("nope"));
    }

    @Test
    void unparseableFileIsNamedButNotQuoted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, "token: " + TOKEN + "\n  : : [not yaml");
        System.setProperty(Kubeconfigs.PROPERTY, file.toString());
        assertThat(Kubeconfigs.unavailable()).hasValueSatisfying(r -> assertThat(r).contains("does not parse").doesNotContain(TOKEN));
    }

    @Test
    void aServerThatDoesNotAnswer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: %s}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.formatted(TOKEN));
        System.setProperty(Kubeconfigs.PROPERTY, file.toString());
        assertThat(Kubeconfigs.unavailable()).hasValueSatisfying(r -> assertThat(r).contains("https://127.0.0.1:1")
                .contains("did not answer").doesNotContain(TOKEN));
    }
}
