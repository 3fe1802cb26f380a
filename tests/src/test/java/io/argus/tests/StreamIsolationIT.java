package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One stream that sends only garbage (records with valid headers and random payloads, on both
 * topics, interleaved in capture time with a good stream) neither drops nor changes the good
 * stream's events: they equal those of a run without the garbage, and every garbage record is in
 * the dead-letter topic with its stream.
 */
class StreamIsolationIT {

    private static final int GARBAGE_VIDEO = 240;
    private static final int GARBAGE_AUDIO = 240;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void aGarbageStreamDoesNotDropOrChangeAnotherStreamsEvents(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (String run : List.of("clean", "mixed")) {
                kafka.createTopics(2, run + ".video", run + ".audio", run + ".events", run + ".dead", Fixtures.INCIDENTS);
            }
            Path clip = Fixtures.clip(dir, SyntheticClip.MOTION_SCRIPT);
            replay(kafka, clip, "clean");
            sendGarbage(kafka, "mixed", "cam-junk", 0); // half the garbage before the good records, half after
            replay(kafka, clip, "mixed");
            sendGarbage(kafka, "mixed", "cam-junk", 1);

            List<String> clean = keys(run(kafka, "clean").events);
            Fixtures.Results mixed = run(kafka, "mixed");

            // the first run read the good stream only; the second read it amid the garbage
            // 11 action windows and 23 audio windows, and an event per person the action model follows
            assertThat(clean).filteredOn(k -> !k.contains("/" + AnalyticsEvent.KIND_PERSON + "/")).hasSize(11 + 23);
            assertThat(clean).filteredOn(k -> k.contains("/" + AnalyticsEvent.KIND_PERSON + "/")).isNotEmpty();
            assertThat(keys(mixed.events)).containsExactlyInAnyOrderElementsOf(clean);
            assertThat(mixed.events).noneMatch(e -> e.streamId.equals("cam-junk"));
            assertThat(mixed.deadLetters).hasSize(GARBAGE_VIDEO + GARBAGE_AUDIO)
                    .allSatisfy(d -> assertThat(new String(d.key())).isEqualTo("cam-junk"));
        }
    }

    /** Runs the job, bounded, on a run's own topics and reads what it wrote. */
    private static Fixtures.Results run(EmbeddedKafka kafka, String run) throws Exception {
        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(JobOptions.GROUP_ID, run);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, run);
        conf.set(KafkaOptions.VIDEO_TOPIC, run + ".video");
        conf.set(KafkaOptions.AUDIO_TOPIC, run + ".audio");
        conf.set(KafkaOptions.EVENTS_TOPIC, run + ".events");
        conf.set(KafkaOptions.DEAD_LETTER_TOPIC, run + ".dead");
        AnalyticsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig()), conf);
        return Fixtures.read(kafka, run + ".events", run + ".dead");
    }

    private static void replay(EmbeddedKafka kafka, Path clip, String run) throws Exception {
        try (ReplayProducer p = new ReplayProducer(KafkaClientConfig.of(kafka.bootstrapServers()), run + ".video",
                run + ".audio")) {
            p.replay(clip, "cam-good", ReplayOptions.asFastAsPossible(Fixtures.BASE), null);
        }
    }

    /** What must not change: stream, kind, window, label. */
    private static List<String> keys(List<AnalyticsEvent> events) {
        return events.stream().map(e -> e.streamId + "/" + e.kind + "/" + (e.windowStartMs - Fixtures.BASE) + "-"
                + (e.windowEndMs - Fixtures.BASE) + "/" + e.label).toList();
    }

    /**
     * Half the records a broken camera might send (right headers, random bytes, capture times over
     * the clip): the even ones ({@code half} 0) or the odd ones (1).
     */
    private static void sendGarbage(EmbeddedKafka kafka, String run, String stream, int half) {
        Random random = new Random(9 + half);
        MediaCodec[] audioCodecs = {MediaCodec.AAC, MediaCodec.OPUS, MediaCodec.MP3, MediaCodec.FLAC};
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = half; i < GARBAGE_VIDEO; i += 2) {
                byte[] payload = new byte[1 + random.nextInt(64 * 1024)];
                random.nextBytes(payload);
                p.send(MediaRecordFormat.toProducerRecord(run + ".video", MediaRecord.video(stream, MediaCodec.H264,
                        "mpegts", Fixtures.BASE + i * 50L, 1000, i, 25, payload)));
            }
            for (int i = half; i < GARBAGE_AUDIO; i += 2) {
                byte[] payload = new byte[1 + random.nextInt(16 * 1024)];
                random.nextBytes(payload);
                MediaCodec codec = audioCodecs[i % audioCodecs.length];
                p.send(MediaRecordFormat.toProducerRecord(run + ".audio", MediaRecord.audio(stream, codec,
                        codec.wireName().equals("aac") ? "adts" : codec.wireName().equals("mp3") ? "mp3" : "ogg",
                        Fixtures.BASE + i * 50L, 50, i, 48_000, 2, payload)));
            }
        }
    }
}
