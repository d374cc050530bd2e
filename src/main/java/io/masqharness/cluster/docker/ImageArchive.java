package io.masqharness.cluster.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.masqharness.cluster.ClusterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An image archive as {@code docker save} writes it, or as K3s's air-gap tarball comes: which
 * images it holds, and a single-platform copy that K3s v1.26 can import.
 *
 * <p>Why the copy: K3s v1.26.6 imports with all platforms and no skip-missing option (containerd
 * v1.7.1 {@code Client.Import}; {@code WithSkipMissing} came with v1.7.12). A {@code docker save}
 * from Docker's containerd image store writes the image's whole index but only the local
 * platform's blobs, so the import fails with {@code content digest ...: not found}, which K3s only
 * logs. When the tar is an OCI layout, its index is rewritten to point straight at the one
 * platform's manifest whose blobs are there; Docker-format archives (no {@code oci-layout}) are
 * already single-platform for containerd and are used as they are.
 */
public final class ImageArchive {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> INDEX_TYPES = Set.of("application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    public static final String NAME_ANNOTATION = "io.containerd.image.name";
    public static final String REF_ANNOTATION = "org.opencontainers.image.ref.name";

    private ImageArchive() {
    }

    /** The image references an archive holds, normalised ({@link ImageRef}); {@code .tar}, {@code .tar.gz} or {@code .tgz}. */
    public static Set<String> images(Path archive) {
        Set<String> refs = new LinkedHashSet<>();
        try (InputStream raw = Files.newInputStream(archive);
             InputStream in = gzipped(archive) ? new GZIPInputStream(raw, 1 << 16) : raw;
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = clean(e.getName());
                if (name.equals("manifest.json")) {
                    JSON.readTree(tar.readAllBytes()).forEach(m -> m.path("RepoTags").forEach(t -> refs.add(ImageRef.normalize(t.asText()))));
                } else if (name.equals("index.json")) {
                    JSON.readTree(tar.readAllBytes()).path("manifests").forEach(m -> {
                        String ref = m.path("annotations").path(NAME_ANNOTATION).asText("");
                        if (!ref.isEmpty()) {
                            refs.add(ImageRef.normalize(ref));
                        }
                    });
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ClusterException("read image archive", archive.toString(), "not a readable image tar: " + e.getMessage());
        }
        return refs;
    }

    public static boolean readable(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".tar") || gzipped(file);
    }

    private static boolean gzipped(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".tar.gz") || n.endsWith(".tgz");
    }

    /**
     * A copy of {@code archive} whose OCI index names one manifest of {@code linux/<arch>} per image
     * (written to {@code out}), or {@code archive} itself when it needs no change.
     */
    public static Path singlePlatform(Path archive, String arch, Path out) {
        if (gzipped(archive)) {
            // TarFile reads no entry of gzip data: unpacked first, or a gzipped OCI layout would pass unrewritten (review 2, N14).
            Path plain = out.resolveSibling("gunzipped-" + out.getFileName());
            try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
                Files.copy(in, plain, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new ClusterException("unpack the gzipped image archive", archive.toString(), e);
            }
            Path result = singlePlatform(plain, arch, out);
            if (result.equals(plain)) {
                deleteQuietly(plain);
                return archive;
            }
            deleteQuietly(plain);
            return result;
        }
        try (TarFile tar = new TarFile(archive)) {
            Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
            tar.getEntries().forEach(e -> entries.put(clean(e.getName()), e));
            if (!entries.containsKey("oci-layout") || !entries.containsKey("index.json")) {
                return archive;
            }
            ObjectNode index = (ObjectNode) JSON.readTree(tar.getInputStream(entries.get("index.json")));
            ArrayNode rewritten = JSON.createArrayNode();
            boolean changed = false;
            for (JsonNode descriptor : index.path("manifests")) {
                if (!INDEX_TYPES.contains(descriptor.path("mediaType").asText())) {
                    rewritten.add(descriptor);
                    continue;
                }
                JsonNode nested = JSON.readTree(tar.getInputStream(blob(entries, descriptor, archive)));
                ObjectNode chosen = choose(nested, arch, entries, archive, descriptor).deepCopy();
                if (descriptor.has("annotations")) {
                    ObjectNode annotations = chosen.has("annotations") ? (ObjectNode) chosen.get("annotations") : chosen.putObject("annotations");
                    annotations.setAll((ObjectNode) descriptor.get("annotations"));
                }
                chosen.remove("platform");
                rewritten.add(chosen);
                changed = true;
            }
            if (!changed) {
                return archive;
            }
            index.set("manifests", rewritten);
            write(tar, entries, JSON.writeValueAsBytes(index), out);
            return out;
        } catch (IOException e) {
            throw new ClusterException("make a single-platform copy", archive.toString(), e);
        }
    }

    /** The {@code linux/<arch>} manifest of a nested index whose blob the archive holds (attestations are not images). */
    private static JsonNode choose(JsonNode nested, String arch, Map<String, TarArchiveEntry> entries, Path archive, JsonNode parent) {
        for (JsonNode m : nested.path("manifests")) {
            JsonNode platform = m.path("platform");
            if (platform.path("os").asText().equals("linux") && platform.path("architecture").asText().equals(arch)
                    && entries.containsKey(blobPath(m))) {
                return m;
            }
        }
        throw new ClusterException("make a single-platform copy", archive.toString(), "the image "
                + parent.path("annotations").path(NAME_ANNOTATION).asText(parent.path("digest").asText())
                + " has no linux/" + arch + " manifest in the archive (platforms listed: "
                + nested.path("manifests").findValues("architecture") + "); save it on a linux/" + arch + " machine or with"
                + " `docker save --platform linux/" + arch + "` (Docker 28+)");
    }

    private static TarArchiveEntry blob(Map<String, TarArchiveEntry> entries, JsonNode descriptor, Path archive) {
        TarArchiveEntry e = entries.get(blobPath(descriptor));
        if (e == null) {
            throw new ClusterException("make a single-platform copy", archive.toString(), "index blob " + blobPath(descriptor)
                    + " is missing from the archive");
        }
        return e;
    }

    static String blobPath(JsonNode descriptor) {
        return "blobs/" + descriptor.path("digest").asText().replace(':', '/');
    }

    private static void write(TarFile tar, Map<String, TarArchiveEntry> entries, byte[] index, Path out) throws IOException {
        try (OutputStream file = Files.newOutputStream(out);
             TarArchiveOutputStream o = new TarArchiveOutputStream(file)) {
            o.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            o.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, TarArchiveEntry> e : entries.entrySet()) {
                TarArchiveEntry copy = new TarArchiveEntry(e.getValue().getName(), e.getValue().getLinkFlag());
                copy.setMode(e.getValue().getMode());
                copy.setModTime(e.getValue().getLastModifiedTime());
                boolean isIndex = e.getKey().equals("index.json");
                copy.setSize(isIndex ? index.length : e.getValue().isFile() ? e.getValue().getSize() : 0);
                o.putArchiveEntry(copy);
                if (isIndex) {
                    o.write(index);
                } else if (e.getValue().isFile()) {
                    try (InputStream in = tar.getInputStream(e.getValue())) {
                        in.transferTo(o);
                    }
                }
                o.closeArchiveEntry();
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A file of the run's work directory, removed with it.
        }
    }

    private static String clean(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }
}
