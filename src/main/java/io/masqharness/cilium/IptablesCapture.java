package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of an iptables dump in any of the forms people capture: {@code iptables-save [-c]},
 * {@code iptables [-t nat] -S}, and {@code iptables -t nat -L [-n] [-v] [-x] [--line-numbers]}. Listing rows are
 * turned into the tokens {@code iptables-save} would print for them, so one set of rule checks reads all forms.
 * {@code nft list ruleset} is recognised and refused with what to capture instead.
 */
public record IptablesCapture(List<IptablesRule> rules, java.util.Set<String> chains, List<InputProblem> problems) {

    private static final Pattern COUNTERS = Pattern.compile("^\\[\\d+:\\d+]\\s+");
    private static final Pattern LIST_ITEM = Pattern.compile("^\\d{1,4}[.)]\\s+(?=-[AINP]\\s)");
    private static final Pattern CHAIN_HEADER = Pattern.compile("^Chain\\s+(\\S+)\\s+\\((?:policy\\s|\\d+\\s+references?|user)");
    private static final Pattern NFT = Pattern.compile("^(?:table\\s+(?:ip|ip6|inet|arp|bridge|netdev)\\s+\\S+\\s*\\{|chain\\s+\\S+\\s*\\{)");

    public IptablesCapture {
        rules = List.copyOf(rules);
        chains = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(chains));
        problems = List.copyOf(problems);
    }

    public static IptablesCapture parse(String text) {
        List<IptablesRule> rules = new ArrayList<>();
        List<InputProblem> problems = new ArrayList<>();
        java.util.Set<String> chains = new java.util.LinkedHashSet<>();
        String table = "";
        ListingState listing = null;
        boolean recognised = false;
        PastedLine firstUnknown = null;
        for (PastedLine line : PastedLines.of(text)) {
            String t = uncomment(LIST_ITEM.matcher(COUNTERS.matcher(line.text()).replaceFirst("")).replaceFirst(""));
            Matcher chain = CHAIN_HEADER.matcher(t);
            if (NFT.matcher(t).find()) {
                throw new CiliumInputException(line.number(), "this is `nft list ruleset` output; capture `iptables-save -t nat`"
                        + " (or `iptables -t nat -S`) in the cilium-agent container instead");
            } else if (t.startsWith("*") && t.length() > 1 && t.indexOf(' ') < 0) {
                table = t.substring(1);
                listing = null;
                recognised = true;
            } else if (t.startsWith("-A ") || t.startsWith("-I ")) {
                IptablesRule rule = saveRule(table, t, line);
                if (rule == null) {
                    problems.add(InputProblem.at(line.number(), "an -A line without a chain: '" + StatusCapture.abbreviate(t) + "'"));
                } else {
                    rules.add(rule);
                }
                recognised = true;
            } else if (t.startsWith(":") || t.startsWith("-N ") || t.startsWith("-P ") || t.equals("COMMIT") || t.startsWith("#")) {
                recognised = recognised || !t.startsWith("#");
                if (!t.startsWith("#") && !t.equals("COMMIT")) {
                    String[] words = t.substring(t.startsWith(":") ? 1 : 3).strip().split("\\s+");
                    if (!words[0].isEmpty()) {
                        chains.add(words[0]);
                    }
                }
            } else if (chain.find()) {
                listing = new ListingState(chain.group(1));
                chains.add(chain.group(1));
                recognised = true;
            } else if (listing != null && ListingRow.isHeader(t)) {
                listing.columns = ListingRow.columns(t);
            } else if (listing != null && !PastedLines.isPromptOrComment(t)) {
                IptablesRule rule = ListingRow.rule(table, listing.chain, listing.columns, t);
                if (rule == null) {
                    problems.add(InputProblem.at(line.number(), "not a rule row of chain " + listing.chain + ": '"
                            + StatusCapture.abbreviate(t) + "'; left out"));
                } else {
                    rules.add(rule);
                }
            } else if (!PastedLines.isPromptOrComment(t)) {
                firstUnknown = firstUnknown == null ? line : firstUnknown;
                problems.add(InputProblem.at(line.number(), "not a line of an iptables dump: '" + StatusCapture.abbreviate(t)
                        + "'" + (t.contains("cilium") ? " (a rule outside a 'Chain ...' section cannot be placed in a chain)" : "")
                        + "; left out"));
            }
        }
        if (!recognised && firstUnknown != null) {
            throw new CiliumInputException(firstUnknown.number(), "not an iptables dump (expected iptables-save, iptables -S or"
                    + " iptables -L output): '" + StatusCapture.abbreviate(firstUnknown.text()) + "'");
        }
        rules.forEach(r -> chains.add(r.chain()));
        return new IptablesCapture(rules, chains, problems);
    }

    /** Some pastes comment the output out line by line ({@code #-A CILIUM_POST_nat ...}). */
    private static String uncomment(String t) {
        return t.length() > 2 && t.charAt(0) == '#' && (t.startsWith("#-A ") || t.startsWith("#-N ") || t.startsWith("#-P ")
                || t.startsWith("#:") || t.startsWith("#*")) ? t.substring(1) : t;
    }

    private static IptablesRule saveRule(String table, String line, PastedLine source) {
        List<String> tokens = IptablesSave.tokenize(line);
        if (tokens.size() < 2) {
            return null;
        }
        int from = 2;
        if (tokens.get(0).equals("-I") && tokens.size() > 2 && tokens.get(2).chars().allMatch(Character::isDigit)) {
            from = 3;
        }
        return new IptablesRule(table, tokens.get(1), List.copyOf(tokens.subList(Math.min(from, tokens.size()), tokens.size())), line);
    }

    private static final class ListingState {
        final String chain;
        List<String> columns = ListingRow.DEFAULT_COLUMNS;

        ListingState(String chain) {
            this.chain = chain;
        }
    }
}
