package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.deadletter.DeadLetterFormat;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.status.ModelStatus;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.jobs.models.ModelRegistry;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.testing.FaultyPackages;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions that must not serve, written into the registry by hand, on a job serving
 * {@code registry:audio-cnn} on a MiniCluster against the embedded broker. The job starts while
 * {@code SERVING} names a version whose output biases are NaN: it starts with the last good one,
 * 1.1.0. Then {@code SERVING} is pointed by hand at the NaN-bias, truncated-weights and
 * mislabelled-head versions in turn: each is refused on the status topic with its reason. Then 2.0.0
 * is promoted: it passes admission (its golden set is silence, which it decides right) but gives
 * every louder window NaN scores. The 20 s demo clip's sound is replayed: every window gets exactly
 * one event, none with a non-finite score; each window 2.0.0 spoilt is a dead letter (stage
 * classify, code NON_FINITE_SCORE) and has its event from 1.1.0; after three the operator is back
 * on 1.1.0 by itself. The registry remembers every refusal, {@code models list} shows them, and
 * rollback skips 2.0.0.
 */
class ModelAdmissionIT {

    private static final String STATUS = "argus.status";
    private static final String MODEL = "audio-cnn";
    private static final int MAX_NON_FINITE = 3;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void badVersionsNeverServeAndOneThatGoesNonFiniteOnLiveSoundIsLeftForTheLastGoodOneWithNoWindowLost(
            @TempDir Path dir) throws Exception {
        Path registryDir = dir.resolve("registry");
        ModelRegistry registry = new ModelRegistry(registryDir.toString());
        for (String v : List.of("1.0.0", "1.1.0")) {
            Path pkg = dir.resolve("package-" + v);
            ModelPackage.bundled(MODEL).withVersion(v).writeTo(pkg);
            registry.publish(pkg);
        }
        Path nanWhenLoud = dir.resolve("package-2.0.0");
        FaultyPackages.nanWhenLoud("2.0.0").writeTo(nanWhenLoud);
        registry.publish(nanWhenLoud);
        Map<String, ModelPackage> byHand = Map.of(
                "1.2.0", FaultyPackages.nanBias(MODEL, "1.2.0"),
                "1.3.0", FaultyPackages.truncated(MODEL, "1.3.0"),
                "1.4.0", FaultyPackages.mislabelledHead(MODEL, "1.4.0"),
                "1.5.0", FaultyPackages.nanBias(MODEL, "1.5.0"));
        for (var e : byHand.entrySet()) {
            e.getValue().writeTo(registryDir.resolve(MODEL).resolve(e.getKey()));
        }
        registry.promote(MODEL, "1.0.0", true);
        registry.promote(MODEL, "1.1.0", true);
        serveByHand(registryDir, "1.5.0");
        Path clip = Fixtures.clip(dir, SyntheticClip.DEMO_SCRIPT); // 20 s: silence, speech, music, alarm, noise

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Fixtures.createTopics(kafka);
            kafka.createTopics(1, STATUS);
            Configuration conf = Fixtures.jobConfig(kafka);
            conf.set(JobOptions.BOUNDED, false);
            conf.set(VideoOptions.ENABLED, false);
            conf.set(AudioOptions.MODEL, "registry:" + MODEL);
            conf.set(InferenceOptions.MODEL_REGISTRY, registryDir.toString());
            conf.set(InferenceOptions.MODEL_POLL_INTERVAL, Duration.ofMillis(300));
            conf.set(InferenceOptions.MODEL_MAX_NON_FINITE, MAX_NON_FINITE);
            conf.set(StreamOptions.IDLE_FLUSH, Duration.ofSeconds(1));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    AnalyticsJob.pipelineConfig());
            new AnalyticsPipeline(conf).build(env); // refuses 1.5.0 here already: the job is built for 1.1.0
            JobClient job = env.executeAsync("model-admission");
            KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
            try (TopicReader events = new TopicReader(client, Fixtures.EVENTS);
                    TopicReader statuses = new TopicReader(client, STATUS)) {
                List<ModelStatus> reports = new ArrayList<>();
                LiveModels.awaitStatus(statuses, reports, s -> s.status.equals(ModelStatus.REJECTED) && s.version.equals("1.5.0"), 1);

                // hot reload: each bad version, pointed at by hand, is refused and 1.1.0 keeps serving
                for (String v : List.of("1.2.0", "1.3.0", "1.4.0")) {
                    serveByHand(registryDir, v);
                    LiveModels.awaitStatus(statuses, reports, s -> s.status.equals(ModelStatus.REJECTED) && s.version.equals(v), 1);
                }
                registry.promote(MODEL, "2.0.0", ModelTrust.of(List.of(), null)); // it passes admission
                LiveModels.awaitStatus(statuses, reports, s -> s.status.equals(ModelStatus.SERVING) && s.version.equals("2.0.0"),
                        2);

                Fixtures.replay(kafka, clip, "mic", Fixtures.BASE);
                List<AnalyticsEvent> seen = new ArrayList<>();
                LiveModels.awaitEvents(events, seen, e -> e.windowStartMs - Fixtures.BASE == 19_000, 1);
                LiveModels.awaitStatus(statuses, reports, s -> s.status.equals(ModelStatus.REVERTED), 1);
                List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
                try (TopicReader dead = new TopicReader(client, Fixtures.DEAD)) {
                    dead.readToEnd(() -> true, Duration.ofMinutes(1), d -> deadLetters.add(WireSchemas.validDeadLetter(d)));
                }
                job.cancel().get();

                seen.sort(Comparator.comparingLong(e -> e.windowStartMs));
                Map<Long, String> versions = new TreeMap<>();
                seen.forEach(e -> versions.put(e.windowStartMs - Fixtures.BASE, e.modelVersion + " " + e.label));
                System.out.printf("model admission: %d windows %s; %d dead letters; status reports: %s%n", seen.size(),
                        versions, deadLetters.size(), reports);

                List<Long> expected = new ArrayList<>();
                for (long s = 0; s <= 19_000; s += 500) {
                    expected.add(s);
                }
                assertThat(seen.stream().map(e -> e.windowStartMs - Fixtures.BASE).toList())
                        .as("every window of the 20 s stream exactly once").isEqualTo(expected);
                assertThat(seen).allSatisfy(e -> {
                    assertThat(Float.isFinite(e.score)).as("score of %s", e.windowStartMs).isTrue();
                    for (float s : e.topScores) {
                        assertThat(Float.isFinite(s)).isTrue();
                    }
                    assertThat(e.modelVersion).isIn("1.1.0", "2.0.0");
                });
                assertThat(seen).filteredOn(e -> e.modelVersion.equals("2.0.0"))
                        .allSatisfy(e -> assertThat(e.label).isEqualTo("silence"));

                assertThat(deadLetters).hasSizeGreaterThanOrEqualTo(MAX_NON_FINITE).allSatisfy(d -> {
                    assertThat(DeadLetterFormat.stage(d)).isEqualTo("classify");
                    assertThat(DeadLetterFormat.code(d)).isEqualTo(DeadLetterReason.NON_FINITE_SCORE);
                    assertThat(DeadLetterFormat.reason(d)).startsWith("audio-cnn@2.0.0 gave the audio window ");
                    assertThat(new String(d.key())).isEqualTo("mic");
                });
                Set<String> spoilt = deadLetters.stream().map(DeadLetterFormat::window).collect(Collectors.toSet());
                assertThat(seen).filteredOn(e -> spoilt.contains(e.windowStartMs + "-" + e.windowEndMs))
                        .as("the windows 2.0.0 spoilt, classified again by 1.1.0").hasSize(spoilt.size())
                        .allSatisfy(e -> assertThat(e.modelVersion).isEqualTo("1.1.0"));
                long lastBad = seen.stream().filter(e -> spoilt.contains(e.windowStartMs + "-" + e.windowEndMs))
                        .mapToLong(e -> e.windowStartMs).max().orElseThrow();
                assertThat(seen).filteredOn(e -> e.windowStartMs > lastBad).as("after the return to 1.1.0")
                        .allSatisfy(e -> assertThat(e.modelVersion).isEqualTo("1.1.0"));

                assertThat(reports).filteredOn(s -> s.version.equals("2.0.0")).extracting(s -> s.status)
                        .contains(ModelStatus.SERVING, ModelStatus.NON_FINITE, ModelStatus.REVERTED);
                assertThat(reports).filteredOn(s -> s.status.equals(ModelStatus.REVERTED)).allSatisfy(s -> {
                    assertThat(s.serving).isEqualTo("1.1.0");
                    assertThat(s.reason).startsWith("gave ").contains("windows non-finite scores (limit 3");
                });
                assertThat(reports).filteredOn(s -> s.status.equals(ModelStatus.REJECTED))
                        .allSatisfy(s -> assertThat(s.serving).isEqualTo("1.1.0"));
                assertThat(reason(reports, "1.2.0")).contains("golden set golden.npy: 15 of 15 inputs got non-finite");
                assertThat(reason(reports, "1.3.0")).contains("weights.params (124,016 bytes) does not fit");
                assertThat(reason(reports, "1.4.0")).contains("0 of 15 inputs gave the expected label");
            }
        }

        assertThat(registry.states(MODEL)).extracting(s -> s.version() + " " + s.state()).containsExactly(
                "1.0.0 RETIRED", "1.1.0 RETIRED", "1.2.0 REFUSED", "1.3.0 REFUSED", "1.4.0 REFUSED", "1.5.0 REFUSED",
                "2.0.0 REFUSED");
        assertThat(registry.refusal(MODEL, "1.5.0").orElseThrow().by()).isEqualTo("job submission");
        assertThat(registry.refusal(MODEL, "2.0.0").orElseThrow()).satisfies(r -> {
            assertThat(r.reason()).contains("non-finite scores (limit 3");
            assertThat(r.by()).startsWith("job operator classify-audio subtask ").endsWith(", refused while serving");
        });
        // rollback from a later promotion skips the refused 2.0.0 promoted before it
        registry.promote(MODEL, "1.0.0", true);
        assertThat(registry.rollback(MODEL)).isEqualTo("1.1.0");
    }

    private static String reason(List<ModelStatus> reports, String version) {
        return reports.stream().filter(s -> s.version.equals(version) && s.status.equals(ModelStatus.REJECTED))
                .map(s -> s.reason).findFirst().orElseThrow();
    }

    /** Points SERVING at a version without the tools, as someone with write access to the registry could. */
    private static void serveByHand(Path registryDir, String version) throws Exception {
        Path tmp = registryDir.resolve(MODEL).resolve(".serving-by-hand");
        Files.writeString(tmp, version + "\n");
        Files.move(tmp, registryDir.resolve(MODEL).resolve(ModelRegistry.SERVING),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
