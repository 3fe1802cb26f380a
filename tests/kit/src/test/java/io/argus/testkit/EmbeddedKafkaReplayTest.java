package io.argus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.models.action.Action;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay producer against a real in-process KRaft broker. */
class EmbeddedKafkaReplayTest {

    private static final long BASE = 1_767_225_600_000L;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "video", "audio");
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Map<String, Object> p = Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "t-" + topic,
                "auto.offset.reset", "earliest", "isolation.level", "read_committed");
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (all.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    @Test
    void replayPublishesEveryRecordInTheWireFormatAndLoopsContinueTheTimelineAndTheSequence(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("c.mkv");
        SyntheticClip.standard(3).write(clip, List.of(new SyntheticClip.Phase(2000, Action.WALKING, SyntheticClip.Sound.QUIET)));
        ReplayOptions twice = new ReplayOptions(BASE, false, 2, SegmentOptions.DEFAULT);
        ReplayProducer.Stats stats;
        try (ReplayProducer producer = new ReplayProducer(KafkaClientConfig.of(kafka.bootstrapServers()), "video",
                "audio")) {
            stats = producer.replay(clip, "cam-7", twice, null);
        }
        assertThat(stats.videoRecords()).isEqualTo(4);
        assertThat(stats.audioRecords()).isEqualTo(4);
        assertThat(stats.mediaEndMs()).isEqualTo(BASE + 4000);

        List<ConsumerRecord<byte[], byte[]>> video = readAll("video", 4);
        List<MediaRecord> parsed = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : video) {
            parsed.add(MediaRecordFormat.parse(r.key(), r.headers(), r.value(), 1 << 24));
        }
        assertThat(parsed).extracting(r -> r.kind).containsOnly(MediaKind.VIDEO);
        assertThat(parsed).extracting(r -> r.streamId).containsOnly("cam-7");
        assertThat(parsed).extracting(r -> r.captureTimeMs - BASE)
                .containsExactlyInAnyOrder(0L, 1000L, 2000L, 3000L);
        // one key, one partition, in order: the second pass goes on numbering where the first stopped
        assertThat(parsed).extracting(r -> r.sequence).containsExactly(0L, 1L, 2L, 3L);
        List<MediaRecord> audio = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("audio", 4)) {
            audio.add(MediaRecordFormat.parse(r.key(), r.headers(), r.value(), 1 << 24));
        }
        assertThat(audio).extracting(r -> r.sequence).containsExactly(0L, 1L, 2L, 3L);
    }
}
