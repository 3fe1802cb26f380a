package io.argus.operators.incidents;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule that joins two incidents of one stream into a combined one: {@code LABEL+LABEL [within
 * DURATION]}, e.g. {@code running+alarm within 2s}. The two incidents match when their spans
 * overlap or lie at most the tolerance apart; the labels may come from either modality. Rules are
 * separated by {@code ;}, {@code ,} or line breaks; {@code #} starts a comment.
 */
public final class CombinedRule implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern RULE = Pattern.compile(
            "([A-Za-z0-9_.:-]+)\\s*\\+\\s*([A-Za-z0-9_.:-]+)(?:\\s+within\\s+(\\d+(?:\\.\\d+)?)\\s*(ms|s))?");

    private final String first;
    private final String second;
    private final long toleranceMs;

    public CombinedRule(String first, String second, long toleranceMs) {
        if (first.equals(second)) {
            throw new IllegalArgumentException("incident rule '" + first + "+" + second + "' joins a label with itself");
        }
        if (toleranceMs < 0) {
            throw new IllegalArgumentException("incident rule '" + first + "+" + second + "': negative tolerance");
        }
        this.first = first;
        this.second = second;
        this.toleranceMs = toleranceMs;
    }

    /**
     * Reads a list of rules; {@code none} or blank text is no rule.
     *
     * @throws IllegalArgumentException naming the rule that is not {@code LABEL+LABEL [within N(s|ms)]}
     */
    public static List<CombinedRule> parseList(String text) {
        List<CombinedRule> rules = new ArrayList<>();
        if (text == null) {
            return rules;
        }
        for (String line : text.split("\\R")) {
            int hash = line.indexOf('#');
            String content = hash >= 0 ? line.substring(0, hash) : line;
            for (String part : content.split("[;,]")) {
                String rule = part.strip();
                if (rule.isEmpty() || rule.equalsIgnoreCase("none")) {
                    continue;
                }
                rules.add(parse(rule));
            }
        }
        return rules;
    }

    /** Reads one rule, {@code LABEL+LABEL [within N(s|ms)]}. */
    public static CombinedRule parse(String rule) {
        Matcher m = RULE.matcher(rule.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("incident rule '" + rule.strip()
                    + "' is not LABEL+LABEL [within N(s|ms)], e.g. running+alarm within 2s");
        }
        long tolerance = 0;
        if (m.group(3) != null) {
            double value = Double.parseDouble(m.group(3));
            tolerance = Math.round(m.group(4).equals("s") ? value * 1000 : value);
        }
        return new CombinedRule(m.group(1), m.group(2), tolerance);
    }

    public String first() {
        return first;
    }

    public String second() {
        return second;
    }

    public long toleranceMs() {
        return toleranceMs;
    }

    /** The combined incidents' label, {@code first+second}. */
    public String name() {
        return first + "+" + second;
    }

    /** Whether the rule involves this label. */
    public boolean involves(String label) {
        return first.equals(label) || second.equals(label);
    }

    /** The rule's other label. */
    public String partnerOf(String label) {
        return first.equals(label) ? second : first;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s within %d ms", name(), toleranceMs);
    }
}
