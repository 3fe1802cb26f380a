package io.argus.jobs.eval;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.eval.ConfusionMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One model's events of one kind scored against the ground truth of a replay: every event whose
 * window lies whole inside a labelled interval is scored (the confusion matrix over the truth's and
 * the model's labels); windows that straddle a boundary or fall outside the labels are counted,
 * not scored. Coverage is the share of the labelled time of the replayed streams that the events'
 * windows cover (labels of a stream that was not replayed do not count against a model).
 */
public record Scores(String kind, ConfusionMatrix confusion, long scored, long unscored, long unknownStream,
        double coverage) {

    /**
     * @param baseMs the replay's base time: event times minus it are times into the recording
     * @param replayed the streams that were replayed
     */
    public static Scores of(GroundTruth truth, String kind, List<AnalyticsEvent> events, long baseMs,
            List<String> modelLabels, List<String> replayed) {
        TreeSet<String> labels = new TreeSet<>(truth.labels(kind));
        labels.addAll(modelLabels);
        ConfusionMatrix m = new ConfusionMatrix(new ArrayList<>(labels));
        long scored = 0;
        long unscored = 0;
        long unknown = 0;
        List<String> streams = truth.streams();
        Map<String, List<long[]>> windows = new TreeMap<>();
        for (AnalyticsEvent e : events) {
            if (!e.kind.equals(kind)) {
                continue;
            }
            if (!streams.contains(e.streamId)) {
                unknown++;
                continue;
            }
            long from = e.windowStartMs - baseMs;
            long to = e.windowEndMs - baseMs;
            windows.computeIfAbsent(e.streamId, s -> new ArrayList<>()).add(new long[] {from, to});
            var label = truth.labelOf(e.streamId, kind, from, to);
            if (label.isPresent()) {
                m.add(label.get(), e.label);
                scored++;
            } else {
                unscored++;
            }
        }
        return new Scores(kind, m, scored, unscored, unknown, coverage(truth, kind, windows, replayed));
    }

    /** Labelled time of {@code kind} covered by the union of the streams' windows, over all labelled time. */
    private static double coverage(GroundTruth truth, String kind, Map<String, List<long[]>> windows,
            List<String> replayed) {
        long labelled = 0;
        long covered = 0;
        for (GroundTruth.Interval i : truth.intervals()) {
            if (!i.kind().equals(kind) || !replayed.contains(i.stream())) {
                continue;
            }
            labelled += i.durationMs();
            List<long[]> w = new ArrayList<>(windows.getOrDefault(i.stream(), List.of()));
            w.sort((a, b) -> Long.compare(a[0], b[0]));
            long reached = i.startMs();
            for (long[] x : w) {
                long from = Math.max(x[0], reached);
                long to = Math.min(x[1], i.endMs());
                if (to > from) {
                    covered += to - from;
                    reached = to;
                }
            }
        }
        return labelled == 0 ? 0 : (double) covered / labelled;
    }
}
