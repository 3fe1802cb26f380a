package io.argus.connectors.kafka;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterFormat;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes dead letters in {@link DeadLetterFormat}. */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int maxPayloadBytes;

    public DeadLetterSerializer(String topic, int maxPayloadBytes) {
        this.topic = topic;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        return DeadLetterFormat.toProducerRecord(topic, d, maxPayloadBytes);
    }
}
