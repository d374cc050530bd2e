package io.masqharness.cilium;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A {@code cilium sysdump} (cilium-cli) read offline, as its zip or unpacked: the cilium-config ConfigMap
 * ({@code cilium-configmap-<ts>.yaml}; {@code cilium-config-configmap-<ts>.yaml} before cilium-cli 0.15), an
 * ip-masq-agent ConfigMap if one was added, and per agent pod the cilium-bugtool archive
 * ({@code cilium-bugtool-<pod>-<ts>.tar[.gz]}) whose {@code cmd/} folder holds one file per command, named by
 * replacing blanks with dashes ({@code cilium-status---verbose.md}, {@code cilium-bpf-nat-list.md},
 * {@code cilium-bpf-ipmasq-list.md}, {@code iptables-save--c.md}; {@code cilium-dbg-...} from 1.15).
 */
public record SysdumpCapture(Optional<TextFile> ciliumConfig, Optional<TextFile> ipMasqAgentConfig, List<NodeCapture> nodes,
                             List<InputProblem> problems) {

    static final long MAX_ENTRY = PastedLines.MAX_CHARS;
    static final long MAX_TOTAL = 1L << 30;
    static final int MAX_ENTRIES = 200_000;

    private static final Pattern BUGTOOL = Pattern.compile("cilium-bugtool-(.+?)-(\\d{8}-\\d{6})(?:\\.tar(?:\\.gz)?)?$");
    private static final Pattern CONFIG = Pattern.compile("(?:^|/)(?:cilium-configmap|cilium-config-configmap|cilium-cm)-[^/]*\\.ya?ml$");
    private static final Map<String, List<String>> COMMANDS = Map.of(
            "status", List.of("cilium-status---verbose", "cilium-dbg-status---verbose", "cilium-status", "cilium-dbg-status"),
            "ipmasq", List.of("cilium-bpf-ipmasq-list", "cilium-dbg-bpf-ipmasq-list"),
            "nat", List.of("cilium-bpf-nat-list", "cilium-dbg-bpf-nat-list"),
            "iptables", List.of("iptables-save--c", "iptables-nft-save--c", "iptables-legacy-save--c", "iptables-save"));

    public SysdumpCapture {
        nodes = List.copyOf(nodes);
        problems = List.copyOf(problems);
    }

    public static SysdumpCapture read(Path dirOrZip) {
        Map<String, byte[]> files = new TreeMap<>();
        try {
            if (Files.isDirectory(dirOrZip)) {
                readDirectory(dirOrZip, files);
            } else {
                try (InputStream in = Files.newInputStream(dirOrZip)) {
                    readZip(in, files, new long[1]);
                }
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            // ZipInputStream reports an entry name that is not UTF-8 with an IllegalArgumentException (found by fuzzing).
            throw new CiliumInputException(0, "cannot read it as a sysdump folder or zip: " + e.getMessage());
        }
        return of(files);
    }

    /** The sysdump from its files: relative path -> content; bugtool archives are opened here. */
    static SysdumpCapture of(Map<String, byte[]> files) {
        List<InputProblem> problems = new ArrayList<>();
        Optional<TextFile> config = first(files, CONFIG, problems, "cilium-config ConfigMap");
        Optional<TextFile> ipMasq = first(files, Pattern.compile("ip-masq-agent[^/]*\\.(?:ya?ml|json)$"), problems,
                "ip-masq-agent ConfigMap");
        Map<String, Map<String, TextFile>> perPod = new TreeMap<>();
        long[] total = {0};
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Matcher b = bugtool(f.getKey());
            if (b == null) {
                continue;
            }
            Map<String, TextFile> cmds = perPod.computeIfAbsent(b.group(1), k -> new LinkedHashMap<>());
            if (f.getKey().endsWith(".tar") || f.getKey().endsWith(".tar.gz")) {
                readTar(f.getKey(), f.getValue(), cmds, total, problems);
            } else {
                command(f.getKey(), f.getValue(), cmds);
            }
        }
        if (config.isEmpty() && perPod.isEmpty()) {
            throw new CiliumInputException(0, "not a cilium sysdump: neither a cilium-bugtool-<pod>-<timestamp> archive nor a"
                    + " cilium-configmap-<timestamp>.yaml among its " + files.size() + " files");
        }
        List<NodeCapture> nodes = new ArrayList<>();
        perPod.forEach((pod, cmds) -> nodes.add(new NodeCapture(pod, pick(cmds, "status"), pick(cmds, "ipmasq"),
                pick(cmds, "nat"), pickIptables(cmds))));
        return new SysdumpCapture(config, ipMasq, nodes, problems);
    }

    private static Matcher bugtool(String path) {
        for (String part : path.split("/")) {
            Matcher m = BUGTOOL.matcher(part);
            if (m.matches() && !part.matches("cilium-bugtool-\\d{8}-\\d{6}")) {
                return m;
            }
        }
        return null;
    }

    private static Optional<TextFile> first(Map<String, byte[]> files, Pattern name, List<InputProblem> problems, String what) {
        List<String> found = files.keySet().stream().filter(k -> name.matcher(k).find() && bugtool(k) == null).toList();
        if (found.size() > 1) {
            problems.add(InputProblem.at(0, found.size() + " files look like the " + what + " " + found + "; read " + found.get(0)));
        }
        return found.stream().findFirst().map(k -> new TextFile(k, new String(files.get(k), StandardCharsets.UTF_8)));
    }

    private static Optional<TextFile> pick(Map<String, TextFile> cmds, String kind) {
        return COMMANDS.get(kind).stream().map(cmds::get).filter(java.util.Objects::nonNull).findFirst();
    }

    /** The agent's iptables wrapper picks one backend; the dump that holds Cilium's chains is the one it used. */
    private static Optional<TextFile> pickIptables(Map<String, TextFile> cmds) {
        return COMMANDS.get("iptables").stream().map(cmds::get).filter(java.util.Objects::nonNull)
                .filter(f -> f.text().contains("CILIUM_")).findFirst().or(() -> pick(cmds, "iptables"));
    }

    private static void command(String path, byte[] content, Map<String, TextFile> cmds) {
        if (wanted(path)) {
            cmds.putIfAbsent(base(path), new TextFile(path, new String(content, StandardCharsets.UTF_8)));
        }
    }

    /** A file of a bugtool {@code cmd/} folder that holds one of the commands inspect reads. */
    private static boolean wanted(String path) {
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String base = base(path);
        return (dir.equals("cmd") || dir.endsWith("/cmd")) && COMMANDS.values().stream().anyMatch(l -> l.contains(base));
    }

    private static String base(String path) {
        return path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.(?:md|txt)$", "");
    }

    private static void readTar(String name, byte[] archive, Map<String, TextFile> cmds, long[] total, List<InputProblem> problems) {
        try (InputStream raw = new ByteArrayInputStream(archive);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            int count = 0;
            while ((e = tar.getNextEntry()) != null && count++ < MAX_ENTRIES) {
                if (e.isFile() && wanted(e.getName())) {
                    command(name + "!" + e.getName(), bounded(tar, total), cmds);
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add(InputProblem.at(0, name + " is not a readable tar archive (" + e.getMessage() + "); its commands are missing"));
        }
    }

    private static void readDirectory(Path root, Map<String, byte[]> files) throws IOException {
        long[] total = {0};
        try (Stream<Path> walk = Files.walk(root, 8)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).limit(MAX_ENTRIES)::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (relevant(rel) && !rel.endsWith(".zip")) {
                    try (InputStream in = Files.newInputStream(p)) {
                        files.put(rel, bounded(in, total));
                    }
                }
            }
        }
    }

    private static void readZip(InputStream raw, Map<String, byte[]> files, long[] total) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry e;
            int count = 0;
            boolean any = false;
            while ((e = zip.getNextEntry()) != null && count++ < MAX_ENTRIES) {
                any = true;
                if (!e.isDirectory() && relevant(e.getName())) {
                    files.put(e.getName(), bounded(zip, total));
                }
            }
            if (!any) {
                throw new IOException("neither a folder nor a zip archive");
            }
        }
    }

    /** Only what inspect reads is loaded: a sysdump also holds logs and profiles of every pod. */
    private static boolean relevant(String path) {
        return CONFIG.matcher(path).find() || path.contains("ip-masq-agent") || bugtool(path) != null;
    }

    private static byte[] bounded(InputStream in, long[] total) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(MAX_ENTRY + 1, Integer.MAX_VALUE - 8));
        if (data.length > MAX_ENTRY) {
            throw new IOException("an entry is larger than " + MAX_ENTRY + " bytes");
        }
        total[0] += data.length;
        if (total[0] > MAX_TOTAL) {
            throw new IOException("more than " + MAX_TOTAL + " bytes unpacked");
        }
        return data;
    }
}
