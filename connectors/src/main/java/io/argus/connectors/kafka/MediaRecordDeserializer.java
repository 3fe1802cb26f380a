package io.argus.connectors.kafka;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.media.WireFormatException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads media records for a Flink {@code KafkaSource}. Never throws on bad input: a record that
 * breaks the wire format becomes an {@link IngestedRecord} carrying a {@link DeadLetter}.
 */
public final class MediaRecordDeserializer implements KafkaRecordDeserializationSchema<IngestedRecord> {

    private static final long serialVersionUID = 1L;

    private final int maxPayloadBytes;

    public MediaRecordDeserializer(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<IngestedRecord> out) {
        try {
            MediaRecord media = MediaRecordFormat.parse(r.key(), r.headers(), r.value(), maxPayloadBytes);
            out.collect(IngestedRecord.valid(r.topic(), r.partition(), r.offset(), media));
        } catch (WireFormatException e) {
            out.collect(IngestedRecord.refused(DeadLetter.ofRaw(
                    r.topic(), r.partition(), r.offset(), r.key(), r.headers(), r.value(),
                    e.code(), e.getMessage())));
        }
    }

    @Override
    public TypeInformation<IngestedRecord> getProducedType() {
        return TypeInformation.of(IngestedRecord.class);
    }
}
