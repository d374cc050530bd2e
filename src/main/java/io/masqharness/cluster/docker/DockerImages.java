package io.masqharness.cluster.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.masqharness.cluster.ClusterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.TransportConfig;

/** Images in the local Docker engine: present, pulled (bounded, with progress), saved for a K3s node, loaded from a tar. */
public final class DockerImages {

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerImages() {
    }

    public static boolean present(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Why the engine could not pull the image now, asked without pulling: the engine resolves the
     * manifest with its own registry mirrors, proxy and credentials ({@code GET /distribution}).
     * Empty when it could.
     */
    public static Optional<String> notPullable(String image) {
        return engineApi("/distribution/" + image + "/json");
    }

    /**
     * Whether the engine holds an image, asked over the engine's API directly: unlike {@link
     * #present}, this starts nothing of Testcontainers' own (its reaper container).
     */
    public static boolean presentWithoutTestcontainers(String image) {
        return engineApi("/images/" + image + "/json").isEmpty();
    }

    /** Why the engine does not answer {@code /_ping}, asked without starting anything of Testcontainers'; empty when it does. */
    public static Optional<String> unreachable() {
        try {
            return engineApi("/_ping");
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** GET on the engine's API: empty on 200, else the engine's message. */
    private static Optional<String> engineApi(String path) {
        TransportConfig transport = DockerClientFactory.instance().getTransportConfig();
        try (DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(transport.getDockerHost())
                .sslConfig(transport.getSslConfig()).connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(30)).build();
             DockerHttpClient.Response r = http.execute(DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                     .path(path).build())) {
            if (r.getStatusCode() == 200) {
                return Optional.empty();
            }
            String body = new String(r.getBody().readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(JSON.readTree(body).path("message").asText(body).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.of("asking the Docker engine failed: " + e.getMessage());
        }
    }

    /** Pulls into the local engine, at most {@code bound}, printing a line at the start, every 30 s, and at the end. */
    public static void pull(String image, Duration bound, Consumer<String> progress) {
        long start = System.nanoTime();
        progress.accept("pulling " + image + " (at most " + bound.toMinutes() + " min)");
        Map<String, Long[]> layers = new ConcurrentHashMap<>();
        long[] lastLine = {start};
        PullImageResultCallback callback = new PullImageResultCallback() {
            @Override
            public void onNext(PullResponseItem item) {
                super.onNext(item);
                if (item.getId() != null && item.getProgressDetail() != null && item.getProgressDetail().getTotal() != null) {
                    layers.put(item.getId(), new Long[] {item.getProgressDetail().getCurrent(), item.getProgressDetail().getTotal()});
                }
                long now = System.nanoTime();
                if (now - lastLine[0] > PROGRESS_EVERY.toNanos()) {
                    lastLine[0] = now;
                    progress.accept(String.format("still pulling %s after %.0f s: %s", image, (now - start) / 1e9, downloaded(layers)));
                }
            }
        };
        try {
            DockerClientFactory.instance().client().pullImageCmd(image).exec(callback);
            if (!callback.awaitCompletion(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                callback.close();
                throw new ClusterException("pull " + image, ImageRef.registry(image), "not done after " + bound.toMinutes()
                        + " min (" + downloaded(layers) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("pull " + image, ImageRef.registry(image), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ClusterException c) {
                throw c;
            }
            throw new ClusterException("pull " + image, ImageRef.registry(image), e.getMessage());
        }
        progress.accept(String.format("pulled %s in %.0f s", image, (System.nanoTime() - start) / 1e9));
    }

    private static String downloaded(Map<String, Long[]> layers) {
        long current = layers.values().stream().mapToLong(l -> l[0] == null ? 0 : l[0]).sum();
        long total = layers.values().stream().mapToLong(l -> l[1] == null ? 0 : l[1]).sum();
        return String.format("%.0f of %.0f MB in %d layers", current / 1e6, total / 1e6, layers.size());
    }

    /** {@code docker save}s an image into {@code dir} as an archive K3s v1.26 imports (see {@link ImageArchive}). */
    public static Path saveForK3s(String image, Path dir, String arch) {
        Path saved = dir.resolve(image.replaceAll("[^A-Za-z0-9.-]", "_") + ".saved.tar");
        try (InputStream in = DockerClientFactory.instance().client().saveImageCmd(image).exec()) {
            Files.copy(in, saved, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ClusterException("docker save", image, e);
        }
        Path single = ImageArchive.singlePlatform(saved, arch, dir.resolve(image.replaceAll("[^A-Za-z0-9.-]", "_") + ".tar"));
        if (!single.equals(saved)) {
            try {
                Files.delete(saved);
            } catch (IOException ignored) {
                // A temporary file of the run's work directory, removed with it.
            }
        }
        return single;
    }

    /** {@code docker load -i tar}. */
    public static void load(Path tar, Consumer<String> progress) {
        progress.accept("docker load -i " + tar);
        try (InputStream in = Files.newInputStream(tar)) {
            DockerClientFactory.instance().client().loadImageCmd(in).exec();
        } catch (IOException e) {
            throw new ClusterException("docker load", tar.toString(), e);
        }
    }

    /** The engine's CPU architecture as OCI names it (amd64, arm64, ...). */
    public static String architecture() {
        String arch = DockerClientFactory.instance().getInfo().getArchitecture();
        return switch (arch == null ? "" : arch) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}
