package io.masqharness.cilium;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The labelled lines of {@code cilium status}: which label a pasted line carries and its value. A label may
 * follow a prefix that ends in a separator ({@code node-1: }, {@code [pod/cilium-x] }, {@code # }), as the
 * {@code Masquerading:} line has always been read; the earliest label on the line wins, so {@code Host Routing:}
 * is not read as {@code Routing:}. The value loses the author's trailing note: whitespace, {@code #}, and anything
 * after it ({@code Host Routing:  Legacy  # 表示主机路由使用传统模式。}). No value Cilium prints on these lines
 * holds a {@code #} after a blank (devices, addresses, CIDRs, mode words), and a {@code #} that starts the line
 * is a shell-comment prefix, not a note, so it is kept.
 */
final class StatusLines {

    /** A line's label and its value without the author's note. */
    record Labelled(String label, String value, PastedLine line, boolean noted) {
    }

    /** Labels to look for, each with its pattern: the label after the start of the line or a separator, then a colon. */
    record Labels(List<String> names, List<Pattern> patterns) {

        static Labels of(List<String> names) {
            return new Labels(List.copyOf(names), names.stream().map(n -> Pattern.compile("(?:^|(?<=" + SEPARATORS + "))"
                    + Pattern.quote(n) + ":(?=\\s|$)")).toList());
        }
    }

    private static final Pattern NOTE = Pattern.compile("\\s+#.*$");
    private static final String SEPARATORS = "[\\s:>|#*$\\]-]";
    private static final Pattern COMMENT_MARK = Pattern.compile("^#+\\s*");
    /** As for the Masquerading line: at most 200 characters and a separator before the label. */
    private static final int MAX_START = 201;

    private StatusLines() {
    }

    /** The text without a trailing {@code # …} note. */
    static String withoutNote(String text) {
        return NOTE.matcher(text).replaceFirst("");
    }

    static boolean hasNote(String text) {
        return NOTE.matcher(text).find();
    }

    /** The earliest of {@code labels} on the line, after an optional prefix that ends in a separator. */
    static Optional<Labelled> find(PastedLine line, Labels labels) {
        String text = line.text();
        int best = -1;
        String label = null;
        for (int i = 0; i < labels.names().size(); i++) {
            Matcher m = labels.patterns().get(i).matcher(text);
            if (m.find() && m.start() <= MAX_START && (label == null || m.start() < best)) {
                best = m.start();
                label = labels.names().get(i);
            }
        }
        if (label == null) {
            return Optional.empty();
        }
        return Optional.of(labelled(line, label, text.substring(best + label.length() + 1)));
    }

    /**
     * One of {@code labels} at the start of the line, after at most a comment mark ({@code #   Mode:  DSR}): for
     * the lines of a block such as {@code KubeProxyReplacement Details:}, whose labels ({@code Mode}, {@code Status})
     * also end longer labels elsewhere ({@code Device Mode:}, {@code Controller Status:}).
     */
    static Optional<Labelled> atStart(PastedLine line, List<String> labels) {
        String text = COMMENT_MARK.matcher(line.text()).replaceFirst("");
        for (String l : labels) {
            if (text.startsWith(l + ":") && (text.length() == l.length() + 1 || Character.isWhitespace(text.charAt(l.length() + 1)))) {
                return Optional.of(labelled(line, l, text.substring(l.length() + 1)));
            }
        }
        return Optional.empty();
    }

    /** Whether the line is only the author's comment ({@code # 开启 Hubble}), which carries no label of its own. */
    static boolean isComment(PastedLine line) {
        return line.text().startsWith("#");
    }

    private static Labelled labelled(PastedLine line, String label, String rest) {
        boolean noted = hasNote(rest);
        return new Labelled(label, withoutNote(rest).strip(), line, noted);
    }
}
