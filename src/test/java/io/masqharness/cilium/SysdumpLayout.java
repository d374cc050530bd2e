package io.masqharness.cilium;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds a folder or zip laid out as cilium-cli's {@code cilium sysdump} writes it (sysdump/constants.go):
 * {@code cilium-sysdump-<ts>/cilium-configmap-<ts>.yaml} and per agent {@code cilium-bugtool-<pod>-<ts>.tar.gz},
 * whose {@code cilium-bugtool-<ts>/cmd/} folder holds one Markdown file per command (bugtool/cmd/root.go:
 * {@code # <command>}, then the output in a code fence).
 */
public final class SysdumpLayout {

    public static final String TS = "20230620-100000";
    public static final String ROOT = "cilium-sysdump-" + TS + "/";

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    public SysdumpLayout config(String yaml) {
        files.put(ROOT + "cilium-configmap-" + TS + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** @param commands bugtool command prompt (e.g. {@code cilium status --verbose}) -> its output */
    public SysdumpLayout agent(String pod, Map<String, String> commands) throws IOException {
        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(tgz))) {
            for (Map.Entry<String, String> c : commands.entrySet()) {
                byte[] body = ("# " + c.getKey() + "\n\n```\n" + c.getValue() + "\n```\n").getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry("cilium-bugtool-" + TS + "/cmd/" + c.getKey().replace("/", " ").replace(" ", "-") + ".md");
                e.setSize(body.length);
                tar.putArchiveEntry(e);
                tar.write(body);
                tar.closeArchiveEntry();
            }
        }
        files.put(ROOT + "cilium-bugtool-" + pod + "-" + TS + ".tar.gz", tgz.toByteArray());
        return this;
    }

    public Path folder(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        return dir.resolve(ROOT);
    }

    public Path zip(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
