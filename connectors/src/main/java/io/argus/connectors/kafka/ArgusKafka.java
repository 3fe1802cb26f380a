package io.argus.connectors.kafka;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.status.ModelStatus;
import io.argus.connectors.status.StreamStatus;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Flink Kafka sources and sinks of an Argus job, configured one way everywhere: client
 * properties from {@link KafkaClientConfig}, transactional sinks, {@code read_committed} reads.
 * Settings are checked when they are given, so a wrong one fails where the job is built, naming it:
 *
 * <pre>{@code
 * ArgusKafka kafka = ArgusKafka.on(clientConfig).guarantee(DeliveryGuarantee.EXACTLY_ONCE, "argus");
 * env.fromSource(kafka.mediaSource("argus.video").groupId("analytics").build(), watermarks, "video-source");
 * events.sinkTo(kafka.events("argus.events"));
 * }</pre>
 */
public final class ArgusKafka {

    /**
     * Producer transaction timeout: below the broker's default {@code transaction.max.timeout.ms}
     * (15 min), which Flink's own default (1 h) exceeds.
     */
    public static final String TRANSACTION_TIMEOUT_MS = "600000";

    private final KafkaClientConfig kafka;
    private final DeliveryGuarantee guarantee;
    private final String transactionalIdPrefix;

    private ArgusKafka(KafkaClientConfig kafka, DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        this.kafka = kafka;
        this.guarantee = guarantee;
        this.transactionalIdPrefix = transactionalIdPrefix;
    }

    /** The sources and sinks of one Kafka cluster; its sinks deliver at least once until told otherwise. */
    public static ArgusKafka on(KafkaClientConfig kafka) {
        return new ArgusKafka(Objects.requireNonNull(kafka, "kafka"), DeliveryGuarantee.AT_LEAST_ONCE, null);
    }

    /**
     * How events, incidents, shadow events and dead letters are delivered. Under
     * {@code EXACTLY_ONCE} they are written in Kafka transactions committed at each checkpoint, whose
     * ids start with the prefix (unique per job on a cluster) and the sink's name.
     */
    public ArgusKafka guarantee(DeliveryGuarantee guarantee, String transactionalIdPrefix) {
        Objects.requireNonNull(guarantee, "delivery guarantee");
        return guarantee == DeliveryGuarantee.EXACTLY_ONCE
                ? new ArgusKafka(kafka, guarantee, notBlank(transactionalIdPrefix, "transactional id prefix"))
                : new ArgusKafka(kafka, guarantee, null);
    }

    /** A source of media records from one topic; see {@link MediaSourceBuilder}. */
    public MediaSourceBuilder mediaSource(String topic) {
        return new MediaSourceBuilder(kafka, notBlank(topic, "topic"));
    }

    /** The events sink. */
    public KafkaSink<AnalyticsEvent> events(String topic) {
        return transactional(new EventSerializer(notBlank(topic, "events topic")), "-events");
    }

    /**
     * The live events sink: the same events, at least once and outside transactions, each sent as
     * soon as it is decided ({@code linger.ms} 0) rather than committed at the next checkpoint. A
     * restart replays the events since the last checkpoint, so a consumer may see one twice.
     */
    public KafkaSink<AnalyticsEvent> liveEvents(String topic) {
        Properties p = kafka.toProperties();
        p.setProperty("linger.ms", "0");
        return KafkaSink.<AnalyticsEvent>builder()
                .setKafkaProducerConfig(p)
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new EventSerializer(notBlank(topic, "live events topic")))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** The incidents sink: delivered like the events, keyed by stream. */
    public KafkaSink<Incident> incidents(String topic) {
        return transactional(new IncidentSerializer(notBlank(topic, "incidents topic")), "-incidents");
    }

    /**
     * The shadow sink: a shadow version's events, in the events' format, with transactions of their
     * own (exactly once like the events under {@code EXACTLY_ONCE}).
     */
    public KafkaSink<AnalyticsEvent> shadowEvents(String topic) {
        return transactional(new EventSerializer(notBlank(topic, "shadow topic")), "-shadow");
    }

