package io.masqharness.probe;

import io.masqharness.cluster.docker.DockerImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The probe image, built from {@code k3s-images/probe} with the probe agent jar and tagged by the
 * hash of everything that goes into it, so an unchanged image is reused instead of rebuilt.
 */
public final class ProbeImage {

    public static final String BASE_IMAGE = "debian:bookworm-slim";
    public static final String REPOSITORY = "masq-harness-probe";
    /** The build installs a JRE and tools from Debian's archive: about a minute on a hosted runner, bounded all the same. */
    public static final java.time.Duration BUILD = java.time.Duration.ofMinutes(15);

    private final Path dockerDir;
    private final Path agentJar;

    public ProbeImage(Path dockerDir, Path agentJar) {
        this.dockerDir = dockerDir;
        this.agentJar = agentJar;
    }

    /** Defaults relative to the project root: {@code k3s-images/probe}, {@code target/cilium-masq-harness-probe.jar}. */
    public static ProbeImage fromProject() {
        return new ProbeImage(Path.of(System.getProperty("harness.probeDockerDir", "k3s-images/probe")),
                Path.of(System.getProperty("harness.probeJar", "target/cilium-masq-harness-probe.jar")));
    }

    /** Why the image cannot be had here, and the fix: what {@code doctor} prints on two lines, a skip reason on one. */
    public record Unavailable(String found, String fix) {
        @Override
        public String toString() {
            return found + ": " + fix;
        }
    }

    /** Why the image cannot be had here, with the fix; empty when it can (present, or built at start from a base image the engine has or can pull). */
    public Optional<Unavailable> unavailable() {
        if (!Files.isRegularFile(agentJar)) {
            return Optional.of(new Unavailable("the probe agent jar " + agentJar + " is missing", "run `mvn package` first"));
        }
        if (DockerImages.present(tag()) || DockerImages.present(BASE_IMAGE)) {
            return Optional.empty();
        }
        return DockerImages.notPullable(BASE_IMAGE).map(error -> new Unavailable("the probe image is built on " + BASE_IMAGE
                + ", which is not in the local engine, and the engine cannot pull it (" + error + ")",
                "build it offline with `bash k3s-images/base/build-debian-base.sh` (debootstrap from Debian's archive)"));
    }

    /** {@link #unavailable()} as one line. */
    public Optional<String> unavailableReason() {
        return unavailable().map(Unavailable::toString);
    }

    /** How the image will be had, for {@code doctor}. */
    public String describe() {
        if (DockerImages.present(tag())) {
            return tag() + " is in the local engine";
        }
        return tag() + " is built at start from k3s-images/probe on " + BASE_IMAGE
                + (DockerImages.present(BASE_IMAGE) ? " (in the local engine)" : " (pulled by the build)");
    }

    public String tag() {
        return REPOSITORY + ":" + contentHash().substring(0, 16);
    }

    /** Returns the tag of a present image, building it first when needed. */
    public String resolve(Consumer<String> progress) {
        String tag = tag();
        if (DockerImages.present(tag)) {
            progress.accept("probe image " + tag + " is up to date");
            return tag;
        }
        long start = System.nanoTime();
        progress.accept("building probe image " + tag + " (Debian packages: JRE, tcpdump, iproute2, iptables ...)");
        try {
            new ImageFromDockerfile(tag, false)
                    .withFileFromPath("Dockerfile", dockerDir.resolve("Dockerfile"))
                    .withFileFromPath("probe", dockerDir.resolve("probe"))
                    .withFileFromPath("probe.jar", agentJar)
                    .get(BUILD.toMinutes(), TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            throw new IllegalStateException("building probe image " + tag + " did not finish within " + BUILD.toMinutes() + " min (its"
                    + " RUN apt-get install reaches Debian's archive: is it reachable from Docker's build network?)", e);
        }
        progress.accept(String.format("built probe image %s in %.0f s", tag, (System.nanoTime() - start) / 1e9));
        return tag;
    }

    private String contentHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : List.of(dockerDir.resolve("Dockerfile"), dockerDir.resolve("probe"), agentJar)) {
                sha.update(p.getFileName().toString().getBytes());
                sha.update(Files.readAllBytes(p));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the probe image inputs", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
