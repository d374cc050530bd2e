package io.masqharness.inspect;

import io.masqharness.cilium.CiliumInputException;
import io.masqharness.cilium.InputProblem;
import io.masqharness.cilium.NodeCapture;
import io.masqharness.cilium.SysdumpCapture;
import io.masqharness.cilium.TextFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The captured texts {@code inspect} was given: single files, or a sysdump whose cilium-config and per-agent
 * bugtool outputs fill what no single file was given for. A file that cannot be read is the user's input
 * error (exit 2), named.
 */
public record InspectInputs(Optional<TextFile> ciliumConfig, Optional<TextFile> ipMasqAgentConfig, List<NodeCapture> nodes,
                     List<InputProblem> problems) {

    static final long MAX_BYTES = 32L << 20;
    /** The node of single-file captures when no --node names it: not printed, since it names nothing. */
    static final String UNNAMED = "captured";

    /** The files {@code inspect} was given, each null when not given; {@code node} picks a sysdump's agents or names a single capture. */
    public record Given(Path status, Path ipmasq, Path nat, Path iptables, Path config, Path ipMasqAgentConfig, Path sysdump, String node) {
    }

    static InspectInputs of(Given c) {
        Optional<TextFile> status = file(c.status);
        Optional<TextFile> ipmasq = file(c.ipmasq);
        Optional<TextFile> nat = file(c.nat);
        Optional<TextFile> iptables = file(c.iptables);
        Optional<TextFile> config = file(c.config);
        Optional<TextFile> agentConfig = file(c.ipMasqAgentConfig);
        boolean single = status.isPresent() || ipmasq.isPresent() || nat.isPresent() || iptables.isPresent();
        String name = c.node != null ? c.node : UNNAMED;
        if (c.sysdump == null) {
            List<NodeCapture> nodes = single ? List.of(new NodeCapture(name, status, ipmasq, nat, iptables)) : List.of();
            return new InspectInputs(config, agentConfig, nodes, List.of());
        }
        SysdumpCapture dump;
        try {
            dump = SysdumpCapture.read(c.sysdump);
        } catch (CiliumInputException e) {
            throw e.in(c.sysdump.toString());
        }
        List<InputProblem> problems = new ArrayList<>(dump.problems().stream().map(p -> p.in(c.sysdump.toString())).toList());
        List<NodeCapture> nodes = new ArrayList<>();
        for (NodeCapture n : dump.nodes()) {
            if (c.node == null || n.node().contains(c.node)) {
                nodes.add(new NodeCapture(n.node(), status.or(n::status), ipmasq.or(n::ipMasq), nat.or(n::nat), iptables.or(n::iptables)));
            }
        }
        if (c.node != null && nodes.isEmpty()) {
            throw new CiliumInputException(0, "--node " + c.node + " matches none of the sysdump's agents "
                    + dump.nodes().stream().map(NodeCapture::node).toList()).in(c.sysdump.toString());
        }
        if (nodes.isEmpty() && single) {
            nodes.add(new NodeCapture(name, status, ipmasq, nat, iptables));
        }
        return new InspectInputs(config.or(dump::ciliumConfig), agentConfig.or(dump::ipMasqAgentConfig), nodes, problems);
    }

    private static Optional<TextFile> file(Path p) {
        if (p == null) {
            return Optional.empty();
        }
        try {
            if (Files.isDirectory(p)) {
                throw new CiliumInputException(0, "is a folder; give a file (or the folder as --sysdump)").in(p.toString());
            }
            byte[] data;
            try (InputStream in = Files.newInputStream(p)) {
                data = in.readNBytes((int) MAX_BYTES + 1);
            }
            if (data.length > MAX_BYTES) {
                throw new CiliumInputException(0, "larger than " + MAX_BYTES + " bytes: not a capture inspect reads").in(p.toString());
            }
            return Optional.of(new TextFile(p.toString(), decode(data)));
        } catch (IOException e) {
            throw new CiliumInputException(0, "cannot read: " + e.getClass().getSimpleName() + " " + e.getMessage()).in(p.toString());
        }
    }

    /** UTF-8, with undecodable bytes replaced; UTF-16 with its BOM, as PowerShell's {@code >} writes files. */
    public static String decode(byte[] data) {
        if (data.length >= 2 && (data[0] == (byte) 0xFF && data[1] == (byte) 0xFE || data[0] == (byte) 0xFE && data[1] == (byte) 0xFF)) {
            return new String(data, StandardCharsets.UTF_16);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(data)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }
}
