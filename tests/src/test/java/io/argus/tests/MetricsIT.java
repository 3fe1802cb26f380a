package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.cli.ArgusCli;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.jobs.metrics.PrometheusText;
import io.argus.jobs.metrics.StreamReport;
import io.argus.operators.metrics.StreamHealth;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus endpoint of a running job ({@code --metrics-port}) as an operator scrapes it: the
 * models serving before any media, a camera's frames, audio seconds, refused records, lag and
 * people once it sends, values that move when it sends more, and the camera gone once released;
 * {@code argus status} says the same from the same endpoint.
 */
class MetricsIT {

    private static final String RUN = "metrics";
    private static final Pattern METRIC = Pattern.compile("flink_[A-Za-z0-9_]+");
    private static final String CAMERA = "cam-metrics";

    private static EmbeddedKafka kafka;
    private static Path clip;
    private static long clipMs;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, RUN + ".video", RUN + ".audio", RUN + ".events", RUN + ".dead", RUN + ".status",
                Fixtures.INCIDENTS);
        clip = Fixtures.clip(dir, SyntheticClip.MOTION_SCRIPT);
        clipMs = SyntheticClip.MOTION_SCRIPT.stream().mapToLong(SyntheticClip.Phase::durationMs).sum();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aScrapeOfARunningJobShowsEachCameraAndTheModelsAndTheValuesMove() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/metrics";
        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(JobOptions.BOUNDED, false);
        conf.set(JobOptions.GROUP_ID, RUN);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, RUN);
        conf.set(KafkaOptions.VIDEO_TOPIC, RUN + ".video");
        conf.set(KafkaOptions.AUDIO_TOPIC, RUN + ".audio");
        conf.set(KafkaOptions.EVENTS_TOPIC, RUN + ".events");
        conf.set(KafkaOptions.DEAD_LETTER_TOPIC, RUN + ".dead");
        conf.set(KafkaOptions.STATUS_TOPIC, RUN + ".status");
        conf.set(StreamOptions.IDLE_FLUSH, Duration.ofMillis(500));
        conf.set(StreamOptions.IDLE_RELEASE, Duration.ofSeconds(3));
        conf.set(JobOptions.METRICS_PORT, port);
        StreamExecutionEnvironment env = AnalyticsJob.localEnvironment(2, conf);
        new AnalyticsPipeline(conf).build(env);
        JobClient job = env.executeAsync("metrics");
        try (TopicReader events = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), RUN + ".events");
                TopicReader status = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), RUN + ".status")) {
            // the models serve from the start, before any media
            StreamReport idle = awaitReport(url, r -> r.serving().size() == 2);
            assertThat(idle.serving()).containsExactlyInAnyOrder("classify-video pose-action-lstm 1.0.0",
                    "classify-audio audio-cnn 1.0.0");
            assertThat(idle.streams()).isEmpty();

            // a camera sends 12 s of footage two minutes old, and one segment that does not decode
            long base = System.currentTimeMillis() - 120_000;
            Fixtures.replay(kafka, clip, RUN, CAMERA, base);
            sendUndecodable(base + clipMs);
            int first = awaitEvents(events, 1);
            StreamReport once = awaitReport(url, r -> stream(r) != null && stream(r).lagMs >= 0
                    && stream(r).refused == 1 && stream(r).audioSeconds >= clipMs / 1000.0 - 1
                    && stream(r).frames >= 30);
            StreamReport.Stream cam = stream(once);
            System.out.printf("metrics after one pass: %d events read; frames %.0f, audio %.1f s, lag %.1f s, "
                    + "people %d, states %s%n", first, cam.frames, cam.audioSeconds, cam.lagMs / 1000, cam.people,
                    cam.states);
            assertThat(cam.states).containsOnlyKeys("video", "audio"); // audio may be released already
            assertThat(cam.frames).as("frames the pose path kept (3 a second)").isBetween(30.0, 40.0);
            assertThat(cam.audioSeconds).isCloseTo(clipMs / 1000.0, within(1.0));
            assertThat(cam.lagMs).as("capture to event of footage two minutes old").isBetween(60_000.0, 600_000.0);
            assertThat(cam.people).as("the person in the clip").isEqualTo(1);
            assertTheDashboardsMetricsAreScraped(url);

            // more footage: the values move (a path released in between, after --idle-release, starts its
            // counts again, as a Prometheus counter that was reset)
            long second = base + clipMs + 1000;
            Fixtures.replay(kafka, clip, RUN, CAMERA, second);
            awaitEvents(events, 1);
            StreamReport twice = awaitReport(url, r -> stream(r).lastCaptureMs >= second + clipMs - 1000
                    && stream(r).audioSeconds >= clipMs / 1000.0 - 1 && stream(r).frames >= 30);
            System.out.printf("metrics after two passes: frames %.0f, audio %.1f s, newest capture %d ms after the"
                    + " first pass's%n", stream(twice).frames, stream(twice).audioSeconds,
                    stream(twice).lastCaptureMs - cam.lastCaptureMs);
            assertThat(stream(twice).lastCaptureMs).isGreaterThan(cam.lastCaptureMs);

            // the camera goes quiet: released (the status topic says so), and the metrics say gone
            awaitRecords(status, 2);
            StreamReport gone = awaitReport(url, r -> stream(r).state() == StreamHealth.GONE);
            assertThat(stream(gone).states).containsEntry("video", StreamHealth.GONE)
                    .containsEntry("audio", StreamHealth.GONE);

            // argus status reads the same endpoint
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = ArgusCli.run(new String[] {"status", "--metrics", url}, System.err);
            } finally {
                System.setOut(stdout);
            }
            String printed = out.toString(StandardCharsets.UTF_8);
            System.out.print(printed);
            assertThat(code).isZero();
            assertThat(printed).contains("1 streams: 0 live, 0 stalled, 1 gone")
                    .containsPattern(CAMERA + " +gone +audio gone, video gone")
                    .contains("classify-video pose-action-lstm 1.0.0");
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /** Every metric the Grafana dashboard (docker/grafana/dashboards/argus.json) queries is in a real scrape. */
    private static void assertTheDashboardsMetricsAreScraped(String url) throws Exception {
        Path file = Path.of(System.getProperty("argus.dashboard", "../docker/grafana/dashboards/argus.json"));
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(file.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        HttpRequest scrape = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        String body = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).body();
        Set<String> scraped = PrometheusText.parse(body).stream().map(PrometheusText.Sample::name)
                .collect(Collectors.toSet());
        System.out.printf("the dashboard queries %d metrics, all in the scrape of %d series names%n", queried.size(),
                scraped.size());
        assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThan(10);
        assertThat(scraped).as("series names a scrape of the running job gives").containsAll(queried);
    }

    private static StreamReport.Stream stream(StreamReport r) {
        return r.streams().get(CAMERA);
    }

    /** Scrapes until the report satisfies {@code done} (two minutes at most); the last report. */
    private static StreamReport awaitReport(String url, Predicate<StreamReport> done)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        StreamReport last = null;
        IOException failure = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest scrape = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
                String body = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                last = StreamReport.of(PrometheusText.parse(body));
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                // the MiniCluster's reporter is not listening yet, or a scrape failed: as Prometheus, try again
                failure = e;
            }
            // a scrape is what an operator does every few seconds; a short pause between them
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError("no scrape of " + url + " satisfied the condition within two minutes; last: "
                + (last == null ? "none" : String.join("\n", last.lines())) + "; last failed scrape: " + failure);
    }

    private static int awaitEvents(TopicReader reader, int atLeast) {
        return awaitRecords(reader, atLeast);
    }

    private static int awaitRecords(TopicReader reader, int atLeast) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        int seen = 0;
        while (seen < atLeast && System.nanoTime() < deadline) {
            seen += reader.poll(Duration.ofMillis(200), r -> { });
        }
        assertThat(seen).as("records read within two minutes").isGreaterThanOrEqualTo(atLeast);
        return seen;
    }

    private static void sendUndecodable(long captureMs) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            MediaRecord garbage = MediaRecord.video(CAMERA, MediaCodec.H264, "mpegts", captureMs, 1000, 99, 25,
                    "not a video segment".getBytes(StandardCharsets.UTF_8));
            producer.send(MediaRecordFormat.toProducerRecord(RUN + ".video", garbage)).get();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
