package io.masqharness.cluster.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Image archives built byte by byte, laid out as Docker's containerd image store saves a
 * multi-platform image: the whole index, but only the local platform's blobs.
 */
public final class OciArchives {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private OciArchives() {
    }

    /** An OCI layout for {@code name}: amd64 complete, arm64 listed without its blobs, plus an attestation entry. */
    static Path multiPlatformWithOnlyAmd64(Path out, String name) throws IOException {
        return multiPlatform(out, "amd64", name);
    }

    /**
     * An OCI layout holding {@code names}, each a multi-platform index of which only {@code arch}'s
     * blobs are in the archive (the other platform is listed without them), plus an attestation entry.
     */
    public static Path multiPlatform(Path out, String arch, String... names) throws IOException {
        String other = arch.equals("arm64") ? "amd64" : "arm64";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        List<Object> tops = new java.util.ArrayList<>();
        for (String name : names) {
            byte[] layer = tar(Map.of("hello.txt", ("masquerading " + name + "\n").getBytes(StandardCharsets.UTF_8)));
            byte[] config = JSON.writeValueAsBytes(Map.of("architecture", arch, "os", "linux",
                    "config", Map.of("Cmd", List.of("/hello.txt")),
                    "rootfs", Map.of("type", "layers", "diff_ids", List.of(digest(layer)))));
            byte[] local = JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", OCI_MANIFEST,
                    "config", descriptor("application/vnd.oci.image.config.v1+json", config),
                    "layers", List.of(descriptor("application/vnd.oci.image.layer.v1.tar", layer))));
            byte[] missing = ("{\"not\":\"in the archive\",\"image\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            Map<String, Object> localDesc = new LinkedHashMap<>(descriptor(OCI_MANIFEST, local));
            localDesc.put("platform", Map.of("architecture", arch, "os", "linux"));
            Map<String, Object> otherDesc = new LinkedHashMap<>(descriptor(OCI_MANIFEST, missing));
            otherDesc.put("platform", Map.of("architecture", other, "os", "linux"));
            Map<String, Object> attestation = new LinkedHashMap<>(descriptor(OCI_MANIFEST, "attestation".getBytes(StandardCharsets.UTF_8)));
            attestation.put("platform", Map.of("architecture", "unknown", "os", "unknown"));
            byte[] nested = JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", OCI_INDEX,
                    "manifests", List.of(localDesc, otherDesc, attestation)));
            Map<String, Object> top = new LinkedHashMap<>(descriptor(OCI_INDEX, nested));
            top.put("annotations", Map.of(ImageArchive.NAME_ANNOTATION, name, ImageArchive.REF_ANNOTATION,
                    name.substring(name.lastIndexOf(':') + 1)));
            tops.add(top);
            for (byte[] blob : List.of(layer, config, local, nested)) {
                files.put("blobs/sha256/" + digest(blob).substring(7), blob);
            }
        }
        files.put("index.json", JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", OCI_INDEX, "manifests", tops)));
        Files.write(out, tar(files));
        return out;
    }

    /** A Docker-format archive (as Docker 20.10 saves): manifest.json with RepoTags, no OCI layout. */
    public static Path dockerFormat(Path out, String... repoTags) throws IOException {
        byte[] manifest = JSON.writeValueAsBytes(List.of(Map.of("Config", "c.json", "RepoTags", List.of(repoTags), "Layers", List.of())));
        Files.write(out, tar(Map.of("manifest.json", manifest, "c.json", "{}".getBytes(StandardCharsets.UTF_8))));
        return out;
    }

    static Map<String, Object> descriptor(String mediaType, byte[] content) {
        return Map.of("mediaType", mediaType, "digest", digest(content), "size", content.length);
    }

    static String digest(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream o = bytes; TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
