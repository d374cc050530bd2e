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
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] layer = tar(Map.of("hello.txt", "masquerading\n".getBytes(StandardCharsets.UTF_8)));
        byte[] config = JSON.writeValueAsBytes(Map.of("architecture", "amd64", "os", "linux",
                "config", Map.of("Cmd", List.of("/hello.txt")),
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(digest(layer)))));
        byte[] amd64 = JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", OCI_MANIFEST,
                "config", descriptor("application/vnd.oci.image.config.v1+json", config),
                "layers", List.of(descriptor("application/vnd.oci.image.layer.v1.tar", layer))));
        byte[] arm64 = "{\"not\":\"in the archive\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> amd64Desc = new LinkedHashMap<>(descriptor(OCI_MANIFEST, amd64));
        amd64Desc.put("platform", Map.of("architecture", "amd64", "os", "linux"));
        Map<String, Object> arm64Desc = new LinkedHashMap<>(descriptor(OCI_MANIFEST, arm64));
        arm64Desc.put("platform", Map.of("architecture", "arm64", "os", "linux"));
        Map<String, Object> attestation = new LinkedHashMap<>(descriptor(OCI_MANIFEST, "attestation".getBytes(StandardCharsets.UTF_8)));
        attestation.put("platform", Map.of("architecture", "unknown", "os", "unknown"));
        byte[] nested = JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", OCI_INDEX,
                "manifests", List.of(amd64Desc, arm64Desc, attestation)));
        Map<String, Object> top = new LinkedHashMap<>(descriptor(OCI_INDEX, nested));
        top.put("annotations", Map.of(ImageArchive.NAME_ANNOTATION, name, ImageArchive.REF_ANNOTATION, name.substring(name.lastIndexOf(':') + 1)));
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        for (byte[] blob : List.of(layer, config, amd64, nested)) {
            files.put("blobs/sha256/" + digest(blob).substring(7), blob);
        }
        files.put("index.json", JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", OCI_INDEX, "manifests", List.of(top))));
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
