package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.ingest.Ingest;
import io.argus.connectors.ingest.SourceSpec;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.media.WireFormatException;
import io.argus.connectors.status.IngestStatus;
import io.argus.connectors.status.StatusFormat;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.models.action.Action;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Ingest} (what {@code argus ingest} runs) against a real RTSP server on loopback: Debian's
 * {@code rtsp-server-perl} fed by the ffmpeg command line ({@link RtspCamera}), into the running
 * job. The segments start on keyframes and decode, {@code argus.seq} increases and capture times
 * follow the wall clock; the server is killed and started again, the ingest reports the loss and
 * connects again, records flow on and the job makes events for the camera after it came back.
 */
class RtspIngestIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String STREAM = "cam-rtsp";
    /** How far before its arrival here a record's capture time may lie: a segment, the send and poll, under load. */
    private static final long MAX_AGE_MS = 15_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void readsAnRtspServerAndComesBackAfterItIsKilled(@TempDir Path dir) throws Exception {
        assumeTrue(RtspCamera.installed(), "no RTSP server: " + RtspCamera.SERVER
                + " is missing (Debian package rtsp-server-perl; bin/setup installs it)");
        Path clip = dir.resolve("cam.mkv");
        SyntheticClip.standard(7).write(clip, List.of(
                new SyntheticClip.Phase(2000, Action.WALKING, SyntheticClip.Sound.LOUD),
                new SyntheticClip.Phase(2000, Action.IDLE, SyntheticClip.Sound.QUIET)));
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                RtspCamera camera = new RtspCamera(clip, dir.resolve("rtsp-server.log")).start()) {
            Fixtures.createTopics(kafka);
            Configuration conf = Fixtures.jobConfig(kafka);
            conf.set(JobOptions.BOUNDED, false);
            conf.set(VideoOptions.ACTION_MODEL, "motion-energy");
            conf.set(AudioOptions.MODEL, "loudness");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    AnalyticsJob.pipelineConfig());
            new AnalyticsPipeline(conf).build(env);
            JobClient job = env.executeAsync("rtsp-ingest");
            BlockingQueue<IngestStatus> statuses = new LinkedBlockingQueue<>();
            KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
            try (Ingest ingest = Ingest.builder(client)
                            .topics(Fixtures.VIDEO, Fixtures.AUDIO, Fixtures.STATUS)
                            .source(SourceSpec.parse(STREAM, camera.url()))
                            .readTimeout(Duration.ofSeconds(3)).reconnect(Duration.ofMillis(200), Duration.ofSeconds(1))
                            .listener(statuses::add).build();
                    TopicReader media = new TopicReader(client, Fixtures.VIDEO, Fixtures.AUDIO);
                    TopicReader events = new TopicReader(client, Fixtures.EVENTS)) {
                ingest.start();
                IngestStatus first = await(statuses, s -> s.status.equals(IngestStatus.CONNECTED));
                assertThat(first.videoCodec).isEqualTo("h264");
                assertThat(first.reencoding).isFalse();
                List<Arrived> before = new ArrayList<>();
                read(media, before, r -> r.kind == MediaKind.VIDEO, 3);
                read(media, before, r -> r.kind == MediaKind.AUDIO, 1);

                camera.kill();
                IngestStatus lost = await(statuses, s -> s.status.equals(IngestStatus.RECONNECTING)
                        || s.status.equals(IngestStatus.STALLED));
                assertThat(lost.reason).isNotBlank();
                long restartedAt = System.currentTimeMillis();
                camera.start();
                IngestStatus back = await(statuses, s -> s.status.equals(IngestStatus.CONNECTED) && s.connects >= 2);
                assertThat(back.gapMs).as("capture time lost while the server was away").isPositive();
                long firstAfter = back.videoRecords; // the first connection sent sequences 0 to firstAfter - 1
                List<Arrived> after = new ArrayList<>();
                read(media, after, r -> r.kind == MediaKind.VIDEO && r.sequence >= firstAfter, 3);

                List<MediaRecord> video = new ArrayList<>();
                for (List<Arrived> part : List.of(before, after)) {
                    for (Arrived a : part) {
                        assertThat(a.record.captureTimeMs).as("capture time of %s near the wall clock", a.record)
                                .isBetween(a.atMs - MAX_AGE_MS, a.atMs);
                        if (a.record.kind == MediaKind.VIDEO) {
                            video.add(a.record);
                        }
                    }
                }
                assertThat(video).extracting(r -> r.codec).containsOnly(MediaCodec.H264);
                for (int i = 1; i < video.size(); i++) {
                    assertThat(video.get(i).sequence).as("argus.seq runs on across the reconnection")
                            .isEqualTo(video.get(i - 1).sequence + 1);
                    assertThat(video.get(i).captureTimeMs).isGreaterThan(video.get(i - 1).captureTimeMs);
                }
                for (MediaRecord r : video) {
                    assertThat(framesFromAKeyframe(r)).as("%s starts on a keyframe and decodes", r).isPositive();
                }
                MediaRecord resumed = video.stream().filter(r -> r.sequence == firstAfter).findFirst().orElseThrow();
                assertThat(resumed.captureTimeMs).as("captured after the server came back")
                        .isGreaterThanOrEqualTo(restartedAt);
                MediaRecord full = video.stream().filter(r -> r.sequence == firstAfter + 1).findFirst().orElseThrow();
                assertThat(framesFromAKeyframe(full)).as("a whole segment after the reconnection: 1 s at 25 fps")
                        .isEqualTo(25);

                List<AnalyticsEvent> seen = new ArrayList<>();
                awaitEvent(events, seen, e -> e.streamId.equals(STREAM) && e.windowStartMs >= restartedAt);
            } finally {
                job.cancel().get();
            }

            // what the ingest reported, as any consumer reads it, matches the status schema
            List<IngestStatus> reported = new ArrayList<>();
            try (TopicReader status = new TopicReader(client, Fixtures.STATUS)) {
                status.readToEnd(() -> true, WAIT, r -> {
                    WireSchemas.assertValid(WireSchemas.STATUS, r.value());
                    if (StatusFormat.isIngestStatus(r.value())) {
                        reported.add(StatusFormat.ingestStatusFromJson(r.value()));
                    }
                });
            }
            assertThat(reported).extracting(s -> s.status).contains(IngestStatus.CONNECTED, IngestStatus.RECONNECTING,
                    IngestStatus.STOPPED);
            assertThat(reported).as("connected again after a gap")
                    .anyMatch(s -> s.status.equals(IngestStatus.CONNECTED) && s.connects >= 2 && s.gapMs > 0);
        }
    }

    /** A media record and when this test read it, epoch ms. */
    private record Arrived(MediaRecord record, long atMs) {}

    /** Reads media records of the stream, checked against the schema, until {@code count} of them match. */
    private static void read(TopicReader reader, List<Arrived> into, Predicate<MediaRecord> wanted, int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (into.stream().filter(a -> wanted.test(a.record)).count() < count) {
            assertThat(System.nanoTime()).as("records within " + WAIT).isLessThan(deadline);
            reader.poll(Duration.ofMillis(200), c -> {
                long at = System.currentTimeMillis();
                WireSchemas.assertValidKeyAndHeaders(WireSchemas.MEDIA_RECORD, c);
                MediaRecord r;
                try {
                    r = MediaRecordFormat.parse(c.key(), c.headers(), c.value(), 1 << 24);
                } catch (WireFormatException e) {
                    throw new AssertionError("the ingest wrote a record the wire format refuses: " + e.getMessage(), e);
                }
                assertThat(r.streamId).isEqualTo(STREAM);
                into.add(new Arrived(r, at));
            });
        }
    }

    /** The frames of a video record, decoded on their own; 0 when the first is not a keyframe. */
    private static int framesFromAKeyframe(MediaRecord r) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(r.payload), 0)) {
            g.setFormat(r.container);
            g.start();
            int n = 0;
            for (Frame f = g.grabImage(); f != null; f = g.grabImage()) {
                if (n == 0 && !f.keyFrame) {
                    return 0;
                }
                n++;
            }
            g.stop();
            return n;
        }
    }

    private static void awaitEvent(TopicReader reader, List<AnalyticsEvent> seen, Predicate<AnalyticsEvent> match) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen.stream().noneMatch(match) && System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(100), r -> seen.add(WireSchemas.validEvent(r.value())));
        }
        assertThat(seen).as("events for the camera after it came back").anyMatch(match);
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
        throw new AssertionError("no such ingest status within " + WAIT);
    }
}
