package io.argus.connectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.status.IngestStatus;
import io.argus.connectors.status.StatusFormat;
import io.argus.models.action.Action;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Ingest} against real sources (the ffmpeg command line serving a clip over HTTP, killed
 * and started again; a server that accepts and never answers) and a real in-process broker.
 */
class IngestTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static EmbeddedKafka kafka;
    private static int run;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static Path clip(Path dir) throws Exception {
        Path clip = dir.resolve("cam.mkv");
        SyntheticClip.standard(5).write(clip, List.of(
                new SyntheticClip.Phase(2000, Action.WALKING, SyntheticClip.Sound.LOUD),
                new SyntheticClip.Phase(2000, Action.IDLE, SyntheticClip.Sound.QUIET)));
        return clip;
    }

    @Test
    void copiesAnHttpCameraWithoutReencodingAndComesBackAfterItsServerIsKilled(@TempDir Path dir) throws Exception {
        String[] topics = topics();
        BlockingQueue<IngestStatus> statuses = new LinkedBlockingQueue<>();
        try (FFmpegServer server = FFmpegServer.http(clip(dir)).start();
                Ingest ingest = Ingest.builder(kafka.clientConfig()).topics(topics[0], topics[1], topics[2])
                        .source(SourceSpec.parse("cam-a", server.url()))
                        .readTimeout(Duration.ofSeconds(3)).reconnect(Duration.ofMillis(200), Duration.ofSeconds(1))
                        .listener(statuses::add).build();
                Reader video = new Reader(topics[0])) {
            ingest.start();
            IngestStatus first = await(statuses, IngestStatus.CONNECTED);
            assertThat(first.gapMs).isZero();
            assertThat(first.reencoding).isFalse();
            assertThat(first.videoCodec).isEqualTo("h264");
            List<MediaRecord> before = video.until(r -> true, 3);

            server.kill();
            IngestStatus lost = await(statuses, IngestStatus.RECONNECTING);
            assertThat(lost.reason).isNotBlank();
            long restartedAt = System.currentTimeMillis();
            server.start();
            IngestStatus back = await(statuses, IngestStatus.CONNECTED);
            assertThat(back.connects).isEqualTo(2);
            assertThat(back.gapMs).isPositive();
            long firstAfter = back.videoRecords; // the first connection sent sequences 0 to firstAfter - 1
            List<MediaRecord> after = video.until(r -> r.sequence >= firstAfter, 2);

            List<MediaRecord> all = new ArrayList<>(before);
            all.addAll(after);
            assertThat(all).extracting(r -> r.codec).containsOnly(MediaCodec.H264);
            assertThat(all).extracting(r -> r.container).containsOnly("mpegts");
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).sequence).as("argus.seq runs on across the reconnection")
                        .isEqualTo(all.get(i - 1).sequence + 1);
                assertThat(all.get(i).captureTimeMs).isGreaterThan(all.get(i - 1).captureTimeMs);
            }
            MediaRecord resumed = all.stream().filter(r -> r.sequence == firstAfter).findFirst().orElseThrow();
            assertThat(resumed.captureTimeMs).as("captured after the server came back").isGreaterThanOrEqualTo(restartedAt);
            assertThat(framesIn(resumed)).as("a segment after the reconnection decodes on its own").isEqualTo(25);
            assertThat(framesIn(before.get(1))).isEqualTo(25);
        }
        List<IngestStatus> onTopic = statusRecords(topics[2], "cam-a");
        assertThat(onTopic).extracting(s -> s.status).contains(IngestStatus.CONNECTED, IngestStatus.RECONNECTING,
                IngestStatus.STOPPED);
        assertThat(onTopic).filteredOn(s -> s.status.equals(IngestStatus.CONNECTED) && s.gapMs > 0).isNotEmpty();
    }

    @Test
    void aSourceThatAnswersNothingStallsWithinTheReadTimeoutWhileTheOtherKeepsSending(@TempDir Path dir)
            throws Exception {
        String[] topics = topics();
        BlockingQueue<IngestStatus> statuses = new LinkedBlockingQueue<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                FFmpegServer server = FFmpegServer.http(clip(dir)).start();
                Ingest ingest = Ingest.builder(kafka.clientConfig()).topics(topics[0], topics[1], topics[2])
                        .source(SourceSpec.parse("mute", "http://127.0.0.1:" + silent.getLocalPort() + "/cam"))
                        .source(SourceSpec.parse("live", server.url()))
                        .readTimeout(Duration.ofSeconds(2)).reconnect(Duration.ofMillis(200), Duration.ofSeconds(1))
                        .listener(statuses::add).build();
                Reader audio = new Reader(topics[1])) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // holds the connection, never answers
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            ingest.start();
            IngestStatus stalled = await(statuses, s -> s.streamId.equals("mute") && s.status.equals(IngestStatus.STALLED));
            assertThat(stalled.reason).contains("no data from").contains("2000 ms");
            IngestStatus again = await(statuses, s -> s.streamId.equals("mute") && s.status.equals(IngestStatus.STALLED));
            assertThat(again.stalls).isEqualTo(2);
            List<MediaRecord> live = audio.until(r -> r.streamId.equals("live"), 3);
            assertThat(live).extracting(r -> r.codec).containsOnly(MediaCodec.PCM_S16LE);
            assertThat(live).extracting(r -> r.sampleRate).containsOnly(16000);
            assertThat(live).extracting(r -> r.durationMs).contains(1000L);
            silent.close();
            acceptor.join();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void reencodesAVideoCodecTheWireFormatDoesNotCarryAndSaysSo(@TempDir Path dir) throws Exception {
        String[] topics = topics();
        BlockingQueue<IngestStatus> statuses = new LinkedBlockingQueue<>();
        try (FFmpegServer server = FFmpegServer.httpNeedingReencode(clip(dir)).start();
                Ingest ingest = Ingest.builder(kafka.clientConfig()).topics(topics[0], topics[1], topics[2])
                        .source(SourceSpec.parse("lossless", server.url()))
                        .reconnect(Duration.ofMillis(200), Duration.ofSeconds(1))
                        .listener(statuses::add).build();
                Reader video = new Reader(topics[0])) {
            ingest.start();
            IngestStatus connected = await(statuses, IngestStatus.CONNECTED);
            assertThat(connected.reencoding).isTrue();
            assertThat(connected.videoCodec).isEqualTo("h264");
            List<MediaRecord> records = video.until(r -> true, 2);
            assertThat(records).extracting(r -> r.codec).containsOnly(MediaCodec.H264);
            assertThat(framesIn(records.get(1))).isBetween(20, 30);
        }
    }

    private static String[] topics() {
        run++;
        String[] t = {"video-" + run, "audio-" + run, "status-" + run};
        kafka.createTopics(1, t);
        return t;
    }

    private static IngestStatus await(BlockingQueue<IngestStatus> statuses, String status) throws InterruptedException {
        return await(statuses, s -> s.status.equals(status));
    }

    private static IngestStatus await(BlockingQueue<IngestStatus> statuses, Predicate<IngestStatus> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            IngestStatus s = statuses.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (s != null && wanted.test(s)) {
                return s;
            }
        }
        throw new AssertionError("no such status within " + WAIT);
    }

    private static int framesIn(MediaRecord r) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(r.payload), 0)) {
            g.setFormat(r.container);
            g.start();
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            g.stop();
            return n;
        }
    }

    private static List<IngestStatus> statusRecords(String topic, String stream) {
        List<IngestStatus> out = new ArrayList<>();
        try (Reader r = new Reader(topic)) {
            for (ConsumerRecord<byte[], byte[]> c : r.drain()) {
                IngestStatus s = StatusFormat.ingestStatusFromJson(c.value());
                if (s.streamId.equals(stream)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Reads a topic from the start. */
    private static final class Reader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;

        Reader(String topic) {
            Map<String, Object> p = Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "t-" + topic,
                    "auto.offset.reset", "earliest");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
        }

        /** Every record read until {@code count} of them match, or fails after the wait. */
        List<MediaRecord> until(Predicate<MediaRecord> wanted, int count) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<MediaRecord> out = new ArrayList<>();
            int matched = 0;
            while (matched < count) {
                assertThat(System.nanoTime()).as("records within " + WAIT).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> c : consumer.poll(Duration.ofMillis(200))) {
                    MediaRecord r = MediaRecordFormat.parse(c.key(), c.headers(), c.value(), 1 << 24);
                    assertThat(r.kind).isIn(MediaKind.VIDEO, MediaKind.AUDIO);
                    out.add(r);
                    if (wanted.test(r)) {
                        matched++;
                    }
                }
            }
            return out;
        }

        /** What the topic holds now, read to its end. */
        List<ConsumerRecord<byte[], byte[]>> drain() {
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(out::add);
                if (batch.isEmpty() && !out.isEmpty() && consumer.assignment().stream()
                        .allMatch(tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp))) {
                    break;
                }
            }
            return out;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
