package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.status.ModelStatus;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.cli.ArgusCli;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.jobs.models.ModelRegistry;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shadow version on live traffic, then promoted on its evidence: the job serves
 * {@code registry:audio-cnn} 1.0.0 while a microphone is replayed at its own pace (the 20 s clip
 * twice); once the first events are out, 1.1.0 is started as a shadow with {@code argus models
 * shadow}. Promotion with {@code --if-agreement} is refused while the shadow has been compared on
 * too few windows, then accepted; 20 s more of the stream follow. The serving events are those of a run of the same input
 * without a shadow (every window once, with the same labels and scores; the versions only change
 * at the promotion); the shadow topic holds one event per window from the first one the shadow
 * classified until the promotion, each with the serving decision beside it; and the figures
 * {@code argus models compare --live} prints are recomputed here from both topics.
 */
class ShadowIT {

    private static final String MODEL = "audio-cnn";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void aShadowSeesEveryWindowFromItsStartLeavesServingUnchangedAndIsPromotedOnlyOnItsEvidence(@TempDir Path dir)
            throws Exception {
        Path registryDir = dir.resolve("registry");
        ModelRegistry registry = new ModelRegistry(registryDir.toString());
        registry.publish(LiveModels.version(dir, MODEL, "1.0.0"));
        registry.publish(LiveModels.version(dir, MODEL, "1.1.0"));
        registry.promote(MODEL, "1.0.0", true);
        Path clip = Fixtures.clip(dir, SyntheticClip.DEMO_SCRIPT); // 20 s

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Fixtures.createTopics(kafka);
            Configuration conf = Fixtures.jobConfig(kafka);
            conf.set(JobOptions.BOUNDED, false);
            conf.set(VideoOptions.ENABLED, false);
            conf.set(AudioOptions.MODEL, "registry:" + MODEL);
            conf.set(InferenceOptions.MODEL_REGISTRY, registryDir.toString());
            conf.set(InferenceOptions.MODEL_POLL_INTERVAL, Duration.ofMillis(300));
            conf.set(StreamOptions.IDLE_FLUSH, Duration.ofSeconds(1)); // the pause between the two replays
            // a busy machine must not skip windows here
            conf.set(InferenceOptions.SHADOW_MAX_LAG, Duration.ofMinutes(10));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    AnalyticsJob.pipelineConfig());
            new AnalyticsPipeline(conf).build(env);
            JobClient job = env.executeAsync("shadow");
            KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
            String[] kafkaArgs = {"--bootstrap-servers", kafka.bootstrapServers()};
            List<AnalyticsEvent> served = new ArrayList<>();
            List<AnalyticsEvent> shadowed = new ArrayList<>();
            List<ModelStatus> reports = new ArrayList<>();
            String refusal;
            String accepted;
            try (TopicReader events = new TopicReader(client, Fixtures.EVENTS);
                    TopicReader shadows = new TopicReader(client, Fixtures.SHADOW);
                    TopicReader statuses = new TopicReader(client, Fixtures.STATUS)) {
                CompletableFuture<Void> live = CompletableFuture.runAsync(() -> LiveModels.replayLive(kafka, clip, 2));
                LiveModels.awaitEvents(events, served, e -> true, 1);
                assertThat(argus(new String[] {"models", "shadow", "--registry", registryDir.toString(), "--model",
                        MODEL, "--version", "1.1.0"})).contains("audio-cnn@1.1.0 runs as a shadow beside 1.0.0");
                LiveModels.awaitStatus(statuses, reports, s -> s.status.equals(ModelStatus.SHADOW), 1);
                LiveModels.awaitEvents(shadows, shadowed, e -> true, 3);

                // too few windows compared yet: refused with the figures; then enough
                String[] promote = {"models", "promote", "--registry", registryDir.toString(), "--model", MODEL,
                        "--version", "1.1.0", "--if-agreement", "0.9", kafkaArgs[0], kafkaArgs[1], "--min-windows"};
                refusal = argusFails(concat(promote, "100000"));
                assertThat(registry.serving(MODEL)).contains("1.0.0");
                assertThat(registry.shadow(MODEL)).contains("1.1.0");
                accepted = argus(concat(promote, String.valueOf(shadowed.size()))); // committed, so compared
                LiveModels.awaitStatus(statuses, reports, s -> s.status.equals(ModelStatus.SERVING) && s.version.equals("1.1.0"), 1);

                live.get(3, TimeUnit.MINUTES);
                Fixtures.replay(kafka, clip, "mic", Fixtures.BASE + 40_000);
                LiveModels.awaitEvents(events, served, e -> e.windowStartMs - Fixtures.BASE == 59_000, 1);
                job.cancel().get();
                shadows.readToEnd(() -> true, Duration.ofMinutes(1), r -> shadowed.add(WireSchemas.validEvent(r.value())));
            }
            Path labels = labels(dir);
            String compared = argus(new String[] {"models", "compare", "--live", "--model", MODEL, kafkaArgs[0],
                    kafkaArgs[1], "--labels", labels.toString(), "--labels-origin",
                    java.time.Instant.ofEpochMilli(Fixtures.BASE).toString()});
            List<AnalyticsEvent> baseline = runWithoutAShadow(kafka, registryDir);

