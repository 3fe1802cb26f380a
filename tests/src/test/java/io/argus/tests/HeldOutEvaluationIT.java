package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.cli.EvaluateCommand;
import io.argus.jobs.eval.Evaluation;
import io.argus.jobs.eval.Report;
import io.argus.models.action.Action;
import io.argus.models.action.Backdrop;
import io.argus.testkit.SyntheticClip.Phase;
import io.argus.testkit.SyntheticClip.Sound;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled models evaluated by {@code argus evaluate} on footage they never trained on: scenes
 * on the TILES backdrop family (held out of action training) with the held-out sounds, and
 * recordings cut from the audio model's held-out test split. The report's numbers are recomputed
 * here from the same events and the labels as written, without the evaluation's code; the report
 * is kept under {@code target/heldout-evaluation} (the README's screenshot is of it). A real-time
 * replay of a short scene into the unbounded job gives every window and a bounded latency.
 */
class HeldOutEvaluationIT {

    /** The footage is the pixel action model's held-out family (TILES backdrops, stick figures). */
    private static final String PIXEL_MODEL = "bundled:action-cnn-lstm";

    private static final Sound[] SOUNDS = {Sound.SILENCE, Sound.SPEECH, Sound.MUSIC, Sound.ALARM, Sound.NOISE};
    private static final String[] AUDIO_LABELS = {"speech", "music", "silence", "noise", "alarm"};
    private static final long PHASE_MS = 4000;

    /** One labelled interval, as written to the labels file. */
    private record Truth(String stream, String kind, long startMs, long endMs, String label) {}

    @Test
    void bundledModelsOnHeldOutFootage() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/heldout-evaluation"));
        Path recordings = dir.resolve("recordings");
        if (Files.exists(recordings)) {
            try (var old = Files.list(recordings)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(recordings);
        List<Truth> truth = new ArrayList<>();
        Random random = new Random(2026);
        for (int c = 0; c < 3; c++) {
            List<Action> actions = new ArrayList<>(Arrays.asList(Action.values()));
            List<Sound> sounds = new ArrayList<>(Arrays.asList(SOUNDS));
            Collections.shuffle(actions, random);
            Collections.shuffle(sounds, random);
            List<Phase> script = new ArrayList<>();
            String stream = "tiles-cam-" + (c + 1);
            for (int p = 0; p < actions.size(); p++) {
                script.add(new Phase(PHASE_MS, actions.get(p), sounds.get(p)));
                truth.add(new Truth(stream, "action", p * PHASE_MS, (p + 1) * PHASE_MS, actions.get(p).label()));
                truth.add(new Truth(stream, "audio", p * PHASE_MS, (p + 1) * PHASE_MS,
                        sounds.get(p).name().toLowerCase(Locale.ROOT)));
            }
            SyntheticClip.on(Backdrop.TILES, 9001 + c).write(recordings.resolve(stream + ".mkv"), script);
        }
        for (int m = 0; m < 2; m++) {
            List<String> labels = new ArrayList<>(Arrays.asList(AUDIO_LABELS));
            Collections.shuffle(labels, random);
            String stream = "heldout-mic-" + (m + 1);
            float[] samples = new float[0];
            for (int p = 0; p < labels.size(); p++) {
                float[] all = HeldOutAudio.of(labels.get(p));
                // each recording takes other clips of the label: seconds 4m .. 4m+3
                float[] part = Arrays.copyOfRange(all, 4 * m * HeldOutAudio.RATE, (4 * m + 4) * HeldOutAudio.RATE);
                int at = samples.length;
                samples = Arrays.copyOf(samples, at + part.length);
                System.arraycopy(part, 0, samples, at, part.length);
                truth.add(new Truth(stream, "audio", p * PHASE_MS, (p + 1) * PHASE_MS, labels.get(p)));
            }
            HeldOutAudio.writeFlac(recordings.resolve(stream + ".flac"), samples);
        }
        List<String> lines = new ArrayList<>(List.of("stream,kind,start,end,label"));
        truth.forEach(t -> lines.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%s", t.stream(), t.kind(),
                t.startMs() / 1000, t.endMs() / 1000, t.label())));
        Path labelsFile = dir.resolve("labels.csv");
        Files.write(labelsFile, lines);

        Configuration conf = new Configuration();
        conf.set(EvaluateCommand.RECORDINGS, List.of(recordings.toString()));
        conf.set(EvaluateCommand.ACTION_MODELS, List.of(PIXEL_MODEL));
        conf.set(EvaluateCommand.LABELS, labelsFile.toString());
        conf.set(EvaluateCommand.OUT, dir.resolve("report").toString());
        conf.set(EvaluateCommand.PROGRESS_INTERVAL, Duration.ofSeconds(2));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report report = EvaluateCommand.run(conf, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String said = printed.toString(StandardCharsets.UTF_8);
        System.out.print(said);

        assertThat(said).contains("argus evaluate: run 1 of 1: 5 streams, ").contains("s of media)");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report/evaluation.json").toFile());
        JsonNode run = json.path("runs").get(0);
        Evaluation.Run events = report.result().runs().get(0);
        for (String kind : List.of(AnalyticsEvent.KIND_ACTION, AnalyticsEvent.KIND_AUDIO)) {
            TreeMap<String, int[]> perClass = new TreeMap<>(); // label -> tp, truth count, predicted count
            int scored = 0;
            int correct = 0;
            for (AnalyticsEvent e : events.events()) {
                if (!e.kind.equals(kind)) {
                    continue;
                }
                long from = e.windowStartMs - Evaluation.BASE_MS;
                long to = e.windowEndMs - Evaluation.BASE_MS;
                for (Truth t : truth) {
                    if (t.stream().equals(e.streamId) && t.kind().equals(kind) && from >= t.startMs() && to <= t.endMs()) {
                        scored++;
                        correct += t.label().equals(e.label) ? 1 : 0;
                        perClass.computeIfAbsent(t.label(), l -> new int[3])[1]++;
                        perClass.computeIfAbsent(e.label, l -> new int[3])[2]++;
                        if (t.label().equals(e.label)) {
                            perClass.get(t.label())[0]++;
                        }
                    }
                }
            }
            JsonNode k = run.path("kinds").path(kind);
            assertThat(k.path("scored").asLong()).as("%s scored", kind).isEqualTo(scored);
            assertThat(k.path("accuracy").asDouble()).as("%s accuracy", kind).isCloseTo((double) correct / scored,
                    within(1e-4));
            double f1Sum = 0;
            int classes = 0;
            for (String label : truth.stream().filter(t -> t.kind().equals(kind)).map(Truth::label).distinct().toList()) {
                int[] c = perClass.get(label);
                double precision = c[2] == 0 ? 0 : (double) c[0] / c[2];
                double recall = (double) c[0] / c[1];
                f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                classes++;
            }
            assertThat(k.path("macroF1").asDouble()).as("%s macro-F1", kind).isCloseTo(f1Sum / classes, within(1e-4));
            System.out.printf(Locale.ROOT, "held-out %s: %d windows scored, accuracy %.3f, macro-F1 %.3f%n", kind,
                    scored, (double) correct / scored, f1Sum / classes);
        }
        assertThat(run.path("kinds").path("action").path("accuracy").asDouble()).as("bundled action model, held out")
                .isGreaterThanOrEqualTo(0.85);
        assertThat(run.path("kinds").path("audio").path("accuracy").asDouble()).as("bundled audio model, held out")
                .isGreaterThanOrEqualTo(0.85);
        long[] latency = events.captureToKafkaMs().clone();
        Arrays.sort(latency);
        assertThat(latency).hasSize(events.events().size());
        assertThat(run.path("latencyMs").path("p50").asLong()).isEqualTo(latency[(int) Math.ceil(latency.length * 0.5) - 1]);
        assertThat(run.path("latencyMs").path("p99").asLong())
                .isEqualTo(latency[(int) Math.ceil(latency.length * 0.99) - 1]);
        assertThat(latency[0]).as("an event cannot be read before its media was sent").isPositive();
    }

    @Test
    void realTimeReplayDecidesEveryWindowWithBoundedLatency(@TempDir Path dir) throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        List<Phase> script = SyntheticClip.DEMO_SCRIPT.subList(0, 3); // 12 s
        SyntheticClip.standard(42).write(recordings.resolve("live-cam.mkv"), script);
        Path labelsFile = dir.resolve("labels.csv");
        List<String> lines = new ArrayList<>(List.of("stream,kind,start,end,label"));
        for (int p = 0; p < script.size(); p++) {
            lines.add(String.format(Locale.ROOT, "live-cam,action,%d,%d,%s", 4 * p, 4 * p + 4,
                    script.get(p).action().label()));
        }
        Files.write(labelsFile, lines);
        Configuration conf = new Configuration();
        conf.set(EvaluateCommand.RECORDINGS, List.of(recordings.toString()));
        conf.set(EvaluateCommand.ACTION_MODELS, List.of(PIXEL_MODEL));
        conf.set(EvaluateCommand.LABELS, labelsFile.toString());
        conf.set(EvaluateCommand.OUT, dir.resolve("out").toString());
        conf.set(EvaluateCommand.REALTIME, true);
        conf.set(EvaluateCommand.PROGRESS_INTERVAL, Duration.ofSeconds(2));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        Report report = EvaluateCommand.run(conf, new PrintStream(printed, true, StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - t0) / 1e9;
        String said = printed.toString(StandardCharsets.UTF_8);
        System.out.print(said);

        assertThat(said).contains("replayed in real time").contains("s of media left");
        assertThat(seconds).as("a real-time replay of 12 s takes at least 12 s").isGreaterThan(12);
        List<AnalyticsEvent> events = report.result().runs().get(0).events();
        // the same windows as the bounded replay: actions every 1 s, sounds every 0.5 s, over 12 s
        List<Long> action = events.stream().filter(e -> e.kind.equals("action"))
                .map(e -> e.windowStartMs - Evaluation.BASE_MS).sorted().toList();
        List<Long> audio = events.stream().filter(e -> e.kind.equals("audio"))
                .map(e -> e.windowStartMs - Evaluation.BASE_MS).sorted().toList();
        assertThat(action).as("action windows").doesNotHaveDuplicates().contains(0L, 5000L, 10_000L).hasSize(11);
        assertThat(audio).as("audio windows").doesNotHaveDuplicates().contains(0L, 5500L, 11_000L).hasSize(23);
        long[] latency = report.result().runs().get(0).captureToKafkaMs().clone();
        Arrays.sort(latency);
        System.out.println("real-time capture-to-Kafka latency, ms: " + Arrays.toString(latency));
        // window hold (reorder bound 1 s) + decoding and inference + the next checkpoint (1 s); the last
        // windows wait for the drain
        assertThat(latency[(int) Math.ceil(latency.length * 0.5) - 1]).as("median latency").isLessThan(4000);
        assertThat(report.macroF1(report.scores(0, "action"))).as("action macro-F1 in real time").isGreaterThan(0.6);
    }
}
