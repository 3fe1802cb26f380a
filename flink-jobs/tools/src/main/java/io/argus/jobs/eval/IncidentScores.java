package io.argus.jobs.eval;

import io.argus.connectors.incidents.Incident;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A run's closed incidents of one kind scored against the ground truth's segments: a segment is a
 * labelled interval, joined with the next one of the same label where they touch. An incident
 * matches a segment of the same stream and label when its start and its end each lie within the
 * tolerance of the segment's; each segment matches at most one incident and each incident at most
 * one segment (closest pairs first). Per label: matched incidents (true positives), incidents
 * that match nothing (false positives), segments no incident matched (false negatives).
 *
 * <p>Labels the job never makes incidents of ({@code --incident-ignore-labels}) and combined
 * incidents are not scored; neither are streams without labels or that were not replayed.
 */
public record IncidentScores(String kind, long toleranceMs, Map<String, Counts> perLabel) {

    /** Matches and misses of one label. */
    public record Counts(int truePositives, int falsePositives, int falseNegatives) {

        public double precision() {
            int predicted = truePositives + falsePositives;
            return predicted == 0 ? 0 : (double) truePositives / predicted;
        }

        public double recall() {
            int actual = truePositives + falseNegatives;
            return actual == 0 ? 0 : (double) truePositives / actual;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /** A labelled stretch of a stream, ms into the recording. */
    record Segment(String stream, String label, long startMs, long endMs) {}

    /**
     * @param baseMs the replay's base time: incident times minus it are times into the recording
     * @param ignored labels the job makes no incidents of
     * @param replayed the streams that were replayed
     */
    public static IncidentScores of(GroundTruth truth, String kind, List<Incident> incidents, long baseMs,
            long toleranceMs, Set<String> ignored, List<String> replayed) {
        List<Segment> segments = segments(truth, kind, ignored, replayed);
        List<Segment> predicted = new ArrayList<>();
        for (Incident i : incidents) {
            if (i.kind.equals(kind) && !i.isOpen() && !ignored.contains(i.label) && replayed.contains(i.streamId)
                    && truth.streams().contains(i.streamId)) {
                predicted.add(new Segment(i.streamId, i.label, i.startMs - baseMs, i.endMs - baseMs));
            }
        }
        TreeSet<String> labels = new TreeSet<>();
        segments.forEach(s -> labels.add(s.label()));
        predicted.forEach(s -> labels.add(s.label()));
        Map<String, Counts> perLabel = new TreeMap<>();
        for (String label : labels) {
            List<Segment> actual = segments.stream().filter(s -> s.label().equals(label)).toList();
            List<Segment> found = predicted.stream().filter(s -> s.label().equals(label)).toList();
            int matched = matches(actual, found, toleranceMs);
            perLabel.put(label, new Counts(matched, found.size() - matched, actual.size() - matched));
        }
        return new IncidentScores(kind, toleranceMs, perLabel);
    }

    /** The truth's segments of a kind: intervals of one label joined where they touch. */
    static List<Segment> segments(GroundTruth truth, String kind, Set<String> ignored, List<String> replayed) {
        List<GroundTruth.Interval> intervals = new ArrayList<>(truth.intervals().stream()
                .filter(i -> i.kind().equals(kind) && replayed.contains(i.stream()) && !ignored.contains(i.label()))
                .toList());
        intervals.sort(Comparator.comparing(GroundTruth.Interval::stream).thenComparing(GroundTruth.Interval::label)
                .thenComparingLong(GroundTruth.Interval::startMs));
        List<Segment> segments = new ArrayList<>();
        for (GroundTruth.Interval i : intervals) {
            Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (last != null && last.stream().equals(i.stream()) && last.label().equals(i.label())
                    && last.endMs() == i.startMs()) {
                segments.set(segments.size() - 1, new Segment(last.stream(), last.label(), last.startMs(), i.endMs()));
            } else {
                segments.add(new Segment(i.stream(), i.label(), i.startMs(), i.endMs()));
            }
        }
        return segments;
    }

    /** How many one-to-one pairs within the tolerance, closest pairs first. */
    static int matches(List<Segment> actual, List<Segment> found, long toleranceMs) {
        record Pair(int a, int f, long deviation) {}
        List<Pair> pairs = new ArrayList<>();
        for (int a = 0; a < actual.size(); a++) {
            for (int f = 0; f < found.size(); f++) {
                Segment t = actual.get(a);
                Segment p = found.get(f);
                long ds = Math.abs(t.startMs() - p.startMs());
                long de = Math.abs(t.endMs() - p.endMs());
                if (t.stream().equals(p.stream()) && ds <= toleranceMs && de <= toleranceMs) {
                    pairs.add(new Pair(a, f, ds + de));
                }
            }
        }
        pairs.sort(Comparator.comparingLong(Pair::deviation).thenComparingInt(Pair::a).thenComparingInt(Pair::f));
        boolean[] usedA = new boolean[actual.size()];
        boolean[] usedF = new boolean[found.size()];
        int matched = 0;
        for (Pair p : pairs) {
            if (!usedA[p.a()] && !usedF[p.f()]) {
                usedA[p.a()] = true;
                usedF[p.f()] = true;
                matched++;
            }
        }
        return matched;
    }

    /** Totals over the labels. */
    public Counts total() {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (Counts c : perLabel.values()) {
            tp += c.truePositives();
            fp += c.falsePositives();
            fn += c.falseNegatives();
        }
        return new Counts(tp, fp, fn);
    }
}
