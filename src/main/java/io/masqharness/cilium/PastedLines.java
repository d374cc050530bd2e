package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What pasting adds around command output, removed the same way for every parser: carriage returns,
 * terminal colour codes, CI log timestamps ({@code [2023-06-07T10:29:42.410Z]}, {@code 2023-06-07T10:29:42.4101234Z}),
 * indentation and tabs, Markdown code fences (cilium-bugtool writes its {@code .md} files so), and kubectl's
 * {@code Defaulted container "cilium-agent" out of: ...} notice, and the backticks of a line quoted as inline code.
 * Blank lines are dropped; line numbers stay the file's.
 */
public final class PastedLines {

    /** Upper bound on what a parser reads: a node's nat table is large, but not this large. */
    public static final int MAX_CHARS = 32 << 20;

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "^\\[?\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?]?(?=\\s|$)");
    private static final Pattern PROMPT = Pattern.compile("[$%>#]\\s|[\\w.@:~/-]{1,200}[#$]\\s");
    private static final Pattern COMMAND = Pattern.compile(
            "(?:^|[#$>]\\s{0,4})(?:sudo\\s+)?(?:kubectl|docker|crictl|iptables(?:-save)?|ip6tables|cilium(?:-dbg)?)\\s");

    private PastedLines() {
    }

    public static List<PastedLine> of(String text) {
        if (text.length() > MAX_CHARS) {
            throw new CiliumInputException(0, "the capture is " + text.length() + " characters long; at most " + MAX_CHARS
                    + " are read");
        }
        List<PastedLine> lines = new ArrayList<>();
        String[] raw = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String t = clean(raw[i]);
            if (!t.isEmpty() && !t.startsWith("```") && !t.startsWith("Defaulted container ")) {
                lines.add(new PastedLine(i + 1, t));
            }
        }
        return lines;
    }

    /** The line without colour codes, leading timestamps and surrounding whitespace. */
    static String clean(String line) {
        String t = line.indexOf('\u001B') >= 0 ? ANSI.matcher(line).replaceAll("") : line;
        t = strip(t.replace('\uFEFF', ' '));
        for (int i = 0; i < 2; i++) {
            var m = TIMESTAMP.matcher(t);
            if (!m.find()) {
                break;
            }
            t = strip(t.substring(m.end()));
        }
        if (t.length() > 2 && t.charAt(0) == '`' && t.charAt(t.length() - 1) == '`' && !t.startsWith("``")) {
            t = strip(t.substring(1, t.length() - 1));
        }
        return t;
    }

    /** A shell prompt, a command echoed before its output, or a comment: not output of the command itself. */
    static boolean isPromptOrComment(String text) {
        return PROMPT.matcher(text).lookingAt() || COMMAND.matcher(text).find();
    }

    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (Character.isWhitespace(s.charAt(start)) || s.charAt(start) == '\u00A0')) {
            start++;
        }
        while (end > start && (Character.isWhitespace(s.charAt(end - 1)) || s.charAt(end - 1) == '\u00A0')) {
            end--;
        }
        return s.substring(start, end);
    }
}
