package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.argus.connectors.kafka.ArgusKafka;
import io.argus.connectors.kafka.IngestedRecord;
import io.argus.connectors.kafka.KafkaUnavailableException;
import io.argus.jobs.AnalyticsJob;
import io.argus.testkit.EmbeddedKafka;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job's Kafka sources on a MiniCluster against the in-process broker, when their split
 * enumerator (on the JobManager) cannot use Kafka: the job fails with one line, not a wall of
 * stack traces. (That a bounded source's enumerator closes its Kafka client in time is
 * GuardedKafkaSourceTest's.)
 */
class KafkaSourceGuardIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A source that cannot use Kafka fails the job with one line that names the topic and the cause. */
    @Test
    void aSourceThatCannotUseKafkaFailsTheJobWithOneLine() {
        Configuration noRestarts = AnalyticsJob.pipelineConfig();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, noRestarts);
        env.fromSource(ArgusKafka.on(kafka.clientConfig()).mediaSource("no-such-topic").groupId("guard-missing")
                        .build(), WatermarkStrategy.noWatermarks(), "missing")
                .sinkTo(new DiscardingSink<IngestedRecord>());

        Throwable failure = catchThrowable(() -> env.execute("missing-topic"));

        KafkaUnavailableException cause = ExceptionUtils.findThrowable(failure, KafkaUnavailableException.class)
                .orElseThrow(() -> new AssertionError("no KafkaUnavailableException in " + failure));
        assertThat(cause.getMessage()).isEqualTo("topic no-such-topic on Kafka at " + kafka.bootstrapServers()
                + ": the split enumerator cannot use Kafka (UnknownTopicOrPartitionException: This server does not "
                + "host this topic-partition.); Kafka error 1 of this source, failing the job");
        assertThat(cause.getStackTrace()).as("frames of the failure that the logs print").isEmpty();
        assertThat(cause.getCause()).isNull();
    }
}
