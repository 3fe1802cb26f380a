package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.cli.EvaluateCommand;
import io.argus.jobs.eval.Evaluation;
import io.argus.jobs.eval.Report;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code argus evaluate} on the known clip: the bundled models against the measured signals, in
 * one report, and the bundled models once more: a second replay gives the same decisions. The numbers in evaluation.json equal those computed here, independently, from the
 * same events; a recording that cannot be decoded and labels for a stream without a recording are
 * reported without stopping the evaluation; the HTML report holds its plots.
 */
class EvaluateIT {

    private static final List<SyntheticClip.Phase> SCRIPT = SyntheticClip.DEMO_SCRIPT;

    @Test
    void evaluatesTwoModelSetsOnTheKnownClipAndTheReportHoldsTheNumbers(@TempDir Path dir) throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        Files.copy(Fixtures.stickFigureClip(dir, SCRIPT), recordings.resolve("lobby-cam.mkv"));
        Files.write(recordings.resolve("broken-cam.mkv"), "not a video at all".getBytes(StandardCharsets.UTF_8));
        List<String> labels = new ArrayList<>(List.of("stream,kind,start,end,label"));
        long at = 0;
        for (SyntheticClip.Phase p : SCRIPT) {
            labels.add(String.format("lobby-cam,action,%d,%d,%s", at / 1000, (at + p.durationMs()) / 1000,
                    p.action().label()));
            labels.add(String.format("lobby-cam,audio,%d,%d,%s", at / 1000, (at + p.durationMs()) / 1000,
                    p.sound().name().toLowerCase(java.util.Locale.ROOT)));
            at += p.durationMs();
        }
        labels.add("ghost-cam,action,0,4,idle");
        labels.add("lobby-cam,action,3,5,walking"); // overlaps the first two phases: left out, reported
        Path labelsFile = dir.resolve("labels.csv");
        Files.write(labelsFile, labels);

