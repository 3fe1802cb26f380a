package io.argus.connectors.kafka;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes events as JSON keyed by stream id, so one stream's events stay in one partition. The
 * record's timestamp is the time of inference, not the window's media time (which the JSON
 * carries): the broker's time retention counts from the record's timestamp, and the events of
 * footage recorded long ago would otherwise be deleted as soon as they were written.
 */
public final class EventSerializer implements KafkaRecordSerializationSchema<AnalyticsEvent> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public EventSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AnalyticsEvent e, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, null, e.inferredAtMs, e.streamId.getBytes(StandardCharsets.UTF_8), EventFormat.toJson(e));
    }
}
