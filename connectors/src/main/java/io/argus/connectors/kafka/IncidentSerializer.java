package io.argus.connectors.kafka;

import io.argus.connectors.incidents.Incident;
import io.argus.connectors.incidents.IncidentFormat;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes incidents as JSON keyed by stream id, so that a stream's open and closed records stay in
 * order in one partition. The record's timestamp is the time it was emitted, for the reason given
 * in {@link EventSerializer}.
 */
public final class IncidentSerializer implements KafkaRecordSerializationSchema<Incident> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public IncidentSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Incident i, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, null, i.emittedAtMs, i.streamId.getBytes(StandardCharsets.UTF_8), IncidentFormat.toJson(i));
    }
}
