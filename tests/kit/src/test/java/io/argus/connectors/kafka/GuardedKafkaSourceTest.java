package io.argus.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.testkit.EmbeddedKafka;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job's Kafka source enumerator, the real one against the in-process broker, driven through
 * Flink's test context for split enumerators (the one the Kafka connector's own enumerator tests
 * use): when it has handed out every split of a bounded source, its Kafka client is closed before
 * the last reader is told that no more splits will come, so before the job can end. Flink closes
 * enumerators only after the job has ended, and on a session cluster may release the job's
 * classes first; a Kafka client closing then fails to load its classes (FLINK-24680).
 */
class GuardedKafkaSourceTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(3, "cams");
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aBoundedSourceClosesItsKafkaClientBeforeTheLastReaderHearsNoMoreSplits() throws Throwable {
        GuardedKafkaSource<IngestedRecord> source = ArgusKafka.on(kafka.clientConfig()).mediaSource("cams")
                .groupId("guard-test").bounded(true).build();
        try (MockSplitEnumeratorContext<KafkaPartitionSplit> context = new MockSplitEnumeratorContext<>(2)) {
            SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator = source.createEnumerator(context);
            enumerator.start();
            assertThat(enumeratorClients("guard-test")).as("the enumerator's Kafka client, once started").hasSize(1);

            context.registerReader(new ReaderInfo(0, "localhost"));
            enumerator.addReader(0);
            context.runNextOneTimeCallable(); // list the topic's partitions
            context.runNextOneTimeCallable(); // their offsets; splits to the registered reader
            assertThat(context.hasNoMoreSplits(0)).isTrue();
            assertThat(enumeratorClients("guard-test")).as("one reader of two is done").hasSize(1);

            context.registerReader(new ReaderInfo(1, "localhost"));
            enumerator.addReader(1);
            assertThat(context.hasNoMoreSplits(1)).isTrue();
            assertThat(enumeratorClients("guard-test")).as("once every reader is done, before close()").isEmpty();
            assertThat(context.getSplitsAssignmentSequence()).flatExtracting(a -> a.assignment().values())
                    .flatExtracting(splits -> splits).hasSize(3);

            enumerator.snapshotState(1); // still answers the checkpoints of the job's last moments
            enumerator.close();
        }
    }

    @Test
    void anUnboundedSourceKeepsItsKafkaClientUntilClosed() throws Throwable {
        GuardedKafkaSource<IngestedRecord> source = ArgusKafka.on(kafka.clientConfig()).mediaSource("cams")
                .groupId("guard-live").bounded(false).build();
        try (MockSplitEnumeratorContext<KafkaPartitionSplit> context = new MockSplitEnumeratorContext<>(1)) {
            SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator = source.createEnumerator(context);
            enumerator.start();
            context.registerReader(new ReaderInfo(0, "localhost"));
            enumerator.addReader(0);
            context.runPeriodicCallable(0);
            context.runNextOneTimeCallable();
            assertThat(context.hasNoMoreSplits(0)).isFalse();
            assertThat(enumeratorClients("guard-live")).as("discovering new partitions").hasSize(1);
            enumerator.close();
            assertThat(enumeratorClients("guard-live")).isEmpty();
        }
    }

    /** Threads of the Kafka admin client that the split enumerator of a consumer group made. */
    private static List<String> enumeratorClients(String group) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("kafka-admin-client-thread | " + group)
                        && name.endsWith("enumerator-admin-client"))
                .toList();
    }
}
