package io.argus.jobs.eval;

import io.argus.connectors.events.AnalyticsEvent;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a shadow version's decisions compare with the serving version's on the same windows, from the
 * shadow topic alone (each shadow event carries the serving label and score beside its own): the
 * share of windows on which they agree, overall, per serving label and per stream; the confusion
 * between serving labels (rows) and shadow labels (columns); and the mean shift of the top score.
 * Events of other models or shadow versions, events outside the time range (by window start) and
 * serving events are left out; shadow events whose window the serving version gave no event are
 * counted apart. Given {@link GroundTruth} for part of the traffic ({@link #withTruth}), it also
 * counts, on the windows it labels, how often each version was right.
 */
public final class ShadowComparison {

    /** Windows compared and windows on which both versions gave the same label. */
    public record Agreement(int windows, int agreed) {

        public double share() {
            return windows == 0 ? 0 : (double) agreed / windows;
        }

        Agreement plus(boolean same) {
            return new Agreement(windows + 1, agreed + (same ? 1 : 0));
        }
    }

    private final String model;
    private final String shadowVersion;
    private final long fromMs;
    private final long toMs;
    private Agreement overall = new Agreement(0, 0);
    private final Map<String, Agreement> perClass = new TreeMap<>();
    private final Map<String, Agreement> perStream = new TreeMap<>();
    private final Map<String, Map<String, Integer>> confusion = new TreeMap<>();
    private final Set<String> servingVersions = new TreeSet<>();
    private double scoreShiftSum;
    private int unpaired;
    private GroundTruth truth;
    private long truthOriginMs;
    private int labelled;
    private int servingRight;
    private int shadowRight;

    /**
     * @param model the model name the shadow runs under
     * @param shadowVersion the shadow version compared
     * @param fromMs windows starting at or after this epoch millisecond count ({@code Long.MIN_VALUE}: all)
     * @param toMs windows starting before this epoch millisecond count ({@code Long.MAX_VALUE}: all)
     */
    public ShadowComparison(String model, String shadowVersion, long fromMs, long toMs) {
        this.model = model;
        this.shadowVersion = shadowVersion;
        this.fromMs = fromMs;
        this.toMs = toMs;
    }

    /**
     * Scores both versions against {@code truth} on the windows it labels; its times are from
     * {@code originMs} (epoch ms), the capture time its recording or camera started at.
     */
    public ShadowComparison withTruth(GroundTruth truth, long originMs) {
        this.truth = truth;
        this.truthOriginMs = originMs;
        return this;
    }

    /** Counts {@code e} if it is a shadow event of this model and version in the time range; returns whether. */
    public boolean add(AnalyticsEvent e) {
        if (!e.isShadow() || !model.equals(e.modelName) || !shadowVersion.equals(e.modelVersion)
                || e.windowStartMs < fromMs || e.windowStartMs >= toMs) {
            return false;
        }
        if (e.servingLabel == null) {
            unpaired++;
            return true;
        }
        boolean same = e.servingLabel.equals(e.label);
        overall = overall.plus(same);
        perClass.merge(e.servingLabel, new Agreement(1, same ? 1 : 0), ShadowComparison::sum);
        perStream.merge(e.streamId, new Agreement(1, same ? 1 : 0), ShadowComparison::sum);
        confusion.computeIfAbsent(e.servingLabel, k -> new TreeMap<>()).merge(e.label, 1, Integer::sum);
        servingVersions.add(e.servingVersion);
        scoreShiftSum += e.score - (e.servingScore == null ? 0 : e.servingScore);
        if (truth != null) {
            truth.labelOf(e.streamId, e.kind, e.windowStartMs - truthOriginMs, e.windowEndMs - truthOriginMs)
                    .ifPresent(label -> {
                        labelled++;
                        servingRight += label.equals(e.servingLabel) ? 1 : 0;
                        shadowRight += label.equals(e.label) ? 1 : 0;
                    });
        }
        return true;
    }

    /** Compared windows the ground truth labels, and how many of them each version got right. */
    public Agreement servingAccuracy() {
        return new Agreement(labelled, servingRight);
    }

    public Agreement shadowAccuracy() {
        return new Agreement(labelled, shadowRight);
    }

    private static Agreement sum(Agreement a, Agreement b) {
        return new Agreement(a.windows() + b.windows(), a.agreed() + b.agreed());
    }

    public Agreement overall() {
        return overall;
    }

    /** Agreement per serving label. */
    public Map<String, Agreement> perClass() {
        return perClass;
    }

    public Map<String, Agreement> perStream() {
        return perStream;
    }

    /** Windows per serving label (outer key) and shadow label (inner key). */
    public Map<String, Map<String, Integer>> confusion() {
        return confusion;
    }

    /** Mean of the shadow's top score minus the serving version's, over the windows compared. */
    public double meanScoreShift() {
        return overall.windows() == 0 ? 0 : scoreShiftSum / overall.windows();
    }

    /** Shadow events whose window the serving version gave no event (its score was not finite, say). */
    public int unpaired() {
        return unpaired;
    }

    public String shadowVersion() {
        return shadowVersion;
    }

    /**
     * Why a promotion must wait, or null when the shadow has earned it: at least {@code minWindows}
     * windows compared and an agreement of at least {@code minAgreement} (a share, 0 to 1).
     */
    public String shortOf(double minAgreement, int minWindows) {
        if (overall.windows() < minWindows) {
            return String.format(Locale.ROOT, "%s@%s was compared with serving on %d windows, fewer than "
                    + "--min-windows %d", model, shadowVersion, overall.windows(), minWindows);
        }
        if (overall.share() < minAgreement) {
            return String.format(Locale.ROOT, "%s@%s agreed with serving on %.1f%% of %d windows, below "
                    + "--if-agreement %.1f%%; per class: %s", model, shadowVersion, 100 * overall.share(),
                    overall.windows(), 100 * minAgreement, classLine());
        }
        return null;
    }

    /** {@code label a/n (p%)} for each serving label. */
    public String classLine() {
        StringBuilder b = new StringBuilder();
        perClass.forEach((label, a) -> b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                "%s %d/%d (%.1f%%)", label, a.agreed(), a.windows(), 100 * a.share())));
        return b.toString();
    }

    /** The comparison as {@code argus models compare} prints it. */
    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "%s: shadow %s against serving %s, %d windows compared%s%n", model, shadowVersion,
                servingVersions.isEmpty() ? "(none)" : String.join(", ", servingVersions), overall.windows(),
                unpaired == 0 ? "" : " (" + unpaired + " shadow windows had no serving event)");
        if (overall.windows() == 0) {
            return;
        }
        out.printf(Locale.ROOT, "  agreement  %.1f%% (%d of %d); mean top-score shift %+.3f (shadow - serving)%n",
                100 * overall.share(), overall.agreed(), overall.windows(), meanScoreShift());
        if (truth != null) {
            out.printf(Locale.ROOT, "  ground truth on %d of these windows: accuracy serving %.1f%% (%d), shadow "
                    + "%.1f%% (%d)%n", labelled, 100 * servingAccuracy().share(), servingRight,
                    100 * shadowAccuracy().share(), shadowRight);
        }
        out.println("  per class (serving label):");
        perClass.forEach((label, a) -> out.printf(Locale.ROOT, "    %-12s %6.1f%%  %d of %d%n", label,
                100 * a.share(), a.agreed(), a.windows()));
        out.println("  per stream:");
        perStream.forEach((stream, a) -> out.printf(Locale.ROOT, "    %-24s %6.1f%%  %d of %d%n", stream,
                100 * a.share(), a.agreed(), a.windows()));
        Set<String> columns = new TreeSet<>();
        confusion.values().forEach(row -> columns.addAll(row.keySet()));
        out.println("  confusion (rows: serving label, columns: shadow label):");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "    %-12s", ""));
        columns.forEach(c -> header.append(String.format(Locale.ROOT, " %9s", c)));
        out.println(header);
        confusion.forEach((row, counts) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "    %-12s", row));
            columns.forEach(c -> line.append(String.format(Locale.ROOT, " %9d", counts.getOrDefault(c, 0))));
            out.println(line);
        });
    }
}
