package io.argus.connectors.kafka;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.status.ModelStatus;
import io.argus.connectors.status.StreamStatus;
import io.argus.connectors.events.AnalyticsEvent;
import java.util.Properties;
import io.argus.connectors.incidents.Incident;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * The Flink Kafka sources and sinks of an Argus job, configured one way everywhere: client
 * properties from {@link KafkaClientConfig}, transactional sinks, {@code read_committed} reads.
 */
public final class ArgusKafka {

    /**
     * Producer transaction timeout: below the broker's default {@code transaction.max.timeout.ms}
     * (15 min), which Flink's own default (1 h) exceeds.
     */
    public static final String TRANSACTION_TIMEOUT_MS = "600000";

    private ArgusKafka() {}

    /**
     * A source of media records from one topic: Flink's Kafka source, its enumerator guarded (see
     * {@link GuardedKafkaSource}).
     *
     * @param bounded stop at the offsets that are current when the job starts (replays, demos), also
     *     when the job resumes from a checkpoint or savepoint ({@link ResumableKafkaSource})
     */
    public static GuardedKafkaSource<IngestedRecord> mediaSource(
            KafkaClientConfig kafka, String topic, String groupId, boolean bounded, int maxPayloadBytes) {
        KafkaSourceBuilder<IngestedRecord> b = KafkaSource.<IngestedRecord>builder()
                .setProperties(kafka.toProperties())
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new MediaRecordDeserializer(maxPayloadBytes))
                .setProperty("isolation.level", "read_committed")
                .setProperty("max.partition.fetch.bytes", Integer.toString(Math.max(maxPayloadBytes + 65536, 1 << 20)))
                .setProperty("fetch.max.bytes", Integer.toString(Math.max(maxPayloadBytes + 65536, 50 << 20)));
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return new GuardedKafkaSource<>(new ResumableKafkaSource<>(b.build()),
                "topic " + topic + " on Kafka at " + kafka.bootstrapServers());
    }

    /** The events sink. */
    public static KafkaSink<AnalyticsEvent> eventSink(
            KafkaClientConfig kafka, String topic, DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        return sink(kafka, new EventSerializer(topic), guarantee, transactionalIdPrefix + "-events");
    }

    /**
     * The live events sink: the same events, at least once and outside transactions, each sent as
     * soon as it is decided ({@code linger.ms} 0) rather than committed at the next checkpoint. A
     * restart replays the events since the last checkpoint, so a consumer may see one twice.
     */
    public static KafkaSink<AnalyticsEvent> liveEventSink(KafkaClientConfig kafka, String topic) {
        Properties p = kafka.toProperties();
        p.setProperty("linger.ms", "0");
        return KafkaSink.<AnalyticsEvent>builder()
                .setKafkaProducerConfig(p)
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new EventSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** The incidents sink: exactly once like the events, keyed by stream. */
    public static KafkaSink<Incident> incidentSink(
            KafkaClientConfig kafka, String topic, DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        return sink(kafka, new IncidentSerializer(topic), guarantee, transactionalIdPrefix + "-incidents");
    }

    /**
     * The shadow sink: a shadow version's events, in the events' format, with transactions of their
     * own (exactly once like the events under {@code EXACTLY_ONCE}).
     */
    public static KafkaSink<AnalyticsEvent> shadowSink(
            KafkaClientConfig kafka, String topic, DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        return sink(kafka, new EventSerializer(topic), guarantee, transactionalIdPrefix + "-shadow");
    }

    /** The dead-letter sink. */
    public static KafkaSink<DeadLetter> deadLetterSink(
            KafkaClientConfig kafka, String topic, DeliveryGuarantee guarantee, String transactionalIdPrefix,
            int maxPayloadBytes) {
        return sink(kafka, new DeadLetterSerializer(topic, maxPayloadBytes), guarantee,
                transactionalIdPrefix + "-dead-letters");
    }

    /**
     * The model status sink: at least once, outside transactions, so that a refused model shows at
     * once rather than at the next checkpoint (a report seen twice says nothing new).
     */
    public static KafkaSink<ModelStatus> statusSink(KafkaClientConfig kafka, String topic) {
        return sink(kafka, new StatusSerializer(topic), DeliveryGuarantee.AT_LEAST_ONCE, null);
    }

    /**
     * The stream status sink (clock jumps, released streams) on the status topic: at least once,
     * outside transactions, like {@link #statusSink}.
     */
    public static KafkaSink<StreamStatus> streamStatusSink(KafkaClientConfig kafka, String topic) {
        return sink(kafka, new StreamStatusSerializer(topic), DeliveryGuarantee.AT_LEAST_ONCE, null);
    }

    private static <T> KafkaSink<T> sink(
            KafkaClientConfig kafka, KafkaRecordSerializationSchema<T> serializer, DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        var b = KafkaSink.<T>builder()
                .setKafkaProducerConfig(kafka.toProperties())
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            b.setTransactionalIdPrefix(transactionalIdPrefix)
                    .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        }
        return b.build();
    }
}