            served.sort(Comparator.comparingLong(e -> e.windowStartMs));
            shadowed.sort(Comparator.comparingLong(e -> e.windowStartMs));
            List<Long> starts = served.stream().map(e -> e.windowStartMs - Fixtures.BASE).toList();
            List<Long> shadowStarts = shadowed.stream().map(e -> e.windowStartMs - Fixtures.BASE).toList();
            List<String> versions = served.stream().map(e -> e.modelVersion).toList();
            int switchAt = versions.indexOf("1.1.0");
            System.out.printf("shadow: %d windows served (1.0.0 for the first %d), the shadow's from %d ms to %d ms "
                    + "(%d windows); refused: %s; accepted: %s; compare:%n%s", served.size(), switchAt,
                    shadowStarts.get(0), shadowStarts.get(shadowStarts.size() - 1), shadowed.size(), refusal,
                    accepted, compared);

            // serving: every window of the 60 s once, exactly what a run without a shadow decided
            List<Long> expected = new ArrayList<>();
            for (long s = 0; s <= 59_000; s += 500) {
                expected.add(s);
            }
            assertThat(starts).as("window starts, ms into the stream").isEqualTo(expected);
            assertThat(decisions(served)).as("labels of the served windows").isEqualTo(decisions(baseline));
            for (int i = 0; i < served.size(); i++) { // a window batched with others may differ in the last float bits
                assertThat(served.get(i).topScores).as("scores of window %d", starts.get(i))
                        .containsExactly(baseline.get(i).topScores, org.assertj.core.data.Offset.offset(1e-5f));
            }
            assertThat(switchAt).isPositive();
            assertThat(versions.subList(0, switchAt)).allMatch("1.0.0"::equals);
            assertThat(versions.subList(switchAt, versions.size())).allMatch("1.1.0"::equals);
            assertThat(served).noneMatch(AnalyticsEvent::isShadow);

            // the shadow: started mid-stream, then one event per window until the promotion, none after it
            long firstShadow = shadowStarts.get(0);
            assertThat(firstShadow).as("the shadow started mid-stream").isPositive();
            assertThat(shadowStarts).as("shadow windows: each window 1.0.0 served from the shadow's first on, once")
                    .isEqualTo(starts.subList(starts.indexOf(firstShadow), switchAt));
            Map<Long, AnalyticsEvent> byStart = new HashMap<>();
            served.forEach(e -> byStart.put(e.windowStartMs, e));
            assertThat(shadowed).allSatisfy(s -> {
                AnalyticsEvent e = byStart.get(s.windowStartMs);
                assertThat(s.isShadow()).isTrue();
                assertThat(s.modelVersion).isEqualTo("1.1.0");
                assertThat(s.servingVersion).isEqualTo(e.modelVersion).isEqualTo("1.0.0");
                assertThat(s.servingLabel).isEqualTo(e.label);
                assertThat(s.servingScore).isEqualTo(e.score);
                assertThat(s.windowEndMs).isEqualTo(e.windowEndMs);
            });

