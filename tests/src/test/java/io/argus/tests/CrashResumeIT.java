package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.jobs.JobState;
import io.argus.jobs.config.StateOptions;
import io.argus.jobs.demo.Demo;
import io.argus.jobs.demo.TopicReader;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints that outlive the process: {@code argus job}, in a JVM of its own, is killed hard
 * (SIGKILL, no shutdown hooks) after its first committed events and run again with
 * {@code --resume-from latest}; a read_committed consumer then sees every window of the replayed
 * streams exactly once. The same for {@code argus demo}, whose broker is killed with it and comes
 * back on its kept data.
 */
class CrashResumeIT {

    private static final int STREAMS = 4;
    private static final Duration START_AND_RUN = Duration.ofMinutes(4);
    /** An event line of the demo's output: "  action demo-cam-1     0.00-  2.01 s  idle ...". */
    private static final Pattern DEMO_EVENT = Pattern.compile("^  (action|audio) ");

    @Test
    void aJobKilledMidStreamResumesFromItsLatestCheckpointAndSeesEveryWindowOnce(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Fixtures.createTopics(kafka);
            Path clip = Fixtures.clip(dir, SyntheticClip.DEMO_SCRIPT);
            List<String> streams = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                streams.add("cam-" + s);
                Fixtures.replay(kafka, clip, "cam-" + s, Fixtures.BASE);
            }
            Path checkpoints = dir.resolve("checkpoints");
            List<String> job = List.of("job", "--bootstrap-servers", kafka.bootstrapServers(), "--bounded",
                    "--parallelism", "2", "--checkpoint-interval", "300ms", "--group-id", "crash",
                    "--transactional-id-prefix", "crash", "--checkpoint-dir", checkpoints.toString());

            try (FlinkJvm first = argus(dir, "job-1", job)) {
                awaitFirstEvent(kafka, first);
                first.kill();
                assertThat(first.awaitExit(Duration.ofMinutes(1))).as("the killed JVM is gone").isTrue();
            }
            List<String> beforeKill = windows(kafka);
            assertThat(JobState.latestCheckpoint(checkpoints)).as("a complete checkpoint was kept").isPresent();

