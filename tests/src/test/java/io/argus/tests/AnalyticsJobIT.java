package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.deadletter.DeadLetterFormat;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.operators.incidents.IncidentSettings;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a real Flink MiniCluster against a real in-process Kafka broker: a clip with
 * known content is replayed for two cameras (whose clocks disagree by 1000 s) together with
 * broken records, and the events read back with read_committed must match the clip's script.
 * The video path runs the motion-energy signal here; the learned action model has its own test.
 * The job also writes its events to a live (at-least-once) topic, which must hold the same events.
 */
class AnalyticsJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final long SKEWED_BASE = Fixtures.BASE + 1_000_000;
    private static final String LIVE = "argus.live-events";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        Fixtures.createTopics(kafka);
        kafka.createTopics(2, LIVE);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void eventsMatchTheKnownClipAndBrokenRecordsGoToTheDeadLetterTopic(@TempDir Path dir) throws Exception {
        Path clip = Fixtures.stickFigureClip(dir, SyntheticClip.MOTION_SCRIPT);
        ReplayProducer.Stats a = Fixtures.replay(kafka, clip, "cam-a", Fixtures.BASE);
        Fixtures.replay(kafka, clip, "cam-b", SKEWED_BASE);
        List<String> sentBad = sendBrokenRecords();

        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(StreamOptions.MAX_PAYLOAD_BYTES, 1024 * 1024);
        conf.set(VideoOptions.ACTION_MODEL, "motion-energy");
        conf.set(AudioOptions.MODEL, "loudness");
        conf.set(AudioOptions.HOP, java.time.Duration.ofSeconds(1));
        conf.set(KafkaOptions.LIVE_EVENTS_TOPIC, LIVE);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig());
        AnalyticsJob.run(env, conf);
        Fixtures.Results results = Fixtures.read(kafka);

        assertThat(a.videoRecords()).isEqualTo(12);
        for (String stream : List.of("cam-a", "cam-b")) {
            long base = stream.equals("cam-a") ? Fixtures.BASE : SKEWED_BASE;
            List<AnalyticsEvent> audio = results.of(stream, AnalyticsEvent.KIND_AUDIO);
            assertThat(audio).extracting(e -> e.label).containsExactly(
                    "silence", "silence", "silence", "silence", "loud", "loud", "loud", "loud",
                    "quiet", "quiet", "quiet", "quiet");
            assertThat(audio).extracting(e -> e.windowStartMs - base)
                    .containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L, 8000L, 9000L, 10000L, 11000L);

            List<AnalyticsEvent> action = results.of(stream, AnalyticsEvent.KIND_ACTION);
            // 16-frame windows at 8 fps every second over 12 s: starts at 0..10 s
            assertThat(action).extracting(e -> e.windowStartMs - base)
                    .containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L, 8000L, 9000L, 10000L);
            List<AnalyticsEvent> inside = action.stream()
                    .filter(e -> Fixtures.phaseOf(SyntheticClip.MOTION_SCRIPT, e, base) != null).toList();
            assertThat(inside).hasSize(9); // three windows inside each 4 s phase
            assertThat(inside).allSatisfy(e -> assertThat(e.label)
                    .as("window at %d ms", e.windowStartMs - base)
                    .isEqualTo(Fixtures.phaseOf(SyntheticClip.MOTION_SCRIPT, e, base).motion() ? "motion" : "still"));
        }
        assertThat(results.events).allSatisfy(e -> {
            assertThat(e.schemaVersion).isEqualTo(AnalyticsEvent.SCHEMA_VERSION);
            assertThat(e.score).isBetween(0f, 1f).isEqualTo(e.topScores[0]);
            assertThat(e.topLabels[0]).isEqualTo(e.label);
            assertThat(e.windowEndMs).isGreaterThan(e.windowStartMs);
            assertThat(e.modelVersion).isEqualTo("signal-1");
            assertThat(e.inferredAtMs).isGreaterThanOrEqualTo(e.decodedAtMs);
        });
        assertThat(results.events).hasSize(2 * (12 + 11));
        // incidents, each checked against its schema on the way in: consistent with the events, and the
        // 4 s of sound on each stream is one closed 'loud' incident from its first loud window on
        Incidents.assertConsistentWithEvents(results.incidents, results.events, IncidentSettings.builder().build());
        for (String stream : List.of("cam-a", "cam-b")) {
            long base = stream.equals("cam-a") ? Fixtures.BASE : SKEWED_BASE;
            assertThat(results.incidents).filteredOn(i -> i.streamId.equals(stream) && !i.isOpen()
                            && i.label.equals("loud"))
                    .singleElement().satisfies(i -> assertThat(i.startMs - base).isEqualTo(4000L));
        }
        // the live topic: every event again, sent at once outside transactions; nothing failed, so each once
        List<AnalyticsEvent> live = Fixtures.read(kafka, LIVE, Fixtures.DEAD).events;
        assertThat(live).extracting(AnalyticsJobIT::describe)
                .containsExactlyInAnyOrderElementsOf(results.events.stream().map(AnalyticsJobIT::describe).toList());

        assertThat(results.deadLetters).hasSize(sentBad.size());
        assertThat(results.reasons()).allSatisfy(r -> assertThat(sentBad).anySatisfy(r::contains));
        assertThat(results.deadLetters).allSatisfy(d -> assertThat(DeadLetterFormat.source(d)).matches("argus\\.(video|audio)/\\d@\\d+"));
        assertThat(results.deadLetters).extracting(DeadLetterFormat::code).containsExactlyInAnyOrder(
                DeadLetterReason.UNDECODABLE, DeadLetterReason.UNKNOWN_CODEC, DeadLetterReason.PAYLOAD_TOO_LARGE,
                DeadLetterReason.WRONG_TOPIC, DeadLetterReason.MISSING_HEADER);
        assertThat(results.reasons()).noneMatch(r -> r.contains("ByteArrayInputStream@"));

        // what the replay wrote matches the media-record schema; the broken records were sent as cam-x
        List<String> replayed = new ArrayList<>();
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), Fixtures.VIDEO,
                Fixtures.AUDIO)) {
            reader.readToEnd(() -> true, Duration.ofMinutes(1), r -> {
                if (!"cam-x".equals(new String(r.key(), StandardCharsets.UTF_8))) {
                    WireSchemas.assertValidKeyAndHeaders(WireSchemas.MEDIA_RECORD, r);
                    replayed.add(r.topic());
                }
            });
        }
        assertThat(replayed).hasSize(2 * (a.videoRecords() + a.audioRecords()));
    }

    private static String describe(AnalyticsEvent e) {
        return e.streamId + " " + e.kind + " " + e.windowStartMs + "-" + e.windowEndMs + " " + e.label + " " + e.score;
    }

    /** Sends one record of each kind of breakage; returns a fragment of each expected reason. */
    private static List<String> sendBrokenRecords() {
        MediaRecord garbage = MediaRecord.video("cam-x", MediaCodec.H264, "mpegts", Fixtures.BASE, 1000, 0, 25,
                "not a transport stream".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> unknownCodec = MediaRecordFormat.toProducerRecord(Fixtures.VIDEO, garbage);
        unknownCodec.headers().remove(MediaRecordFormat.CODEC);
        unknownCodec.headers().add(MediaRecordFormat.CODEC, "cinepak".getBytes(StandardCharsets.UTF_8));
        MediaRecord oversized = MediaRecord.video("cam-x", MediaCodec.H264, "mpegts", Fixtures.BASE, 1000, 1, 25,
                new byte[2 * 1024 * 1024]);
        MediaRecord audioOnVideo = MediaRecord.audio("cam-x", MediaCodec.PCM_S16LE, "raw", Fixtures.BASE, 1000, 2,
                16000, 1, new byte[3200]);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "max.request.size", 4 * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(MediaRecordFormat.toProducerRecord(Fixtures.VIDEO, garbage));
            p.send(unknownCodec);
            p.send(MediaRecordFormat.toProducerRecord(Fixtures.VIDEO, oversized));
            p.send(MediaRecordFormat.toProducerRecord(Fixtures.VIDEO, audioOnVideo));
            p.send(new ProducerRecord<>(Fixtures.AUDIO, "cam-x".getBytes(), "no headers".getBytes()));
        }
        return List.of("cannot decode h264/mpegts", "unknown video codec 'cinepak'", "exceeds the limit of 1048576",
                "audio record on the video topic", "missing header argus.format");
    }
}
