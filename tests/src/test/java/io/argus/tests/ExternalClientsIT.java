package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients of docs/examples, as a user outside Java runs them: the clip cut into segments by the
 * ffmpeg command line ({@code ffmpeg-segments.sh}), sent by the Python producer
 * ({@code argus_produce_segments.py}), classified by the job on a MiniCluster, and its events read
 * by the Python consumer ({@code argus_events.py}), which must print what a Java read_committed
 * consumer reads. Skipped, saying what is missing, without ffmpeg or a python3 with confluent-kafka
 * (bin/setup installs Debian's python3-confluent-kafka).
 */
class ExternalClientsIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String RUN = "external";
    private static final String STREAM = "ffmpeg-cam";
    private static final Path EXAMPLES = Path.of(System.getProperty("argus.examples.dir", "../docs/examples"));
    private static final long TIMEOUT_S = 180;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, RUN + ".video", RUN + ".audio", RUN + ".events", RUN + ".incidents", RUN + ".dead",
                RUN + ".status");
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void segmentsCutByFfmpegAndSentFromPythonBecomeEventsThatPythonReads(@TempDir Path dir) throws Exception {
        String python = pythonWith("confluent_kafka");
        assumeTrue(python != null, "no python3 with the confluent_kafka module (Debian: python3-confluent-kafka, "
                + "which bin/setup installs): the Python examples cannot run");
        String encoders = output("ffmpeg", "-hide_banner", "-encoders");
        assumeTrue(encoders != null && encoders.contains(" libx264 "),
                "no ffmpeg with libx264 on PATH (Debian: ffmpeg): the producer recipe cannot run");

        Path clip = Fixtures.stickFigureClip(dir, SyntheticClip.MOTION_SCRIPT);
        Path segments = dir.resolve("segments");
        run(dir, "ffmpeg-segments", "bash", EXAMPLES.resolve("ffmpeg-segments.sh").toString(), clip.toString(),
                segments.toString(), "25");
        List<String> list = Files.readAllLines(segments.resolve("segments.csv"));
        assertThat(list).as("segments of the 12 s clip").hasSize(12).first().asString().startsWith("seg-00000.ts,0.0");
        String produced = run(dir, "producer", python, EXAMPLES.resolve("argus_produce_segments.py").toString(),
                "--segments", segments.resolve("segments.csv").toString(), "--stream", STREAM,
                "--capture-start", Long.toString(Fixtures.BASE), "--topic", RUN + ".video",
                "--bootstrap-servers", kafka.bootstrapServers());
        assertThat(produced).contains("sent 12 segments of stream " + STREAM);

        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(JobOptions.GROUP_ID, RUN);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, RUN);
        conf.set(KafkaOptions.VIDEO_TOPIC, RUN + ".video");
        conf.set(KafkaOptions.AUDIO_TOPIC, RUN + ".audio");
        conf.set(KafkaOptions.EVENTS_TOPIC, RUN + ".events");
        conf.set(KafkaOptions.INCIDENTS_TOPIC, RUN + ".incidents");
        conf.set(KafkaOptions.DEAD_LETTER_TOPIC, RUN + ".dead");
        conf.set(KafkaOptions.STATUS_TOPIC, RUN + ".status");
        conf.set(VideoOptions.ACTION_MODEL, "motion-energy");
        conf.set(AudioOptions.MODEL, "loudness");
        AnalyticsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig()), conf);
        Fixtures.Results results = Fixtures.read(kafka, RUN + ".events", RUN + ".dead");

        assertThat(results.reasons()).as("dead letters").isEmpty();
        List<AnalyticsEvent> action = results.of(STREAM, AnalyticsEvent.KIND_ACTION);
        // 16-frame windows at 8 fps every second over 12 s: starts at 0..10 s, as for the replay's records
        assertThat(action).extracting(e -> e.windowStartMs - Fixtures.BASE)
                .containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L, 8000L, 9000L, 10000L);
        List<AnalyticsEvent> inside = action.stream()
                .filter(e -> Fixtures.phaseOf(SyntheticClip.MOTION_SCRIPT, e, Fixtures.BASE) != null).toList();
        assertThat(inside).hasSize(9).allSatisfy(e -> assertThat(e.label).as("window at %d ms",
                e.windowStartMs - Fixtures.BASE).isEqualTo(
                        Fixtures.phaseOf(SyntheticClip.MOTION_SCRIPT, e, Fixtures.BASE).motion() ? "motion" : "still"));

        String printed = run(dir, "consumer", python, EXAMPLES.resolve("argus_events.py").toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", RUN + ".events", "--group", RUN + "-py",
                "--from-beginning", "--max-events", Integer.toString(results.events.size()), "--idle-timeout", "60");
        List<String> expected = results.events.stream().map(ExternalClientsIT::asTheConsumerPrintsIt).toList();
        assertThat(printed.lines().toList()).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The line argus_events.py prints for an event. */
    private static String asTheConsumerPrintsIt(AnalyticsEvent e) {
        return String.format(Locale.ROOT, "%s %s %d-%d %s %.3f %s@%s", e.streamId, e.kind, e.windowStartMs,
                e.windowEndMs, e.label, e.score, e.modelName, e.modelVersion);
    }

    /** The first of python3 on PATH and Debian's /usr/bin/python3 that imports the module, or null. */
    private static String pythonWith(String module) throws Exception {
        for (String candidate : new String[] {"python3", "/usr/bin/python3"}) {
            if (output(candidate, "-c", "import " + module) != null) {
                return candidate;
            }
        }
        return null;
    }

    /** What a command printed, or null when it is not installed or failed. */
    private static String output(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null; // not installed
        }
    }

    /** Runs a command to its end (a generous deadline as a guard); its standard output, or a failure with both. */
    private static String run(Path dir, String name, String... command) throws Exception {
        File out = dir.resolve(name + ".out").toFile();
        File err = dir.resolve(name + ".err").toFile();
        Process p = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not end within " + TIMEOUT_S + " s: " + List.of(command));
        }
        String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s exit code; stdout:%n%s%nstderr:%n%s", name, stdout,
                Files.readString(err.toPath(), StandardCharsets.UTF_8)).isZero();
        return stdout;
    }
}
