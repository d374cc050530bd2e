package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code iptables-save} output (any tables) into rules; every other dump form is read by {@link IptablesCapture}. */
public final class IptablesSave {

    private IptablesSave() {
    }

    public static List<IptablesRule> parse(String output) {
        return IptablesCapture.parse(output).rules();
    }

    /** Splits on blanks, honouring the double quotes (and their backslash escapes) iptables-save puts around comments. */
    static List<String> tokenize(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && quoted && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if ((c == ' ' || c == '\t') && !quoted) {
                if (current.length() > 0 || any) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    any = false;
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0 || any) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
