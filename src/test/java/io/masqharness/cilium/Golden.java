package io.masqharness.cilium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The captures and composed outputs of src/test/resources/golden (see its README for each one's source). */
public final class Golden {

    public static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {
    }

    public static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
