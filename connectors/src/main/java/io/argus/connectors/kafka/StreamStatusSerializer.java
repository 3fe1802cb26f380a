package io.argus.connectors.kafka;

import io.argus.connectors.status.StatusFormat;
import io.argus.connectors.status.StreamStatus;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes stream status reports (clock jumps, released streams) as JSON keyed by stream id. */
public final class StreamStatusSerializer implements KafkaRecordSerializationSchema<StreamStatus> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public StreamStatusSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(StreamStatus s, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, s.atMs, s.streamId.getBytes(StandardCharsets.UTF_8),
                StatusFormat.toJson(s));
    }
}
