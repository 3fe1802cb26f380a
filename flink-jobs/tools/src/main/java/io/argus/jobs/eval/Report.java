package io.argus.jobs.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.operators.incidents.IncidentSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The numbers of an evaluation as JSON ({@code evaluation.json}) and as a self-contained HTML page
 * ({@code report.html}: inline SVG, no scripts, nothing fetched): per kind, the runs side by side;
 * per run, the confusion matrix as a heat map and per-class bars; per stream, a timeline of the
 * ground truth against each run's labels; per run, the latency histogram.
 */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
        "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

    private final GroundTruth truth;
    private final String labelsName;
    private final List<String> labelProblems;
    private final Evaluation.Result result;
    /** Per run, per kind the labels use: the scores, computed once for the JSON, the page and the console. */
    private final List<java.util.Map<String, Scores>> scores = new ArrayList<>();
    /** Per run, per kind the labels use: the incidents' scores. */
    private final List<java.util.Map<String, IncidentScores>> incidentScores = new ArrayList<>();

    /**
     * A report that scores incidents with the default tolerance and background labels.
     *
     * @param labelProblems lines of the labels file that were left out, and why
     */
    public Report(GroundTruth truth, String labelsName, List<String> labelProblems, Evaluation.Result result) {
        this(truth, labelsName, labelProblems, result, DEFAULT_INCIDENT_TOLERANCE_MS,
                java.util.Set.of(IncidentSettings.DEFAULT_IGNORED_LABELS.split(",")));
    }

    /**
     * @param labelProblems lines of the labels file that were left out, and why
     * @param incidentToleranceMs how far an incident's start and end may lie from a segment's to match it
     * @param ignoredLabels labels the job makes no incidents of, left out of the incidents' scores
     */
    public Report(GroundTruth truth, String labelsName, List<String> labelProblems, Evaluation.Result result,
            long incidentToleranceMs, java.util.Set<String> ignoredLabels) {
        this.truth = truth;
        this.labelsName = labelsName;
        this.labelProblems = List.copyOf(labelProblems);
        this.result = result;
        for (Evaluation.Run run : result.runs()) {
            java.util.Map<String, Scores> byKind = new java.util.LinkedHashMap<>();
            for (String kind : GroundTruth.KINDS) {
                List<String> modelLabels = run.events().stream().filter(e -> e.kind.equals(kind)).map(e -> e.label)
                        .distinct().toList();
                byKind.put(kind, Scores.of(truth, kind, run.events(), Evaluation.BASE_MS, modelLabels,
                        result.streams()));
            }
            scores.add(byKind);
            java.util.Map<String, IncidentScores> incidentsByKind = new java.util.LinkedHashMap<>();
            for (String kind : GroundTruth.KINDS) {
                incidentsByKind.put(kind, IncidentScores.of(truth, kind, run.incidents(), Evaluation.BASE_MS,
                        incidentToleranceMs, ignoredLabels, result.streams()));
            }
            incidentScores.add(incidentsByKind);
        }
    }

    /** How far an incident's start and end may lie from a labelled segment's by default, ms. */
    public static final long DEFAULT_INCIDENT_TOLERANCE_MS = 2000;

    /** Incident scores of run {@code r} for {@code kind}. */
    public IncidentScores incidentScores(int r, String kind) {
        return incidentScores.get(r).get(kind);
    }

    public Evaluation.Result result() {
        return result;
    }

    /** Scores of run {@code r} for {@code kind}. */
    public Scores scores(int r, String kind) {
        return scores.get(r).get(kind);
    }

    /** Macro-F1 over the classes of the ground truth (a model's classes the footage never shows do not count). */
    public double macroF1(Scores s) {
        ConfusionMatrix m = s.confusion();
        List<String> truthLabels = truth.labels(s.kind());
        return truthLabels.stream().mapToDouble(l -> m.f1(m.labels().indexOf(l))).average().orElse(0);
    }

    /** Capture-to-Kafka latency percentiles of a run (p50, p95, p99), ms. */
    public static long[] latency(Evaluation.Run run) {
        return percentiles(run.captureToKafkaMs().clone());
    }

    /** Capture-to-Kafka latency percentiles of a run's events of one kind (p50, p95, p99), ms. */
    static long[] latency(Evaluation.Run run, String kind) {
        return percentiles(java.util.stream.IntStream.range(0, run.events().size())
                .filter(i -> run.events().get(i).kind.equals(kind)).mapToLong(i -> run.captureToKafkaMs()[i]).toArray());
    }

    /** Decode-to-decision latency percentiles of a run (p50, p95, p99), ms: the job's own share. */
    static long[] decodeToDecision(Evaluation.Run run) {
        return percentiles(run.events().stream().mapToLong(e -> e.inferredAtMs - e.decodedAtMs).toArray());
    }

    private static long[] percentiles(long[] v) {
        Arrays.sort(v);
        if (v.length == 0) {
            return new long[] {0, 0, 0};
        }
        return new long[] {pct(v, 0.50), pct(v, 0.95), pct(v, 0.99)};
    }

    private static long pct(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))];
    }

    public ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("labels", labelsName);
        root.put("replay", result.realtime() ? "realtime" : "as-fast-as-possible");
        root.putPOJO("streams", result.streams());
        root.putPOJO("labelProblems", labelProblems);
        root.putPOJO("refused", result.refused());
        ArrayNode runs = root.putArray("runs");
        for (int r = 0; r < result.runs().size(); r++) {
            Evaluation.Run run = result.runs().get(r);
            ObjectNode n = runs.addObject();
            n.put("actionModel", run.actionModel());
            n.put("audioModel", run.audioModel());
            n.put("events", run.events().size());
            n.put("seconds", round(run.seconds()));
            n.put("eventsPerSecond", round(run.events().size() / run.seconds()));
            long[] lat = latency(run);
            n.putObject("latencyMs").put("p50", lat[0]).put("p95", lat[1]).put("p99", lat[2]);
            long[] job = decodeToDecision(run);
            n.putObject("decodeToDecisionMs").put("p50", job[0]).put("p95", job[1]).put("p99", job[2]);
            ObjectNode kinds = n.putObject("kinds");
            for (String kind : GroundTruth.KINDS) {
                if (truth.labels(kind).isEmpty()) {
                    continue;
                }
                Scores s = scores(r, kind);
                ConfusionMatrix m = s.confusion();
                ObjectNode k = kinds.putObject(kind);
                long[] kindLatency = latency(run, kind);
                k.putObject("latencyMs").put("p50", kindLatency[0]).put("p95", kindLatency[1]).put("p99", kindLatency[2]);
                k.put("scored", s.scored());
                k.put("unscored", s.unscored());
                k.put("unknownStream", s.unknownStream());
                k.put("coverage", round(s.coverage()));
                k.put("accuracy", round(m.accuracy()));
                k.put("macroF1", round(macroF1(s)));
                ObjectNode perClass = k.putObject("perClass");
                for (String l : truth.labels(kind)) {
                    int c = m.labels().indexOf(l);
                    perClass.putObject(l).put("precision", round(m.precision(c))).put("recall", round(m.recall(c)))
                            .put("f1", round(m.f1(c)));
                }
                k.set("incidents", incidentsJson(incidentScores(r, kind)));
                ObjectNode confusion = k.putObject("confusion");
                confusion.putPOJO("labels", m.labels());
                ArrayNode rows = confusion.putArray("counts");
                for (int t = 0; t < m.labels().size(); t++) {
                    ArrayNode row = rows.addArray();
                    for (int p = 0; p < m.labels().size(); p++) {
                        row.add(m.count(t, p));
                    }
                }
            }
        }
        return root;
    }

    private static ObjectNode incidentsJson(IncidentScores s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("toleranceMs", s.toleranceMs());
        IncidentScores.Counts total = s.total();
        n.put("truePositives", total.truePositives()).put("falsePositives", total.falsePositives())
                .put("falseNegatives", total.falseNegatives()).put("precision", round(total.precision()))
                .put("recall", round(total.recall())).put("f1", round(total.f1()));
        ObjectNode perLabel = n.putObject("perLabel");
        s.perLabel().forEach((label, c) -> perLabel.putObject(label).put("truePositives", c.truePositives())
                .put("falsePositives", c.falsePositives()).put("falseNegatives", c.falseNegatives())
                .put("precision", round(c.precision())).put("recall", round(c.recall())).put("f1", round(c.f1())));
        return n;
    }

    /** Writes {@code evaluation.json} and {@code report.html} into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("evaluation.json").toFile(), json());
        Files.writeString(dir.resolve("report.html"), html(), StandardCharsets.UTF_8);
    }

    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta charset=\"utf-8\"/><title>Argus evaluation</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}"
                        + "svg{margin:8px 16px 8px 0;vertical-align:top}h3{margin-top:1.5em}</style></head><body>\n")
                .append("<h1>Argus evaluation</h1>\n<p>Labels: ").append(esc(labelsName)).append("; streams: ")
                .append(esc(String.join(", ", result.streams()))).append("</p>\n");
        if (!labelProblems.isEmpty()) {
            h.append("<p><b>Labels left out:</b></p><ul>");
            labelProblems.forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
            h.append("</ul>\n");
        }
        if (!result.refused().isEmpty()) {
            h.append("<p><b>Recordings left out:</b></p><ul>");
            result.refused().forEach((f, why) -> h.append("<li>").append(esc(f)).append(": ").append(esc(why))
                    .append("</li>"));
            h.append("</ul>\n");
        }
        for (String kind : GroundTruth.KINDS) {
            if (truth.labels(kind).isEmpty()) {
                continue;
            }
            h.append("<h2>").append(kind).append("</h2>\n<table><tr><th>run</th><th>model</th><th>scored windows</th>"
                    + "<th>accuracy</th><th>macro-F1</th><th>coverage</th><th>capture to Kafka p50 / p95 / p99</th>"
                    + "<th>events/s</th></tr>\n");
            for (int r = 0; r < result.runs().size(); r++) {
                Evaluation.Run run = result.runs().get(r);
                Scores s = scores(r, kind);
                long[] lat = latency(run, kind);
                h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%d</td><td>%.3f</td><td>%.3f</td>"
                        + "<td>%.1f%%</td><td>%d / %d / %d ms</td><td>%.0f</td></tr>%n", r + 1,
                        esc(kind.equals("action") ? run.actionModel() : run.audioModel()), s.scored(),
                        s.confusion().accuracy(), macroF1(s), 100 * s.coverage(), lat[0], lat[1], lat[2],
                        run.events().size() / run.seconds()));
            }
            h.append("</table>\n");
            for (int r = 0; r < result.runs().size(); r++) {
                Scores s = scores(r, kind);
                h.append("<h3>Run ").append(r + 1).append(": confusion matrix and per-class scores</h3>\n")
                        .append(heatmap(s.confusion())).append(bars(s.confusion(), truth.labels(kind)));
            }
            h.append(incidentTable(kind));
            for (String stream : result.streams()) {
                boolean labelled = truth.intervals().stream().anyMatch(i -> i.stream().equals(stream) && i.kind().equals(kind));
                boolean decided = result.runs().stream().flatMap(run -> run.events().stream())
                        .anyMatch(e -> e.streamId.equals(stream) && e.kind.equals(kind));
                if (!labelled && !decided) {
                    continue; // e.g. a microphone's stream in the action section
                }
                h.append("<h3>Timeline of ").append(esc(stream)).append("</h3>\n").append(timeline(stream, kind));
            }
        }
        h.append("<h2>Latency, capture to Kafka</h2>\n<p>From the moment the replay handed a window's last media "
                + "to Kafka to the moment a <code>read_committed</code> consumer could read its event"
                + (result.realtime() ? " (replayed in real time)." : " (replayed as fast as possible: this includes "
                        + "the time the input waited for the job; replay with --realtime for live latency).")
                + "</p>\n");
        for (int r = 0; r < result.runs().size(); r++) {
            h.append(histogram("run " + (r + 1), result.runs().get(r)));
        }
        return h.append("\n</body></html>\n").toString();
    }

    /** Per run and label: incidents matched to labelled segments, precision, recall and F1. */
    private String incidentTable(String kind) {
        if (result.runs().isEmpty()) {
            return "";
        }
        StringBuilder h = new StringBuilder("<h3>Incidents</h3>\n<p>A closed incident matches a labelled segment of "
                + "its stream and label when its start and its end each lie within "
                + String.format(Locale.ROOT, "%.1f s", incidentScores(0, kind).toleranceMs() / 1000.0)
                + " of the segment's (touching intervals of one label are one segment).</p>\n"
                + "<table class=\"incidents\"><tr><th>run</th><th>label</th><th>segments</th><th>incidents</th>"
                + "<th>matched</th><th>precision</th><th>recall</th><th>F1</th></tr>\n");
        for (int r = 0; r < result.runs().size(); r++) {
            IncidentScores s = incidentScores(r, kind);
            java.util.Map<String, IncidentScores.Counts> rows = new java.util.LinkedHashMap<>(s.perLabel());
            rows.put("all", s.total());
            for (var row : rows.entrySet()) {
                IncidentScores.Counts c = row.getValue();
                h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td>"
                        + "<td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>%n", r + 1, esc(row.getKey()),
                        c.truePositives() + c.falseNegatives(), c.truePositives() + c.falsePositives(),
                        c.truePositives(), c.precision(), c.recall(), c.f1()));
            }
        }
        return h.append("</table>\n").toString();
    }

    private static String heatmap(ConfusionMatrix m) {
        int n = m.labels().size();
        int cell = 44;
        int left = 90;
        int top = 90;
        StringBuilder s = svg("confusion", left + n * cell + 10, top + n * cell + 10);
        for (int t = 0; t < n; t++) {
            long row = 0;
            for (int p = 0; p < n; p++) {
                row += m.count(t, p);
            }
            s.append(text(left - 6, top + t * cell + cell / 2 + 4, m.labels().get(t), "end"));
            for (int p = 0; p < n; p++) {
                double share = row == 0 ? 0 : (double) m.count(t, p) / row;
                int shade = (int) Math.round(255 - 200 * share);
                s.append(String.format(Locale.ROOT, "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                        + "fill=\"rgb(%d,%d,255)\" stroke=\"#fff\"/>", left + p * cell, top + t * cell, cell, cell, shade,
                        shade));
                s.append(text(left + p * cell + cell / 2, top + t * cell + cell / 2 + 4,
                        Long.toString(m.count(t, p)), "middle"));
            }
        }
        for (int p = 0; p < n; p++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" transform=\"rotate(-45 %d %d)\">"
                    + "%s</text>", left + p * cell + 10, top - 6, left + p * cell + 10, top - 6, esc(m.labels().get(p))));
        }
        s.append(text(4, 12, "rows: truth, columns: predicted", "start"));
        return s.append("</svg>\n").toString();
    }

    private static String bars(ConfusionMatrix m, List<String> labels) {
        int group = 60;
        int height = 160;
        StringBuilder s = svg("per-class", 40 + labels.size() * group + 10, height + 60);
        String[] names = {"precision", "recall", "F1"};
        for (int i = 0; i < labels.size(); i++) {
            int c = m.labels().indexOf(labels.get(i));
            double[] v = {m.precision(c), m.recall(c), m.f1(c)};
            for (int k = 0; k < 3; k++) {
                int h = (int) Math.round(v[k] * height);
                s.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"14\" height=\"%d\" "
                        + "fill=\"%s\"><title>%s %s %.3f</title></rect>", 40 + i * group + k * 16, 20 + height - h, h,
                        PALETTE[k], esc(labels.get(i)), names[k], v[k]));
            }
            s.append(text(40 + i * group + 24, height + 36, labels.get(i), "middle"));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"38\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", 20 + height,
                40 + labels.size() * group, 20 + height));
        for (int k = 0; k < 3; k++) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" fill=\"%s\"/>",
                    40 + k * 80, PALETTE[k])).append(text(54 + k * 80, 13, names[k], "start"));
        }
        return s.append("</svg>\n").toString();
    }

    private String timeline(String stream, String kind) {
        long end = truth.intervals().stream().filter(i -> i.stream().equals(stream)).mapToLong(
                GroundTruth.Interval::endMs).max().orElse(1000);
        for (Evaluation.Run run : result.runs()) {
            for (AnalyticsEvent e : run.events()) {
                if (e.streamId.equals(stream) && e.kind.equals(kind)) {
                    end = Math.max(end, e.windowEndMs - Evaluation.BASE_MS);
                }
            }
        }
        int width = 800;
        int left = 90;
        int row = 22;
        TreeSet<String> labels = new TreeSet<>(truth.labels(kind));
        result.runs().forEach(run -> run.events().stream().filter(e -> e.kind.equals(kind)).forEach(e -> labels.add(e.label)));
        List<String> order = new ArrayList<>(labels);
        int rows = 1 + result.runs().size();
        StringBuilder s = svg("timeline", left + width + 10, rows * row + 50);
        double scale = (double) width / end;
        s.append(text(left - 6, 16, "truth", "end"));
        for (GroundTruth.Interval i : truth.intervals()) {
            if (i.stream().equals(stream) && i.kind().equals(kind)) {
                s.append(span(left + i.startMs() * scale, 4, i.durationMs() * scale, row - 6, color(order, i.label()),
                        i.label()));
            }
        }
        for (int r = 0; r < result.runs().size(); r++) {
            int y = (r + 1) * row + 4;
            s.append(text(left - 6, y + 12, "run " + (r + 1), "end"));
            // each window drawn over its second half, so that overlapping windows read as a sequence
            for (AnalyticsEvent e : result.runs().get(r).events()) {
                if (e.streamId.equals(stream) && e.kind.equals(kind)) {
                    long from = e.windowStartMs - Evaluation.BASE_MS;
                    long to = e.windowEndMs - Evaluation.BASE_MS;
                    long mid = (from + to) / 2;
                    s.append(span(left + mid * scale, y, Math.max(1, (to - mid) * scale), row - 6, color(order, e.label),
                            e.label));
                }
            }
        }
        int y = rows * row + 14;
        for (int k = 0; k < order.size(); k++) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
                    left + k * 100, y, color(order, order.get(k)))).append(text(left + k * 100 + 14, y + 9,
                    order.get(k), "start"));
        }
        s.append(text(left + width, y + 28, String.format(Locale.ROOT, "%.1f s", end / 1000.0), "end"));
        return s.append("</svg>\n").toString();
    }

    private static String histogram(String name, Evaluation.Run run) {
        long[] v = run.captureToKafkaMs().clone();
        Arrays.sort(v);
        int bins = 20;
        long max = v.length == 0 ? 1 : Math.max(1, v[v.length - 1]);
        int[] counts = new int[bins];
        for (long x : v) {
            counts[(int) Math.min(bins - 1, x * bins / (max + 1))]++;
        }
        int top = Arrays.stream(counts).max().orElse(1);
        int height = 120;
        StringBuilder s = svg("latency", 40 + bins * 18 + 10, height + 50);
        s.append(text(40, 12, name + ": events per latency bin, 0 to " + max + " ms", "start"));
        for (int b = 0; b < bins; b++) {
            int h = top == 0 ? 0 : counts[b] * height / top;
            s.append(String.format(Locale.ROOT, "<rect class=\"bin\" x=\"%d\" y=\"%d\" width=\"16\" height=\"%d\" "
                    + "fill=\"#4e79a7\"><title>%d events</title></rect>", 40 + b * 18, 20 + height - h, h, counts[b]));
        }
        return s.append("</svg>\n").toString();
    }

    private static StringBuilder svg(String role, int width, int height) {
        return new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">", role, width, height));
    }

    private static String span(double x, int y, double width, int height, String fill, String label) {
        return String.format(Locale.ROOT, "<rect class=\"span\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                + "fill=\"%s\"><title>%s</title></rect>", x, y, width, height, fill, esc(label));
    }

    private static String text(int x, int y, String s, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>", x, y, anchor, esc(s));
    }

    private static String color(List<String> order, String label) {
        return PALETTE[Math.max(0, order.indexOf(label)) % PALETTE.length];
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
