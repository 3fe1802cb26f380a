package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across failures and a stop: the events a read_committed consumer sees equal those
 * of an undisturbed run (nothing lost, nothing doubled) when, after the job's first committed
 * events, the task managers running it are killed and it restarts from its last checkpoint on new
 * ones; when the Kafka broker goes down for a few seconds and comes back; and when the job is
 * stopped with a savepoint and a new job resumes from it.
 */
class RecoveryIT {

    private static final int STREAMS = 6;

    private static MiniCluster cluster;
    private static EmbeddedKafka kafka;
    /** The undisturbed run's events. */
    private static List<String> expected;

    @BeforeAll
    static void replayAndRunUndisturbed(@TempDir Path dir) throws Exception {
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setNumTaskManagers(2).setNumSlotsPerTaskManager(2).build());
        cluster.start();
        TestStreamEnvironment.setAsContext(cluster, 2);
        kafka = EmbeddedKafka.start();
        Fixtures.createTopics(kafka);
        kafka.createTopics(2, "clean.events", "clean.dead", "crash.events", "crash.dead", "stop.events", "stop.dead",
                "resume.events", "resume.dead", "broker.events", "broker.dead");
        Path clip = Fixtures.clip(dir, SyntheticClip.DEMO_SCRIPT);
        for (int s = 0; s < STREAMS; s++) {
            Fixtures.replay(kafka, clip, "cam-" + s, Fixtures.BASE);
        }
        submit("clean", "clean", null, true).getJobExecutionResult().get(5, TimeUnit.MINUTES);
        expected = events("clean.events");
        // action windows every second, audio every 0.5 s, and an event per person followed in a window
        assertThat(expected).filteredOn(e -> !e.contains("/person/")).hasSize(STREAMS * (19 + 39));
        assertThat(expected).filteredOn(e -> e.contains("/person/")).hasSizeGreaterThanOrEqualTo(STREAMS * 15);
        assertThat(new HashSet<>(expected)).as("the undisturbed run has no duplicates").hasSize(expected.size());
    }

    @AfterAll
    static void stop() throws Exception {
        TestStreamEnvironment.unsetAsContext();
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void killingTheTaskManagersMidReplayLosesAndDuplicatesNothing() throws Exception {
        JobClient crash = submit("crash", "crash", null, true);
        awaitFirstEvents("crash.events");
        assertThat(crash.getJobStatus().get()).as("the job when the task managers die").isEqualTo(JobStatus.RUNNING);
        cluster.terminateTaskManager(0).get();
        cluster.terminateTaskManager(1).get();
        cluster.startTaskManager();
        cluster.startTaskManager();
        crash.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        assertThat(cluster.getArchivedExecutionGraph(crash.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted").isPositive();

        assertSameEvents(events("crash.events"), "events after the crash");
    }

    @Test
    void restartingTheBrokerMidReplayLosesAndDuplicatesNothing() throws Exception {
        JobClient job = submit("broker", "broker", null, true);
        awaitFirstEvents("broker.events");
        assertThat(job.getJobStatus().get()).as("the job when the broker stops").isEqualTo(JobStatus.RUNNING);
        kafka.stop();
        Thread.sleep(3000); // an outage of a few seconds: clients lose their connections and retry
        kafka.restart();
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

        assertSameEvents(events("broker.events"), "events after the broker restart");
    }

    @Test
    void stoppingWithASavepointMidReplayAndResumingLosesAndDuplicatesNothing(@TempDir Path savepoints)
            throws Exception {
        // a long-running (unbounded) job, stopped with a savepoint as for an upgrade, then resumed from it
        JobClient first = submit("stop", "stop", null, false);
        awaitFirstEvents("stop.events");
        String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        List<String> beforeStop = events("stop.events");
        assertThat(beforeStop).as("events before the stop: the job was stopped mid-replay")
                .isNotEmpty().hasSizeLessThan(expected.size());

        // the same job (group and transactional ids) resumed from the savepoint, writing elsewhere; once
        // it has caught up, a second stop commits everything it wrote
        JobClient resumed = submit("stop", "resume", savepoint, false);
        awaitEvents("resume.events", expected.size() - beforeStop.size());
        resumed.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        List<String> all = new ArrayList<>(beforeStop);
        all.addAll(events("resume.events"));

        System.out.printf("stop with savepoint: %d of %d events before the stop, %d after the resumption%n",
                beforeStop.size(), expected.size(), all.size() - beforeStop.size());
        assertSameEvents(all, "events before the stop and after the resumption");
    }

    private static void assertSameEvents(List<String> actual, String what) {
        Set<String> set = new HashSet<>(actual);
        assertThat(set).as(what + ": no duplicates").hasSize(actual.size());
        // the differences alone: two lists of hundreds of events hide them in a report
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(set);
        Set<String> unexpected = new TreeSet<>(set);
        unexpected.removeAll(new HashSet<>(expected));
        assertThat(missing).as(what + ": events of the undisturbed run missing").isEmpty();
        assertThat(unexpected).as(what + ": events the undisturbed run does not have").isEmpty();
    }

    /** Waits for a run's first committed events: a checkpoint has completed, the replay is under way. */
    private static void awaitFirstEvents(String topic) {
        awaitEvents(topic, 1);
    }

    /** Waits (two minutes at most) until {@code topic} holds {@code n} committed events. */
    private static void awaitEvents(String topic, int n) {
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), topic)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            int seen = 0;
            while (seen < n && System.nanoTime() < deadline) {
                seen += reader.poll(Duration.ofMillis(100), r -> {});
            }
        }
    }

    /**
     * Submits the job under {@code job}'s group and transactional ids (a resumed job keeps those of
     * the job it resumes), writing to {@code output}'s topics, from {@code savepoint} if not null;
     * a bounded job ends at the end of the replay.
     */
    private static JobClient submit(String job, String output, String savepoint, boolean bounded) throws Exception {
        Configuration flink = AnalyticsJob.pipelineConfig();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        if (savepoint != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(JobOptions.BOUNDED, bounded);
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
        conf.set(JobOptions.GROUP_ID, "recovery-" + job);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "recovery-" + job);
        conf.set(KafkaOptions.EVENTS_TOPIC, output + ".events");
        conf.set(KafkaOptions.DEAD_LETTER_TOPIC, output + ".dead");
        new AnalyticsPipeline(conf).build(env);
        return env.executeAsync("recovery-" + output);
    }

    /** Each event of a finished run as (stream, kind, window, label): what must survive unchanged. */
    private static List<String> events(String topic) {
        List<String> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), topic)) {
            reader.readToEnd(() -> true, Duration.ofMinutes(2), r -> {
                AnalyticsEvent e = WireSchemas.validEvent(r.value());
                out.add(e.streamId + "/" + e.kind + "/" + e.windowStartMs + "-" + e.windowEndMs + "/" + e.label
                        + (e.trackId == null ? "" : "/" + e.trackId));
            });
        }
        return out;
    }
}
