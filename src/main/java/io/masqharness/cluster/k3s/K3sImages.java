package io.masqharness.cluster.k3s;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.docker.DockerImages;
import io.masqharness.cluster.docker.ImageArchive;
import io.masqharness.cluster.docker.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Where each image of a K3s run comes from: the local Docker engine, an archive in the air-gap
 * folder ({@code k3s-images/airgap/}, or {@code -Dharness.airgapDir}), or a pull. The nodes pull
 * nothing: every image they need is copied in as a tar and checked in their containerd.
 */
public final class K3sImages {

    public static final String AIRGAP_DIR_PROPERTY = "harness.airgapDir";
    public static final Duration PULL = Duration.ofMinutes(10);
    public static final String AIRGAP_HELP = "where a registry is reachable the run pulls it (or `docker pull` it); without one, put an"
            + " archive holding it in k3s-images/airgap/ (`docker save` on a connected machine; see k3s-images/airgap/README.md)";

    /** @param archive the air-gap archive that holds the image, when one does */
    public record Supply(String image, Optional<Path> archive, boolean inEngine, Optional<String> problem) {
        public String describe() {
            if (problem.isPresent()) {
                return "not available: " + problem.get();
            }
            return archive.map(a -> "in " + a).orElse(inEngine ? "in the local Docker engine" : "pulled when the run starts");
        }
    }

    private final K3sPlan plan;
    private final Path airgapDir;
    private final Map<Path, Set<String>> archives;

    public K3sImages(K3sPlan plan, Path airgapDir) {
        this.plan = plan;
        this.airgapDir = airgapDir;
        this.archives = readArchives(airgapDir);
    }

    public static Path airgapDir() {
        return Path.of(System.getProperty(AIRGAP_DIR_PROPERTY, "k3s-images/airgap"));
    }

    /** The air-gap folder's readable archives and the images in each. */
    static Map<Path, Set<String>> readArchives(Path dir) {
        Map<Path, Set<String>> found = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(ImageArchive::readable).sorted().toList()) {
                found.put(f, ImageArchive.images(f));
            }
        } catch (IOException e) {
            throw new ClusterException("list the air-gap folder", dir.toString(), e);
        }
        return found;
    }

    /** Archives K3s could import but the harness cannot read (compressed other than gzip): say how to make them readable. */
    public List<String> unreadableArchives() {
        if (!Files.isDirectory(airgapDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(airgapDir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches(".*\\.(tar\\.zst|tzst|tar\\.lz4|tar\\.bz2|tbz)$"))
                    .sorted().map(n -> n + " (decompress it to .tar, e.g. `zstd -d " + n + "`: the harness reads .tar and .tar.gz)").toList();
        } catch (IOException e) {
            return List.of(airgapDir + ": " + e.getMessage());
        }
    }

    /** The K3s image and the node images except the probe (built locally, see ProbeImage). */
    public List<String> registryImages() {
        return plan.requiredImages().stream().filter(i -> !i.equals(plan.probeImage())).toList();
    }

    /**
     * Where each image comes from, without pulling; an image in neither the engine nor an archive
     * is checked with the engine's registry access, and its problem is the registry's answer.
     */
    public List<Supply> assess() {
        return registryImages().stream().map(this::assess).toList();
    }

    private Supply assess(String image) {
        Optional<Path> archive = archiveHolding(image);
        boolean inEngine = DockerImages.present(image);
        Optional<String> problem = Optional.empty();
        if (archive.isEmpty() && !inEngine) {
            problem = DockerImages.notPullable(image).map(e -> "not in the local Docker engine nor in " + airgapDir
                    + ", and the engine cannot pull it: " + e);
        }
        return new Supply(image, archive, inEngine, problem);
    }

    Optional<Path> archiveHolding(String image) {
        String wanted = ImageRef.normalize(image);
        return archives.entrySet().stream().filter(e -> e.getValue().contains(wanted)).map(Map.Entry::getKey).findFirst();
    }

    /**
     * Makes every image available: pulls what neither the engine nor an archive holds (a progress
     * line per image, bounded), loads the K3s image from an archive when only one holds it. Each
     * supply says where the image now is, or the registry's error.
     */
    public List<Supply> provideEach(Consumer<String> progress) {
        List<Supply> supplies = new ArrayList<>();
        for (String image : registryImages()) {
            Supply s = assess(image);
            boolean engineNeeded = image.equals(plan.scenario().cluster().k3sImage()) || s.archive().isEmpty();
            if (s.inEngine() || !engineNeeded) {
                supplies.add(s);
                continue;
            }
            try {
                if (s.archive().isPresent()) {
                    DockerImages.load(s.archive().get(), progress);
                } else {
                    DockerImages.pull(image, PULL, progress);
                }
                supplies.add(new Supply(image, s.archive(), true, Optional.empty()));
            } catch (ClusterException e) {
                supplies.add(new Supply(image, s.archive(), false, Optional.of(e.getMessage())));
            }
        }
        return supplies;
    }

    /** {@link #provideEach}, throwing with every image that could not be had and the registry's error. */
    public void provision(Consumer<String> progress) {
        List<String> failures = provideEach(progress).stream().filter(s -> s.problem().isPresent())
                .map(s -> s.image() + ": " + s.problem().get()).toList();
        if (!failures.isEmpty()) {
            throw new ClusterException("provide the images", String.join(", ", registryImages()),
                    "could not have " + failures.size() + " image(s):\n  " + String.join("\n  ", failures)
                    + "\nWhere no registry is reachable, " + AIRGAP_HELP);
        }
    }

    /** The archives every node gets in its images folder: air-gap archives as they are (or single-platform), the rest saved from the engine. */
    public List<Path> tarsForNodes(Path workDir, Consumer<String> progress) {
        String arch = DockerImages.architecture();
        Set<Path> tars = new LinkedHashSet<>();
        for (String image : plan.nodeImages()) {
            Optional<Path> archive = archiveHolding(image);
            if (archive.isPresent()) {
                Path a = archive.get();
                tars.add(ImageArchive.singlePlatform(a, arch, workDir.resolve("airgap-" + a.getFileName().toString()
                        .replaceAll("\\.(tar\\.gz|tgz)$", ".tar"))));
                continue;
            }
            progress.accept("saving " + image + " for the nodes (single-platform " + arch + ", imported by K3s at boot)");
            tars.add(DockerImages.saveForK3s(image, workDir, arch));
        }
        return List.copyOf(tars);
    }

    /** Which of {@code wanted} a node's {@code k3s ctr -n k8s.io images ls -q} output lacks (by normalised name). */
    public static List<String> missingFrom(String ctrImagesOutput, List<String> wanted) {
        Set<String> listed = new LinkedHashSet<>();
        ctrImagesOutput.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("sha256:") && !l.contains("@sha256:"))
                .forEach(l -> listed.add(ImageRef.normalize(l)));
        return wanted.stream().filter(w -> !listed.contains(ImageRef.normalize(w))).toList();
    }
}
