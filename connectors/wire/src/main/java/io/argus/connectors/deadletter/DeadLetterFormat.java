package io.argus.connectors.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How a {@link DeadLetter} is written to the dead-letter topic: key = the original key, value =
 * the original payload (cut to a maximum), the original headers, plus {@code argus.dlq.*} headers
 * saying where the record came from and why it was refused (a stable {@link DeadLetterReason} code
 * and the reason in words). See {@code docs/wire-formats.md}.
 */
public final class DeadLetterFormat {

    public static final String STAGE = "argus.dlq.stage";
    /** The reason as a stable code: a {@link DeadLetterReason} name. */
    public static final String CODE = "argus.dlq.code";
    public static final String REASON = "argus.dlq.reason";
    /** A window's event-time range, {@code start-end} in epoch ms (stage {@code classify}). */
    public static final String WINDOW = "argus.dlq.window";
    public static final String SOURCE = "argus.dlq.source";
    public static final String FAILED_AT = "argus.dlq.failed-at";
    public static final String PAYLOAD_BYTES = "argus.dlq.payload-bytes";

    /**
     * Default cap on the payload copied into the dead-letter topic: with the headers, a dead letter
     * stays well below the producer's default {@code max.request.size} (1 MiB), so that no input,
     * however large, can make the dead-letter sink fail.
     */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;

    private DeadLetterFormat() {}

    public static ProducerRecord<byte[], byte[]> toProducerRecord(
            String topic, DeadLetter d, int maxPayloadBytes) {
        Headers h = new RecordHeaders();
        for (int i = 0; i < d.headerNames.length; i++) {
            if (!d.headerNames[i].startsWith("argus.dlq.")) {
                h.add(d.headerNames[i], d.headerValues[i].getBytes(StandardCharsets.UTF_8));
            }
        }
        put(h, STAGE, d.stage);
        put(h, CODE, d.code == null ? null : d.code.name());
        put(h, REASON, d.reason);
        if (d.sourceTopic != null) {
            put(h, SOURCE, d.sourceTopic + "/" + d.sourcePartition + "@" + d.sourceOffset);
        } else {
            put(h, WINDOW, d.windowStartMs + "-" + d.windowEndMs);
        }
        put(h, FAILED_AT, Long.toString(d.failedAtMs));
        put(h, PAYLOAD_BYTES, Integer.toString(d.payload.length));
        byte[] value = d.payload.length <= maxPayloadBytes ? d.payload : Arrays.copyOf(d.payload, maxPayloadBytes);
        byte[] key = d.streamId == null ? null : d.streamId.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, d.failedAtMs, key, value, h);
    }

    /** The refusal reason of a record read from the dead-letter topic. */
    public static String reason(ConsumerRecord<?, ?> record) {
        return header(record.headers(), REASON);
    }

    /**
     * The refusal code of a record read from the dead-letter topic; null for dead letters written
     * before codes existed, or with a code this version does not know.
     */
    public static DeadLetterReason code(ConsumerRecord<?, ?> record) {
        return DeadLetterReason.fromCode(header(record.headers(), CODE));
    }

    /** The stage that refused a record read from the dead-letter topic. */
    public static String stage(ConsumerRecord<?, ?> record) {
        return header(record.headers(), STAGE);
    }

    /** {@code start-end} of a window's dead letter, or null for a record's. */
    public static String window(ConsumerRecord<?, ?> record) {
        return header(record.headers(), WINDOW);
    }

    /** {@code topic/partition@offset} of the original record. */
    public static String source(ConsumerRecord<?, ?> record) {
        return header(record.headers(), SOURCE);
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers h, String name, String value) {
        h.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