            // the figures of compare, recomputed from both topics
            int agreed = 0;
            for (AnalyticsEvent s : shadowed) {
                agreed += s.label.equals(byStart.get(s.windowStartMs).label) ? 1 : 0;
            }
            assertThat(compared).contains(String.format(Locale.ROOT, "audio-cnn: shadow 1.1.0 against serving 1.0.0, "
                    + "%d windows compared%n", shadowed.size()), String.format(Locale.ROOT, "agreement  %.1f%% (%d of %d)",
                    100.0 * agreed / shadowed.size(), agreed, shadowed.size()));
            for (String label : shadowed.stream().map(s -> byStart.get(s.windowStartMs).label).distinct().toList()) {
                long n = shadowed.stream().filter(s -> byStart.get(s.windowStartMs).label.equals(label)).count();
                long same = shadowed.stream().filter(s -> byStart.get(s.windowStartMs).label.equals(label)
                        && s.label.equals(label)).count();
                assertThat(compared).as("class " + label).contains(String.format(Locale.ROOT, "    %-12s %6.1f%%  %d of %d",
                        label, 100.0 * same / n, same, n));
            }
            int labelled = 0;
            int servingRight = 0;
            int shadowRight = 0;
            for (AnalyticsEvent s : shadowed) {
                SyntheticClip.Phase phase = Fixtures.phaseOf(SyntheticClip.DEMO_SCRIPT, s, Fixtures.BASE
                        + (s.windowStartMs - Fixtures.BASE) / 20_000 * 20_000);
                if (phase != null) {
                    String truth = phase.sound().name().toLowerCase(Locale.ROOT);
                    labelled++;
                    servingRight += truth.equals(s.servingLabel) ? 1 : 0;
                    shadowRight += truth.equals(s.label) ? 1 : 0;
                }
            }
            assertThat(labelled).as("shadow windows inside one phase of the script").isPositive();
            assertThat(compared).contains(String.format(Locale.ROOT, "  ground truth on %d of these windows: accuracy "
                    + "serving %.1f%% (%d), shadow %.1f%% (%d)", labelled, 100.0 * servingRight / labelled, servingRight,
                    100.0 * shadowRight / labelled, shadowRight));
            assertThat(refusal).startsWith("argus models promote: not promoted: audio-cnn@1.1.0 was compared with "
                    + "serving on ").endsWith(" windows, fewer than --min-windows 100000");
            assertThat(accepted).contains("audio-cnn@1.1.0 agreed with serving on", "now serves 1.1.0 (was 1.0.0)");
            assertThat(registry.shadow(MODEL)).as("promoting the shadow ended it").isEmpty();
            assertThat(reports).anySatisfy(s -> {
                assertThat(s.status).isEqualTo(ModelStatus.SHADOW);
                assertThat(s.version).isEqualTo("1.1.0");
                assertThat(s.serving).isEqualTo("1.0.0");
            });
        }
    }

    /** The same input, read again by a job pinned to 1.0.0 (no shadow), to its own output topics. */
    private static List<AnalyticsEvent> runWithoutAShadow(EmbeddedKafka kafka, Path registryDir) throws Exception {
        kafka.createTopics(2, "baseline.events", "baseline.dead");
        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(VideoOptions.ENABLED, false);
        conf.set(AudioOptions.MODEL, "registry:" + MODEL + "@1.0.0");
        conf.set(InferenceOptions.MODEL_REGISTRY, registryDir.toString());
        conf.set(JobOptions.GROUP_ID, "baseline");
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "baseline");
        conf.set(KafkaOptions.EVENTS_TOPIC, "baseline.events");
        conf.set(KafkaOptions.DEAD_LETTER_TOPIC, "baseline.dead");
        AnalyticsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig()), conf);
        List<AnalyticsEvent> events = new ArrayList<>(Fixtures.read(kafka, "baseline.events", "baseline.dead").events);
        events.sort(Comparator.comparingLong(e -> e.windowStartMs));
        return events;
    }

    /** The script's sound as ground truth of the stream, three times in a row (the stream is the clip thrice). */
    private static Path labels(Path dir) throws Exception {
        List<String> lines = new ArrayList<>(List.of("stream,kind,start,end,label"));
        long at = 0;
        for (int round = 0; round < 3; round++) {
            for (SyntheticClip.Phase p : SyntheticClip.DEMO_SCRIPT) {
                lines.add(String.format(Locale.ROOT, "mic,audio,%.3f,%.3f,%s", at / 1000.0, (at + p.durationMs())
                        / 1000.0, p.sound().name().toLowerCase(Locale.ROOT)));
                at += p.durationMs();
            }
        }
        return java.nio.file.Files.write(dir.resolve("labels.csv"), lines);
    }

    /** What a window's event decided, without the scores, the version or the times. */
    private static List<String> decisions(List<AnalyticsEvent> events) {
        return events.stream().map(e -> e.streamId + " " + (e.windowStartMs - Fixtures.BASE) + " "
                + Arrays.toString(e.topLabels)).toList();
    }

    /** Runs an argus command in this JVM; returns what it printed, failing the test if it failed. */
    private static String argus(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(args, out, err);
        assertThat(code).as("argus %s exit code; said %s", String.join(" ", args), err).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs an argus command that must fail with exit code 1; returns its one line on standard error. */
    private static String argusFails(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(args, out, err)).as("argus %s exit code", String.join(" ", args)).isEqualTo(1);
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("standard error").hasSize(1);
        return lines.get(0);
    }

    private static int run(String[] args, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        PrintStream stdout = System.out;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            return ArgusCli.run(args, e);
        } finally {
            System.setOut(stdout);
        }
    }

    private static String[] concat(String[] a, String last) {
        String[] all = Arrays.copyOf(a, a.length + 1);
        all[a.length] = last;
        return all;
    }
}