            List<String> resume = new ArrayList<>(job);
            resume.addAll(List.of("--resume-from", "latest"));
            try (FlinkJvm second = argus(dir, "job-2", resume)) {
                assertThat(second.awaitExit(START_AND_RUN)).as("the resumed bounded job ends").isTrue();
                assertThat(second.exitCode()).as("exit code; its log:\n" + second.tail(40)).isZero();
                assertThat(second.lines()).anyMatch(l -> l.startsWith("argus job: resuming from " + checkpoints));
            }
            List<String> all = windows(kafka);
            System.out.printf("argus job killed mid-stream: %d of %d windows committed before the kill, %d in all "
                    + "after the resumption%n", beforeKill.size(), expected(streams).size(), all.size());
            assertThat(beforeKill).as("windows before the kill: killed mid-stream").isNotEmpty()
                    .hasSizeLessThan(expected(streams).size());
            assertExactlyOnce(all, streams);
        }
    }

    @Test
    void aDemoKilledMidStreamResumesAndPrintsEveryWindowOnce(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        int printedBeforeKill;
        try (FlinkJvm first = argus(dir, "demo-1", List.of("demo", "--data-dir", data.toString()))) {
            awaitDemoEvent(first);
            first.kill();
            assertThat(first.awaitExit(Duration.ofMinutes(1))).as("the killed JVM is gone").isTrue();
            printedBeforeKill = first.linesMatching(DEMO_EVENT).size();
        }

        Configuration resume = new Configuration();
        resume.set(StateOptions.DATA_DIR, data.toString());
        resume.set(StateOptions.RESUME_FROM, JobState.LATEST);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<AnalyticsEvent> events = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(resume);
        String out = buffer.toString(StandardCharsets.UTF_8);

        System.out.printf("argus demo killed mid-stream: %d events printed before the kill, %d after the resumption%n",
                printedBeforeKill, events.size());
        assertThat(out).contains("argus demo: resuming the job from " + data.resolve("demo").resolve("checkpoints"))
                .doesNotContain("argus demo: replayed");
        assertThat(printedBeforeKill).as("events printed before the kill: killed mid-stream").isPositive()
                .isLessThan(expected(List.of("demo-cam-1")).size());
        assertExactlyOnce(events.stream().map(CrashResumeIT::window).toList(), List.of("demo-cam-1"));
    }

    /**
     * Every window of the known clip on each stream, once: action windows start every second
     * (0-18 s, 2 s long), audio windows every half second (0-19 s, 1 s long).
     */
    private static Set<String> expected(List<String> streams) {
        Set<String> windows = new HashSet<>();
        for (String s : streams) {
            for (int k = 0; k <= 18; k++) {
                windows.add(s + "/action/" + k * 1000);
            }
            for (int k = 0; k <= 38; k++) {
                windows.add(s + "/audio/" + k * 500);
            }
        }
        return windows;
    }

    private static void assertExactlyOnce(List<String> windows, List<String> streams) {
        assertThat(new HashSet<>(windows)).as("no window (or person in a window) twice").hasSize(windows.size());
        assertThat(windows.stream().filter(w -> !w.contains("/person/")).collect(java.util.stream.Collectors.toSet()))
                .as("every window").isEqualTo(expected(streams));
    }

    /** A window as (stream, kind, start in ms from the clip's start). */
    private static String window(AnalyticsEvent e) {
        return e.streamId + "/" + e.kind + "/" + (e.windowStartMs - Fixtures.BASE)
                + (e.trackId == null ? "" : "/" + e.trackId);
    }

    /** The committed events' windows, as a read_committed consumer reads them. */
    private static List<String> windows(EmbeddedKafka kafka) {
        List<String> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), Fixtures.EVENTS)) {
            reader.readToEnd(() -> true, Duration.ofMinutes(2), r -> out.add(window(WireSchemas.validEvent(r.value()))));
        }
        return out;
    }

    /** {@code argus <args>} in a JVM of its own, as bin/argus starts it, logging to {@code <name>.log}. */
    private static FlinkJvm argus(Path dir, String name, List<String> args) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx1536m", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"));
        jvm.addAll(Arrays.asList(System.getProperty("argus.jvm.opens", "").trim().split("\\s+")));
        return FlinkJvm.start(name, dir, System.getProperty("java.class.path"), jvm, "io.argus.jobs.cli.ArgusCli",
                args, Map.of());
    }

    /** Waits until the job has committed its first event (a checkpoint completed mid-replay). */
    private static void awaitFirstEvent(EmbeddedKafka kafka, FlinkJvm jvm) throws Exception {
        long deadline = System.nanoTime() + START_AND_RUN.toNanos();
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), Fixtures.EVENTS)) {
            while (reader.poll(Duration.ofMillis(100), r -> {}) == 0) {
                assertThat(jvm.isAlive()).as("the job's JVM is running; its log:\n" + jvm.tail(40)).isTrue();
                assertThat(System.nanoTime()).as("first event within " + START_AND_RUN).isLessThan(deadline);
            }
        }
    }

    /** Waits until the demo has printed its first event. */
    private static void awaitDemoEvent(FlinkJvm demo) throws Exception {
        long deadline = System.nanoTime() + START_AND_RUN.toNanos();
        while (demo.linesMatching(DEMO_EVENT).isEmpty()) {
            assertThat(demo.isAlive()).as("the demo's JVM is running; its log:\n" + demo.tail(40)).isTrue();
            assertThat(System.nanoTime()).as("first event within " + START_AND_RUN).isLessThan(deadline);
            demo.awaitExit(Duration.ofMillis(100)); // the poll interval, cut short should the demo end
        }
    }
}
