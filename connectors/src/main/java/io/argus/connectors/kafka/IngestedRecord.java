package io.argus.connectors.kafka;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.media.MediaRecord;

/**
 * A Kafka record as the job received it: a valid {@link MediaRecord} with its position in the
 * topic, or a {@link DeadLetter} saying why it is not one. Reading never fails the job.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class IngestedRecord {

    public String topic;
    public int partition;
    public long offset;
    /** Set when the record is valid. */
    public MediaRecord record;
    /** Set when the record was refused. */
    public DeadLetter deadLetter;

    public IngestedRecord() {}

    public static IngestedRecord valid(String topic, int partition, long offset, MediaRecord record) {
        IngestedRecord r = new IngestedRecord();
        r.topic = topic;
        r.partition = partition;
        r.offset = offset;
        r.record = record;
        return r;
    }

    public static IngestedRecord refused(DeadLetter deadLetter) {
        IngestedRecord r = new IngestedRecord();
        r.topic = deadLetter.sourceTopic;
        r.partition = deadLetter.sourcePartition;
        r.offset = deadLetter.sourceOffset;
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isValid() {
        return record != null;
    }

    /** A dead letter for this (valid) record refused at a later stage. */
    public DeadLetter refuse(DeadLetterReason code, String reason) {
        return DeadLetter.of(record, topic, partition, offset, code, reason);
    }

    /** Where the record came from, for error messages. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
