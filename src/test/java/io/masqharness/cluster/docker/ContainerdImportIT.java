package io.masqharness.cluster.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review D1, second cause, against a real containerd: an archive laid out as Docker's containerd
 * image store saves a multi-platform image fails an all-platforms import (what K3s v1.26 does at
 * boot), and the harness's single-platform copy imports under the image's name. Runs `ctr` against
 * the containerd Docker runs on (Debian's containerd 1.6, which, like K3s v1.26.6's 1.7.1, has no
 * skip-missing import).
 */
class ContainerdImportIT {

    static final String NAMESPACE = "masq-harness-import-test";
    static final String IMAGE = "docker.io/library/masq-harness-import-test:1";

    @TempDir
    Path dir;

    static String socket() {
        return List.of("/run/containerd/containerd.sock", "/var/run/docker/containerd/containerd.sock").stream()
                .filter(p -> Files.exists(Path.of(p)) && run(p, "version").exit == 0).findFirst().orElse(null);
    }

    record Result(int exit, String output) {
    }

    static Result run(String socket, String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "-a", socket, "-n", NAMESPACE));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "ctr did not finish within 60 s: " + command);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    @AfterEach
    void removeTheTestNamespace() {
        String socket = socket();
        if (socket != null) {
            run(socket, "images", "rm", IMAGE);
            run(socket, "content", "prune", "references");
            run(socket, "namespaces", "rm", NAMESPACE);
        }
    }

    @Test
    void theSinglePlatformCopyImportsWhereTheSavedIndexFails() throws IOException {
        String socket = socket();
        Assumptions.assumeTrue(socket != null, "no containerd socket answering `ctr version` (install containerd, or run"
                + " where Docker's containerd runs): the import cannot be tried here");
        Path saved = OciArchives.multiPlatformWithOnlyAmd64(dir.resolve("saved.tar"), IMAGE);

        Result asSaved = run(socket, "images", "import", "--all-platforms", saved.toString());
        assertThat(asSaved.exit()).as("all-platforms import of the archive as saved: %s", asSaved.output()).isNotZero();
        assertThat(asSaved.output()).contains("not found");
        assertThat(run(socket, "images", "ls", "-q").output()).doesNotContain(IMAGE);

        Path single = ImageArchive.singlePlatform(saved, "amd64", dir.resolve("single.tar"));
        Result imported = run(socket, "images", "import", "--all-platforms", single.toString());
        assertThat(imported.exit()).as("all-platforms import of the single-platform copy: %s", imported.output()).isZero();
        assertThat(run(socket, "images", "ls", "-q").output().lines()).contains(IMAGE);
    }
}
