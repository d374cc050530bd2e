package io.masqharness.cilium;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's release as {@code cilium status} (or {@code cilium-dbg status}) prints it on its {@code Cilium:} line,
 * {@code Cilium:   Ok   1.15.6 (v1.15.6-a09e05e6)}: the version the capture is to be judged by.
 */
public final class AgentVersion {

    private static final Pattern LINE = Pattern.compile("^\\s*Cilium:\\s+\\S+\\s+v?(\\d+\\.\\d+\\.\\d+)\\b", Pattern.MULTILINE);

    private AgentVersion() {
    }

    /** The first {@code Cilium:} line's version, if the capture has one. */
    public static Optional<String> of(String statusCapture) {
        Matcher m = LINE.matcher(statusCapture);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
