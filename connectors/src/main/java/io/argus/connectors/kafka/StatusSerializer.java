package io.argus.connectors.kafka;

import io.argus.connectors.status.ModelStatus;
import io.argus.connectors.status.StatusFormat;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes model status reports as JSON keyed by model kind. */
public final class StatusSerializer implements KafkaRecordSerializationSchema<ModelStatus> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public StatusSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ModelStatus s, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, s.atMs, s.kind.getBytes(StandardCharsets.UTF_8), StatusFormat.toJson(s));
    }
}
