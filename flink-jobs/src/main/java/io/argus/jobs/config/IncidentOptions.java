package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.operators.incidents.CombinedRule;
import io.argus.operators.incidents.IncidentSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * When the job's window events make incidents, and the rules that combine them (see
 * {@code docs/incidents.md}). The defaults suit the bundled models: 2 s action windows every second
 * and 1 s audio windows every half second, so 3 s is two action windows or five audio windows.
 */
public final class IncidentOptions {

    public static final ConfigOption<Boolean> ENABLED = key("incidents")
            .booleanType()
            .defaultValue(true)
            .withDescription("Turn window events into incidents on --incidents-topic; --incidents false writes none.");

    public static final ConfigOption<Duration> MIN_DURATION = key("incident-min-duration")
            .durationType()
            .defaultValue(IncidentSettings.DEFAULT_MIN_DURATION)
            .withDescription("How long a label must hold (first window's start to last window's end) to open an "
                    + "incident.");

    public static final ConfigOption<Duration> CLOSE_AFTER = key("incident-close-after")
            .durationType()
            .defaultValue(IncidentSettings.DEFAULT_CLOSE_AFTER)
            .withDescription("An incident closes once windows of its modality have said something else for this "
                    + "long after its last window; shorter breaks do not split it.");

    public static final ConfigOption<Duration> MAX_GAP = key("incident-max-gap")
            .durationType()
            .defaultValue(IncidentSettings.DEFAULT_MAX_GAP)
            .withDescription("An incident whose modality sends no window for longer than this closes at its last "
                    + "window (closedBy gap); at least --incident-close-after.");

    public static final ConfigOption<Double> MIN_SCORE = key("incident-min-score")
            .doubleType()
            .defaultValue(IncidentSettings.DEFAULT_MIN_SCORE)
            .withDescription("Score a window needs to count for its label in an incident.");

    public static final ConfigOption<String> LABEL_MIN_SCORES = key("incident-label-min-score")
            .stringType()
            .noDefaultValue()
            .withDescription("Scores per label that replace --incident-min-score, LABEL=SCORE[,LABEL=SCORE...], "
                    + "e.g. running=0.7,alarm=0.9.");

    public static final ConfigOption<String> IGNORED_LABELS = key("incident-ignore-labels")
            .stringType()
            .defaultValue(IncidentSettings.DEFAULT_IGNORED_LABELS)
            .withDescription("Background labels that never make incidents, comma-separated; none for no label.");

    public static final ConfigOption<String> RULES = key("incident-rules")
            .stringType()
            .defaultValue(IncidentSettings.DEFAULT_RULES)
            .withDescription("Combined incidents: LABEL+LABEL [within N(s|ms)], separated by ; (labels of either "
                    + "modality whose incidents overlap or lie at most N apart); none for no rule.");

    public static final ConfigOption<String> RULES_FILE = key("incident-rules-file")
            .stringType()
            .noDefaultValue()
            .withDescription("A file of combined rules, one per line (# comments), used instead of --incident-rules.");

    public static final List<ConfigOption<?>> ALL = List.of(ENABLED, MIN_DURATION, CLOSE_AFTER, MAX_GAP, MIN_SCORE,
            LABEL_MIN_SCORES, IGNORED_LABELS, RULES, RULES_FILE);

    private IncidentOptions() {}

    /** The labels these options make no incidents of. */
    public static Set<String> ignoredLabels(Configuration conf) {
        Set<String> ignored = new LinkedHashSet<>();
        Arrays.stream(conf.get(IGNORED_LABELS).split(",")).map(String::strip)
                .filter(l -> !l.isEmpty() && !l.equalsIgnoreCase("none")).forEach(ignored::add);
        return ignored;
    }

    /**
     * The incident settings of a job's options; a rules file is read here, on the client.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public static IncidentSettings settings(Configuration conf) {
        List<CombinedRule> rules;
        String file = conf.get(RULES_FILE);
        try {
            if (file != null) {
                try {
                    rules = CombinedRule.parseList(Files.readString(Path.of(file), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
                }
            } else {
                rules = CombinedRule.parseList(conf.get(RULES));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option --" + (file != null ? RULES_FILE : RULES).key() + ": "
                    + e.getMessage(), e);
        }
        Set<String> ignored = ignoredLabels(conf);
        try {
            return IncidentSettings.builder()
                    .minDuration(conf.get(MIN_DURATION))
                    .closeAfter(conf.get(CLOSE_AFTER))
                    .maxGap(conf.get(MAX_GAP))
                    .minScore(conf.get(MIN_SCORE))
                    .labelMinScores(IncidentSettings.parseLabelScores(conf.get(LABEL_MIN_SCORES)))
                    .ignoredLabels(ignored)
                    .rules(new ArrayList<>(rules))
                    .build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith("incident-") ? "option --" + message
                    : "option --" + LABEL_MIN_SCORES.key() + ": " + message, e);
        }
    }
}
