package io.argus.operators.incidents;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When windows of a label make an incident. Built with {@link #builder()}, which checks the
 * settings and names the one that is wrong.
 *
 * <ul>
 *   <li>{@code minDuration}: a label opens an incident once its windows, each at or above the
 *       label's score threshold, have held it this long (from the first window's start to the last
 *       one's end); shorter runs make no incident;
 *   <li>{@code closeAfter}: an incident closes once windows of its modality have said something
 *       else (another label, or its own below the threshold) for this long after its last window:
 *       the hysteresis that keeps one odd window from splitting an incident in two;
 *   <li>{@code maxGap}: an incident whose modality sends no window for longer than this closes at
 *       its last window ({@code gap});
 *   <li>{@code minScore} and {@code labelMinScores}: the score a window needs to count for its label;
 *   <li>{@code ignoredLabels}: background labels ({@code idle}, {@code silence}, ...) that never make
 *       incidents;
 *   <li>{@code rules}: combined incidents of two labels ({@link CombinedRule}).
 * </ul>
 */
public final class IncidentSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_MIN_DURATION = Duration.ofSeconds(3);
    public static final Duration DEFAULT_CLOSE_AFTER = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MAX_GAP = Duration.ofSeconds(5);
    public static final double DEFAULT_MIN_SCORE = 0.5;
    public static final String DEFAULT_IGNORED_LABELS = "idle,still,silence,quiet";
    public static final String DEFAULT_RULES = "running+alarm within 2s";

    private final long minDurationMs;
    private final long closeAfterMs;
    private final long maxGapMs;
    private final double minScore;
    private final Map<String, Double> labelMinScores;
    private final Set<String> ignoredLabels;
    private final List<CombinedRule> rules;

    private IncidentSettings(Builder b) {
        this.minDurationMs = b.minDuration.toMillis();
        this.closeAfterMs = b.closeAfter.toMillis();
        this.maxGapMs = b.maxGap.toMillis();
        this.minScore = b.minScore;
        this.labelMinScores = Map.copyOf(b.labelMinScores);
        this.ignoredLabels = Set.copyOf(b.ignoredLabels);
        this.rules = List.copyOf(b.rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    public long minDurationMs() {
        return minDurationMs;
    }

    public long closeAfterMs() {
        return closeAfterMs;
    }

    public long maxGapMs() {
        return maxGapMs;
    }

    /** The score a window needs to count for {@code label}. */
    public double minScore(String label) {
        return labelMinScores.getOrDefault(label, minScore);
    }

    public boolean ignores(String label) {
        return ignoredLabels.contains(label);
    }

    public List<CombinedRule> rules() {
        return rules;
    }

    /** The longest tolerance of any rule: how long a closed incident is kept for the rules. */
    public long maxToleranceMs() {
        return rules.stream().mapToLong(CombinedRule::toleranceMs).max().orElse(0);
    }

    /**
     * Reads per-label thresholds, {@code LABEL=SCORE[,LABEL=SCORE...]}.
     *
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static Map<String, Double> parseLabelScores(String text) {
        Map<String, Double> scores = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return scores;
        }
        for (String entry : text.split(",")) {
            String[] kv = entry.strip().split("=", -1);
            double score;
            try {
                score = kv.length == 2 ? Double.parseDouble(kv[1].strip()) : Double.NaN;
            } catch (NumberFormatException e) {
                score = Double.NaN;
            }
            if (kv.length != 2 || kv[0].isBlank() || !(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("label score '" + entry.strip()
                        + "' is not LABEL=SCORE with a score in [0, 1], e.g. running=0.7");
            }
            scores.put(kv[0].strip(), score);
        }
        return scores;
    }

    @Override
    public String toString() {
        return "min-duration " + minDurationMs + " ms, close-after " + closeAfterMs + " ms, max-gap " + maxGapMs
                + " ms, min-score " + minScore + " " + labelMinScores + ", ignored " + ignoredLabels + ", rules "
                + rules;
    }

    /** Builds {@link IncidentSettings}; {@link #build()} validates. */
    public static final class Builder {
        private Duration minDuration = DEFAULT_MIN_DURATION;
        private Duration closeAfter = DEFAULT_CLOSE_AFTER;
        private Duration maxGap = DEFAULT_MAX_GAP;
        private double minScore = DEFAULT_MIN_SCORE;
        private Map<String, Double> labelMinScores = Map.of();
        private Set<String> ignoredLabels = Set.of(DEFAULT_IGNORED_LABELS.split(","));
        private List<CombinedRule> rules = CombinedRule.parseList(DEFAULT_RULES);

        private Builder() {}

        public Builder minDuration(Duration d) {
            this.minDuration = d;
            return this;
        }

        public Builder closeAfter(Duration d) {
            this.closeAfter = d;
            return this;
        }

        public Builder maxGap(Duration d) {
            this.maxGap = d;
            return this;
        }

        public Builder minScore(double score) {
            this.minScore = score;
            return this;
        }

        public Builder labelMinScores(Map<String, Double> scores) {
            this.labelMinScores = scores;
            return this;
        }

        public Builder ignoredLabels(Set<String> labels) {
            this.ignoredLabels = labels;
            return this;
        }

        public Builder rules(List<CombinedRule> rules) {
            this.rules = rules;
            return this;
        }

        public IncidentSettings build() {
            if (minDuration == null || minDuration.isNegative()) {
                throw new IllegalArgumentException("incident-min-duration must be 0 or more, not " + minDuration);
            }
            if (closeAfter == null || closeAfter.isNegative() || closeAfter.isZero()) {
                throw new IllegalArgumentException("incident-close-after must be above 0, not " + closeAfter);
            }
            if (maxGap == null || maxGap.compareTo(closeAfter) < 0) {
                throw new IllegalArgumentException("incident-max-gap (" + maxGap
                        + ") must be at least incident-close-after (" + closeAfter + ")");
            }
            if (!(minScore >= 0 && minScore <= 1)) {
                throw new IllegalArgumentException("incident-min-score must be in [0, 1], not " + minScore);
            }
            return new IncidentSettings(this);
        }
    }
}