        Configuration conf = new Configuration();
        conf.set(EvaluateCommand.RECORDINGS, List.of(recordings.toString()));
        conf.set(EvaluateCommand.LABELS, labelsFile.toString());
        // run 3 repeats run 1: a replay must give the same events every time
        conf.set(EvaluateCommand.ACTION_MODELS, List.of("bundled:action-cnn-lstm", "motion-energy",
                "bundled:action-cnn-lstm"));
        conf.set(EvaluateCommand.AUDIO_MODELS, List.of("bundled:audio-cnn", "loudness", "bundled:audio-cnn"));
        conf.set(EvaluateCommand.OUT, dir.resolve("out").toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report report = EvaluateCommand.run(conf, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String said = printed.toString(StandardCharsets.UTF_8);
        System.out.print(said);

        assertThat(said).contains("the labels name stream ghost-cam but no recording is called so",
                "left out of the labels: labels.csv:13: overlaps line 2 (lobby-cam, action, 3-4 s labelled twice)",
                "cannot replay " + recordings.resolve("broken-cam.mkv"));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/evaluation.json").toFile());
        assertThat(json.path("streams").toString()).isEqualTo("[\"lobby-cam\"]");
        assertThat(json.path("labelProblems")).hasSize(2);
        assertThat(json.path("refused").has(recordings.resolve("broken-cam.mkv").toString())).isTrue();
        assertThat(json.path("runs")).hasSize(3);
        assertSameDecisions(report.result().runs().get(0).events(), report.result().runs().get(2).events());

        for (int r = 0; r < 3; r++) {
            for (String kind : List.of(AnalyticsEvent.KIND_ACTION, AnalyticsEvent.KIND_AUDIO)) {
                List<AnalyticsEvent> events = report.result().runs().get(r).events();
                JsonNode k = json.path("runs").get(r).path("kinds").path(kind);
                int[] scoredCorrect = independentlyScored(events, kind);
                assertThat(k.path("scored").asLong()).as("run %d %s scored", r, kind).isEqualTo(scoredCorrect[0]);
                assertThat(k.path("accuracy").asDouble()).as("run %d %s accuracy", r, kind)
                        .isCloseTo((double) scoredCorrect[1] / scoredCorrect[0], org.assertj.core.data.Offset.offset(1e-4));
                assertThat(k.path("coverage").asDouble()).as("run %d %s coverage", r, kind)
                        .isCloseTo(independentCoverage(events, kind), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
        JsonNode bundled = json.path("runs").get(0).path("kinds");
        assertThat(bundled.path("action").path("accuracy").asDouble()).as("bundled action model").isGreaterThan(0.9);
        assertThat(bundled.path("audio").path("accuracy").asDouble()).as("bundled audio model").isGreaterThan(0.8);
        assertThat(json.path("runs").get(1).path("kinds").path("action").path("macroF1").asDouble())
                .as("motion-energy says motion/still, which the labels never use").isZero();

        Document html = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("out/report.html").toFile());
        List<String> plots = new ArrayList<>();
        var svgs = html.getElementsByTagName("svg");
        for (int i = 0; i < svgs.getLength(); i++) {
            plots.add(svgs.item(i).getAttributes().getNamedItem("class").getNodeValue());
        }
        // per kind: a confusion matrix and per-class bars per run, a timeline per stream; a latency histogram per run
        assertThat(plots).containsExactly(
                "confusion", "per-class", "confusion", "per-class", "confusion", "per-class", "timeline",
                "confusion", "per-class", "confusion", "per-class", "confusion", "per-class", "timeline",
                "latency", "latency", "latency");

        // incidents: the repeated replay writes the same ones, and their scores count the script's segments
        // (the background labels left out) and the run's closed incidents
        assertThat(closedIncidents(report, 2)).as("incidents of the repeated replay").isNotEmpty()
                .isEqualTo(closedIncidents(report, 0));
        Set<String> background = Set.of("idle", "still", "silence", "quiet");
        for (String kind : List.of(AnalyticsEvent.KIND_ACTION, AnalyticsEvent.KIND_AUDIO)) {
            JsonNode incidents = json.path("runs").get(0).path("kinds").path(kind).path("incidents");
            long found = report.result().runs().get(0).incidents().stream()
                    .filter(i -> !i.isOpen() && i.kind.equals(kind) && !background.contains(i.label)).count();
            assertThat(incidents.path("toleranceMs").asLong()).isEqualTo(2000);
            assertThat(incidents.path("truePositives").asInt() + incidents.path("falseNegatives").asInt())
                    .as("%s segments", kind).isEqualTo(segments(kind, background));
            assertThat(incidents.path("truePositives").asInt() + incidents.path("falsePositives").asInt())
                    .as("%s incidents", kind).isEqualTo(found);
        }
        assertThat(json.path("runs").get(0).path("kinds").path("audio").path("incidents").path("recall").asDouble())
                .as("the bundled audio model's incidents").isGreaterThanOrEqualTo(0.75);
        var tables = html.getElementsByTagName("table");
        int incidentTables = 0;
        for (int i = 0; i < tables.getLength(); i++) {
            var cls = tables.item(i).getAttributes().getNamedItem("class");
            incidentTables += cls != null && cls.getNodeValue().equals("incidents") ? 1 : 0;
        }
        assertThat(incidentTables).as("a table of incidents per kind").isEqualTo(2);
    }

    /** Run {@code r}'s closed incidents: id, how they closed and their windows, sorted. */
    private static List<String> closedIncidents(Report report, int r) {
        return report.result().runs().get(r).incidents().stream().filter(i -> !i.isOpen())
                .map(i -> i.incidentId + " " + i.closedBy + " " + i.windows).sorted().toList();
    }

    /** The script's stretches of one label of a kind, consecutive phases of one label joined. */
    private static long segments(String kind, Set<String> background) {
        List<String> labels = SCRIPT.stream().map(p -> kind.equals(AnalyticsEvent.KIND_ACTION) ? p.action().label()
                : p.sound().name().toLowerCase(java.util.Locale.ROOT)).toList();
        long segments = 0;
        for (int i = 0; i < labels.size(); i++) {
            if (!background.contains(labels.get(i)) && (i == 0 || !labels.get(i).equals(labels.get(i - 1)))) {
                segments++;
            }
        }
        return segments;
    }

    /**
     * A second replay decides the same: the same windows with the same labels in the same order of
     * top labels, and scores within 1e-5. The evaluation classifies one window per batch, and on an
     * idle machine the scores were equal to the bit; under CPU load, one run in four had a window's
     * scores move in their last bits (docs/evaluation.md), so the bits are printed, not asserted.
     */
    private static void assertSameDecisions(List<AnalyticsEvent> first, List<AnalyticsEvent> second) {
        java.util.Comparator<AnalyticsEvent> order = java.util.Comparator.comparing((AnalyticsEvent e) -> e.kind)
                .thenComparingLong(e -> e.windowStartMs);
        List<AnalyticsEvent> a = first.stream().sorted(order).toList();
        List<AnalyticsEvent> b = second.stream().sorted(order).toList();
        assertThat(b).as("events of the second replay").hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            AnalyticsEvent x = a.get(i);
            AnalyticsEvent y = b.get(i);
            String what = x.kind + " window at " + (x.windowStartMs - Evaluation.BASE_MS) + " ms";
            assertThat(y.windowStartMs).as(what).isEqualTo(x.windowStartMs);
            assertThat(y.topLabels).as(what).containsExactly(x.topLabels);
            if (!java.util.Arrays.equals(y.topScores, x.topScores)) {
                System.out.println("not equal to the bit: " + what + " " + java.util.Arrays.toString(x.topScores)
                        + " vs " + java.util.Arrays.toString(y.topScores));
            }
            for (int k = 0; k < x.topScores.length; k++) {
                assertThat(y.topScores[k]).as(what + " score " + k).isCloseTo(x.topScores[k],
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    /** The share of the clip's 20 s that the stream's windows of {@code kind} cover, by the millisecond. */
    private static double independentCoverage(List<AnalyticsEvent> events, String kind) {
        long total = SCRIPT.stream().mapToLong(SyntheticClip.Phase::durationMs).sum();
        boolean[] covered = new boolean[(int) total];
        for (AnalyticsEvent e : events) {
            if (e.kind.equals(kind) && e.streamId.equals("lobby-cam")) {
                for (long t = Math.max(0, e.windowStartMs - Evaluation.BASE_MS);
                        t < Math.min(total, e.windowEndMs - Evaluation.BASE_MS); t++) {
                    covered[(int) t] = true;
                }
            }
        }
        int n = 0;
        for (boolean c : covered) {
            n += c ? 1 : 0;
        }
        return (double) n / total;
    }

    /** Scored windows (whole inside one phase of the script) and the correct ones, computed from the script. */
    private static int[] independentlyScored(List<AnalyticsEvent> events, String kind) {
        int scored = 0;
        int correct = 0;
        for (AnalyticsEvent e : events) {
            if (!e.kind.equals(kind) || !e.streamId.equals("lobby-cam")) {
                continue;
            }
            long from = e.windowStartMs - Evaluation.BASE_MS;
            long to = e.windowEndMs - Evaluation.BASE_MS;
            long phaseStart = 0;
            for (SyntheticClip.Phase p : SCRIPT) {
                long phaseEnd = phaseStart + p.durationMs();
                if (from >= phaseStart && to <= phaseEnd) {
                    scored++;
                    String truth = kind.equals(AnalyticsEvent.KIND_ACTION) ? p.action().label()
                            : p.sound().name().toLowerCase(java.util.Locale.ROOT);
                    correct += truth.equals(e.label) ? 1 : 0;
                }
                phaseStart = phaseEnd;
            }
        }
        return new int[] {scored, correct};
    }
}