    /** The dead-letter sink; payloads larger than {@code maxPayloadBytes} are cut (the reason says so). */
    public KafkaSink<DeadLetter> deadLetters(String topic, int maxPayloadBytes) {
        if (maxPayloadBytes < 0) {
            throw new IllegalArgumentException("dead letters' max payload bytes: at least 0, not " + maxPayloadBytes);
        }
        return transactional(new DeadLetterSerializer(notBlank(topic, "dead-letter topic"), maxPayloadBytes),
                "-dead-letters");
    }

    /**
     * The model status sink: at least once, outside transactions, so that a refused model shows at
     * once rather than at the next checkpoint (a report seen twice says nothing new).
     */
    public KafkaSink<ModelStatus> modelStatus(String topic) {
        return sink(new StatusSerializer(notBlank(topic, "status topic")), DeliveryGuarantee.AT_LEAST_ONCE, null);
    }

    /**
     * The stream status sink (clock jumps, released streams) on the status topic: at least once,
     * outside transactions, like {@link #modelStatus}.
     */
    public KafkaSink<StreamStatus> streamStatus(String topic) {
        return sink(new StreamStatusSerializer(notBlank(topic, "status topic")), DeliveryGuarantee.AT_LEAST_ONCE,
                null);
    }

    private <T> KafkaSink<T> transactional(KafkaRecordSerializationSchema<T> serializer, String suffix) {
        return sink(serializer, guarantee, transactionalIdPrefix == null ? null : transactionalIdPrefix + suffix);
    }

    private <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> serializer, DeliveryGuarantee guarantee,
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

    private static String notBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + ": give a name, not '" + (value == null ? "" : value) + "'");
        }
        return value;
    }

    /**
     * A source of media records from one topic: Flink's Kafka source reading committed records
     * from the group's offsets (the earliest for a new group), its enumerator guarded (see
     * {@link GuardedKafkaSource}).
     */
    public static final class MediaSourceBuilder {

        private final KafkaClientConfig kafka;
        private final String topic;
        private String groupId;
        private boolean bounded;
        private int maxPayloadBytes = MediaRecordFormat.DEFAULT_MAX_PAYLOAD_BYTES;

        private MediaSourceBuilder(KafkaClientConfig kafka, String topic) {
            this.kafka = kafka;
            this.topic = topic;
        }

        /** The consumer group whose committed offsets a new run starts from (required). */
        public MediaSourceBuilder groupId(String groupId) {
            this.groupId = notBlank(groupId, "group id");
            return this;
        }

        /**
         * Stop at the offsets that are current when the job starts (replays, demos), also when the
         * job resumes from a checkpoint or savepoint ({@link ResumableKafkaSource}).
         */
        public MediaSourceBuilder bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        /** Larger media records are not decoded but passed on as invalid, for the dead-letter topic. */
        public MediaSourceBuilder maxPayloadBytes(int maxPayloadBytes) {
            if (maxPayloadBytes < 1) {
                throw new IllegalArgumentException("max payload bytes: at least 1, not " + maxPayloadBytes);
            }
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        public GuardedKafkaSource<IngestedRecord> build() {
            if (groupId == null) {
                throw new IllegalStateException("media source of topic " + topic + ": give its consumer group, "
                        + "groupId(...)");
            }
            KafkaSourceBuilder<IngestedRecord> b = KafkaSource.<IngestedRecord>builder()
                    .setProperties(kafka.toProperties())
                    .setBootstrapServers(kafka.bootstrapServers())
                    .setTopics(topic)
                    .setGroupId(groupId)
                    .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                    .setDeserializer(new MediaRecordDeserializer(maxPayloadBytes))
                    .setProperty("isolation.level", "read_committed")
                    .setProperty("max.partition.fetch.bytes",
                            Integer.toString(Math.max(maxPayloadBytes + 65536, 1 << 20)))
                    .setProperty("fetch.max.bytes", Integer.toString(Math.max(maxPayloadBytes + 65536, 50 << 20)));
            if (bounded) {
                b.setBounded(OffsetsInitializer.latest());
            }
            return new GuardedKafkaSource<>(new ResumableKafkaSource<>(b.build()),
                    "topic " + topic + " on Kafka at " + kafka.bootstrapServers());
        }
    }
}
