package io.masqharness.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary folders the backends write values files and node mounts to. */
public final class WorkFolders {

    private WorkFolders() {
    }

    /**
     * Removes {@code folder} and everything in it, deepest first; a folder that is gone already, or a file that cannot be
     * removed, is left as it is: these are temporary files, and a teardown must not fail on them.
     */
    public static void deleteQuietly(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // Temporary files only.
        }
    }
}
