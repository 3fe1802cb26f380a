package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.embedded.EmbeddedKafka;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.replay.SyntheticClip;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.demo.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: the task managers running the job are killed after its first
 * committed events, the job restarts from its last checkpoint on new ones, and the events a
 * read_committed consumer sees equal those of an undisturbed run: nothing lost, nothing doubled.
 */
class RecoveryIT {

    private static final int STREAMS = 6;

    @Test
    void killingTheTaskManagersMidReplayLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setNumTaskManagers(2).setNumSlotsPerTaskManager(2).build());
        cluster.start();
        TestStreamEnvironment.setAsContext(cluster, 2);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Fixtures.createTopics(kafka);
            kafka.createTopics(2, "clean.events", "crash.events", "clean.dead", "crash.dead");
            Path clip = Fixtures.clip(dir, SyntheticClip.DEMO_SCRIPT);
            for (int s = 0; s < STREAMS; s++) {
                Fixtures.replay(kafka, clip, "cam-" + s, Fixtures.BASE);
            }

            JobClient clean = submit(kafka, "clean");
            clean.getJobExecutionResult().get(5, TimeUnit.MINUTES);
            List<String> expected = events(kafka, "clean.events");

            JobClient crash = submit(kafka, "crash");
            try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), "crash.events")) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (reader.poll(Duration.ofMillis(100), r -> {}) == 0 && System.nanoTime() < deadline) {
                    // wait for the first committed events: a checkpoint has completed
                }
            }
            assertThat(crash.getJobStatus().get()).as("the job when the task managers die").isEqualTo(JobStatus.RUNNING);
            cluster.terminateTaskManager(0).get();
            cluster.terminateTaskManager(1).get();
            cluster.startTaskManager();
            cluster.startTaskManager();
            crash.getJobExecutionResult().get(5, TimeUnit.MINUTES);
            assertThat(cluster.getArchivedExecutionGraph(crash.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job restarted").isPositive();
            List<String> recovered = events(kafka, "crash.events");

            assertThat(expected).hasSize(STREAMS * (19 + 39)); // action windows every second, audio every 0.5 s
            assertThat(new HashSet<>(expected)).as("the undisturbed run has no duplicates").hasSize(expected.size());
            assertThat(recovered).as("events after the crash").hasSameSizeAs(expected);
            Set<String> recoveredSet = new HashSet<>(recovered);
            assertThat(recoveredSet).as("no duplicates after recovery").hasSize(recovered.size());
            assertThat(recoveredSet).isEqualTo(new HashSet<>(expected));
        } finally {
            TestStreamEnvironment.unsetAsContext();
            cluster.close();
        }
    }

    private static JobClient submit(EmbeddedKafka kafka, String run) throws Exception {
        Configuration flink = AnalyticsJob.pipelineConfig();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
        conf.set(JobOptions.GROUP_ID, "recovery-" + run);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "recovery-" + run);
        conf.set(KafkaOptions.EVENTS_TOPIC, run + ".events");
        conf.set(KafkaOptions.DEAD_LETTER_TOPIC, run + ".dead");
        new AnalyticsPipeline(conf).build(env);
        return env.executeAsync("recovery-" + run);
    }

    /** Each event of a finished run as (stream, kind, window, label): what must survive a crash unchanged. */
    private static List<String> events(EmbeddedKafka kafka, String topic) {
        List<String> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), topic)) {
            reader.readToEnd(() -> true, Duration.ofMinutes(2), r -> {
                AnalyticsEvent e = EventFormat.fromJson(r.value());
                out.add(e.streamId + "/" + e.kind + "/" + e.windowStartMs + "-" + e.windowEndMs + "/" + e.label);
            });
        }
        return out;
    }
}
