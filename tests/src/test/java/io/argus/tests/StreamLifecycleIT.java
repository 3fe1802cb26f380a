package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.status.StreamStatus;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream's life as a user sees it on the events and status topics: a camera whose clock jumps
 * 3 h ahead and then back gets three runs of events, each as a new stream would, and two clock
 * jumps per path on the status topic; a camera that goes away is released (status topic), and when
 * it comes back, even with its old clock, its events are those of a new stream.
 */
class StreamLifecycleIT {

    private static final long HOURS_3 = Duration.ofHours(3).toMillis();
    /** Action and audio windows of one pass of the motion clip (12 s). */
    private static final int EVENTS_PER_PASS = 11 + 23;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static EmbeddedKafka kafka;
    private static Path clip;
    private static long clipMs;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        kafka = EmbeddedKafka.start();
        // the per-stream state's life, not a model's: the pixel model on its own footage, an event per window
        clip = Fixtures.stickFigureClip(dir, SyntheticClip.MOTION_SCRIPT);
        clipMs = SyntheticClip.MOTION_SCRIPT.stream().mapToLong(SyntheticClip.Phase::durationMs).sum();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aClockThatJumpsAheadAndBackGivesThreeRunsOfEventsAndIsReported() throws Exception {
        createTopics("jump");
        // the glitch: on time, then 3 h ahead, then back on time (where the first pass ended)
        long[] bases = {Fixtures.BASE, Fixtures.BASE + HOURS_3, Fixtures.BASE + clipMs};
        for (int i = 0; i < bases.length; i++) {
            Fixtures.replay(kafka, clip, "jump", "cam-glitch", bases[i]);
            Fixtures.replay(kafka, clip, "jump", "cam-ref-" + i, bases[i]); // the same media, a new stream each
        }
        Configuration conf = jobConfig("jump", true);
        AnalyticsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig()), conf);

        Fixtures.Results results = Fixtures.read(kafka, "jump.events", "jump.dead");
        List<String> glitched = keys(results.events, "cam-glitch"::equals);
        List<String> references = keys(results.events, s -> s.startsWith("cam-ref-"));
        System.out.printf("clock jumps: %d events of the glitching camera, %d of its three references%n",
                glitched.size(), references.size());
        assertThat(references).hasSize(3 * EVENTS_PER_PASS);
        assertThat(glitched).containsExactlyInAnyOrderElementsOf(references);

        List<StreamStatus> statuses = streamStatuses("jump.status");
        assertThat(statuses).allSatisfy(s -> assertThat(s.streamId).isEqualTo("cam-glitch"));
        for (String kind : List.of("video", "audio")) {
            // in the order they happened: one stream's reports share a partition
            assertThat(statuses).filteredOn(s -> s.kind.equals(kind)).as(kind + " clock jumps")
                    .extracting(s -> s.status, s -> Long.signum(s.jumpMs()), s -> runOf(s.toMs, bases))
                    .containsExactly(tuple(StreamStatus.CLOCK_JUMP, 1, 1), tuple(StreamStatus.CLOCK_JUMP, -1, 2));
        }
    }

    @Test
    void aStreamThatComesBackAfterItsReleaseGetsTheEventsOfANewStream() throws Exception {
        createTopics("release");
        Configuration conf = jobConfig("release", false);
        conf.set(StreamOptions.IDLE_FLUSH, Duration.ofMillis(500));
        conf.set(StreamOptions.IDLE_RELEASE, Duration.ofSeconds(2));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                AnalyticsJob.pipelineConfig());
        new AnalyticsPipeline(conf).build(env);
        JobClient job = env.executeAsync("stream-lifecycle-release");
        try (TopicReader events = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), "release.events");
                TopicReader status = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), "release.status")) {
            List<AnalyticsEvent> seen = new ArrayList<>();
            Fixtures.replay(kafka, clip, "release", "cam-away", Fixtures.BASE);
            await(events, EVENTS_PER_PASS, r -> seen.add(WireSchemas.validEvent(r)));
            List<StreamStatus> released = new ArrayList<>();
            await(status, 2, r -> released.add(WireSchemas.validStreamStatus(r))); // both paths
            assertThat(released).extracting(s -> s.kind + " " + s.status + " " + s.streamId)
                    .containsExactlyInAnyOrder("video released cam-away", "audio released cam-away");
            List<String> firstPass = keys(seen, s -> true);

            // it comes back with the same clock: everything would be late had its state been kept
            seen.clear();
            Fixtures.replay(kafka, clip, "release", "cam-away", Fixtures.BASE);
            await(events, EVENTS_PER_PASS, r -> seen.add(WireSchemas.validEvent(r)));
            assertThat(keys(seen, s -> true)).containsExactlyInAnyOrderElementsOf(firstPass);
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    private static void createTopics(String run) {
        kafka.createTopics(2, run + ".video", run + ".audio", run + ".events", run + ".dead", run + ".status",
                Fixtures.INCIDENTS);
    }

    private static Configuration jobConfig(String run, boolean bounded) {
        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(VideoOptions.ACTION_MODEL, "bundled:action-cnn-lstm");
        conf.set(JobOptions.BOUNDED, bounded);
        conf.set(JobOptions.GROUP_ID, run);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, run);
        conf.set(KafkaOptions.VIDEO_TOPIC, run + ".video");
        conf.set(KafkaOptions.AUDIO_TOPIC, run + ".audio");
        conf.set(KafkaOptions.EVENTS_TOPIC, run + ".events");
        conf.set(KafkaOptions.DEAD_LETTER_TOPIC, run + ".dead");
        conf.set(KafkaOptions.STATUS_TOPIC, run + ".status");
        return conf;
    }

    /** Reads {@code n} more records (two minutes at most) and hands each value to {@code sink}. */
    private static void await(TopicReader reader, int n, Consumer<byte[]> sink) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        int seen = 0;
        while (seen < n && System.nanoTime() < deadline) {
            seen += reader.poll(Duration.ofMillis(200), r -> sink.accept(r.value()));
        }
        assertThat(seen).as("records read within two minutes").isEqualTo(n);
    }

    /** Every stream status on a finished job's status topic. */
    private static List<StreamStatus> streamStatuses(String topic) {
        List<StreamStatus> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), topic)) {
            reader.readToEnd(() -> true, Duration.ofMinutes(1), r -> out.add(WireSchemas.validStreamStatus(r.value())));
        }
        return out;
    }

    /** Which of the runs starting at {@code bases} a capture time lies in (the first second of), or -1. */
    private static int runOf(long captureMs, long[] bases) {
        for (int i = 0; i < bases.length; i++) {
            if (captureMs >= bases[i] && captureMs < bases[i] + 1000) {
                return i;
            }
        }
        return -1;
    }

    /** The events of the streams {@code stream} accepts as (kind, window relative to its run, label). */
    private static List<String> keys(List<AnalyticsEvent> events, Predicate<String> stream) {
        return events.stream().filter(e -> stream.test(e.streamId))
                .map(e -> e.kind + "/" + (e.windowStartMs - Fixtures.BASE) + "-" + (e.windowEndMs - Fixtures.BASE)
                        + "/" + e.label)
                .toList();
    }
}
