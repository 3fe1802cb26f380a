package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.ingest.Ingest;
import io.argus.connectors.ingest.SourceSpec;
import io.argus.connectors.kafka.KafkaClientConfig;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two live cameras, each the ffmpeg command line serving a clip over HTTP, read by {@link Ingest}
 * into the running job: one camera's server is killed and started again; the job goes on making
 * events for it after it comes back, the other camera's events cover the outage, and the gap is on
 * the status topic.
 */
class LiveIngestIT {

    private static final Duration WAIT = Duration.ofMinutes(2);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void aCameraThatDropsComesBackInTheEventsWhileTheOtherNeverStops(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("cam.mkv");
        SyntheticClip.standard(7).write(clip, List.of(
                new SyntheticClip.Phase(2000, Action.WALKING, SyntheticClip.Sound.LOUD),
                new SyntheticClip.Phase(2000, Action.IDLE, SyntheticClip.Sound.QUIET)));
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                Camera dropping = new Camera(clip).start();
                Camera steady = new Camera(clip).start()) {
            Fixtures.createTopics(kafka);
            Configuration conf = Fixtures.jobConfig(kafka);
            conf.set(JobOptions.BOUNDED, false);
            conf.set(VideoOptions.ACTION_MODEL, "motion-energy");
            conf.set(AudioOptions.MODEL, "loudness");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    AnalyticsJob.pipelineConfig());
            new AnalyticsPipeline(conf).build(env);
            JobClient job = env.executeAsync("live-ingest");
            BlockingQueue<IngestStatus> statuses = new LinkedBlockingQueue<>();
            KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
            try (Ingest ingest = Ingest.builder(client)
                            .topics(Fixtures.VIDEO, Fixtures.AUDIO, Fixtures.STATUS)
                            .source(SourceSpec.parse("cam-drop", dropping.url()))
                            .source(SourceSpec.parse("cam-steady", steady.url()))
                            .reconnect(Duration.ofMillis(200), Duration.ofSeconds(1))
                            .listener(statuses::add).build();
                    TopicReader events = new TopicReader(client, Fixtures.EVENTS)) {
                ingest.start();
                List<AnalyticsEvent> seen = new ArrayList<>();
                await(events, seen, e -> e.streamId.equals("cam-drop"));

                long killedAt = System.currentTimeMillis();
                dropping.kill();
                // the statuses of the first connection (attempts refused while ffmpeg was starting to
                // listen, then connected) are still queued: these are those of the second
                await(statuses, s -> s.streamId.equals("cam-drop") && s.status.equals(IngestStatus.RECONNECTING)
                        && s.connects >= 1);
                dropping.start();
                IngestStatus back = await(statuses, s -> s.streamId.equals("cam-drop")
                        && s.status.equals(IngestStatus.CONNECTED) && s.connects >= 2);
                long backAt = System.currentTimeMillis();
                await(events, seen, e -> e.streamId.equals("cam-drop") && e.windowStartMs >= backAt);
                await(events, seen, e -> e.streamId.equals("cam-steady") && e.windowStartMs >= backAt);

                assertThat(back.connects).isEqualTo(2);
                assertThat(back.gapMs).as("capture time lost while the camera was away").isPositive();
                assertThat(seen).as("the steady camera's windows cover the outage")
                        .anyMatch(e -> e.streamId.equals("cam-steady") && e.windowStartMs >= killedAt
                                && e.windowStartMs < backAt);

                // what the ingest wrote, as any consumer reads it, matches the media-record and status schemas
                List<String> written = new ArrayList<>();
                try (TopicReader all = new TopicReader(client, Fixtures.VIDEO, Fixtures.AUDIO, Fixtures.STATUS)) {
                    all.readToEnd(() -> true, WAIT, r -> {
                        if (r.topic().equals(Fixtures.STATUS)) {
                            WireSchemas.assertValid(WireSchemas.STATUS, r.value());
                            if (StatusFormat.isIngestStatus(r.value())) {
                                IngestStatus s = StatusFormat.ingestStatusFromJson(r.value());
                                written.add(s.streamId + " " + s.status);
                            }
                        } else {
                            WireSchemas.assertValidKeyAndHeaders(WireSchemas.MEDIA_RECORD, r);
                            written.add(new String(r.key(), StandardCharsets.UTF_8) + " " + r.topic());
                        }
                    });
                }
                assertThat(written).contains("cam-drop connected", "cam-drop reconnecting", "cam-steady connected",
                        "cam-drop " + Fixtures.VIDEO, "cam-drop " + Fixtures.AUDIO, "cam-steady " + Fixtures.VIDEO);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static void await(TopicReader reader, List<AnalyticsEvent> seen, Predicate<AnalyticsEvent> match) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen.stream().noneMatch(match) && System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(100), r -> seen.add(WireSchemas.validEvent(r.value())));
        }
        assertThat(seen).as("events awaited").anyMatch(match);
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

    /** The ffmpeg command line as an IP camera: the clip in a loop at its own pace, MPEG-TS over HTTP. */
    private static final class Camera implements AutoCloseable {
        private final Path clip;
        private final String url;
        private Process process;

        Camera(Path clip) throws IOException {
            this.clip = clip;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                this.url = "http://127.0.0.1:" + s.getLocalPort() + "/cam";
            }
        }

        String url() {
            return url;
        }

        Camera start() throws IOException {
            process = new ProcessBuilder("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
                    "-stream_loop", "-1", "-i", clip.toString(), "-c:v", "copy", "-c:a", "aac", "-f", "mpegts",
                    "-listen", "1", url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return this;
        }

        /** SIGKILL, as a power cut. */
        void kill() throws InterruptedException {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                process = null;
            }
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }
}
