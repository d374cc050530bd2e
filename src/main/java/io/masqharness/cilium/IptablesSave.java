package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code iptables-save} output (any tables) into rules. */
public final class IptablesSave {

    private IptablesSave() {
    }

    public static List<IptablesRule> parse(String output) {
        List<IptablesRule> rules = new ArrayList<>();
        String table = "";
        for (String raw : output.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith("-A ")) {
                List<String> tokens = tokenize(line);
                rules.add(new IptablesRule(table, tokens.get(1), List.copyOf(tokens.subList(2, tokens.size())), line));
            }
        }
        return rules;
    }

    /** Splits on spaces, honouring the double quotes iptables-save puts around comments. */
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
            } else if (c == ' ' && !quoted) {
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
