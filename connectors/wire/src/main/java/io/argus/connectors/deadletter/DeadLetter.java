package io.argus.connectors.deadletter;

import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record the job could not use, with where it came from and why. The original payload and
 * headers travel with it so that it can be inspected and replayed; see {@link DeadLetterFormat}.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class DeadLetter {

    /** The stage that refused the record. */
    public static final String STAGE_INGEST = "ingest";
    public static final String STAGE_DECODE = "decode";
    /** A window whose classification could not become an event. */
    public static final String STAGE_CLASSIFY = "classify";

    /** Stream id from the record's key, or {@code null} when it had none. */
    public String streamId;
    public String stage;
    /** Why, as a stable code. */
    public DeadLetterReason code;
    /** Why, in words. */
    public String reason;
    /** For a window (stage {@code classify}): its event-time range, epoch ms; 0 otherwise. */
    public long windowStartMs;
    public long windowEndMs;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public long failedAtMs;
    public byte[] payload;
    public String[] headerNames;
    public String[] headerValues;

    /** Longest reason kept; the rest of an unexpectedly long message is cut. */
    public static final int MAX_REASON_CHARS = 1000;
    /** Original headers are kept until their names and values add up to this many bytes. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /**
     * What makes a reason differ between two refusals of the same record: object identities
     * ({@code java.io.ByteArrayInputStream@43018e8f}) and native addresses.
     */
    private static final Pattern IDENTITY =
            Pattern.compile("\\b((?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*)@[0-9a-f]{1,8}\\b");
    private static final Pattern ADDRESS = Pattern.compile("\\b0x[0-9a-fA-F]{8,16}\\b");

    public DeadLetter() {}

    /** A record refused as it was read from Kafka, kept byte for byte. */
    public static DeadLetter ofRaw(
            String topic, int partition, long offset, byte[] key, Headers headers, byte[] value,
            DeadLetterReason code, String reason) {
        DeadLetter d = new DeadLetter();
        d.streamId = key == null ? null : new String(key, StandardCharsets.UTF_8);
        d.stage = code.stage();
        d.code = code;
        String stable = stableText(reason);
        d.reason = stable.length() <= MAX_REASON_CHARS ? stable : stable.substring(0, MAX_REASON_CHARS) + "...";
        d.sourceTopic = topic;
        d.sourcePartition = partition;
        d.sourceOffset = offset;
        d.failedAtMs = System.currentTimeMillis();
        d.payload = value == null ? new byte[0] : value;
        Header[] hs = headers == null ? new Header[0] : headers.toArray();
        int kept = 0;
        int bytes = 0;
        while (kept < hs.length) {
            bytes += hs[kept].key().length() + (hs[kept].value() == null ? 0 : hs[kept].value().length);
            if (bytes > MAX_HEADER_BYTES) {
                break;
            }
            kept++;
        }
        d.headerNames = new String[kept];
        d.headerValues = new String[kept];
        for (int i = 0; i < kept; i++) {
            d.headerNames[i] = hs[i].key();
            d.headerValues[i] = hs[i].value() == null ? "" : new String(hs[i].value(), StandardCharsets.UTF_8);
        }
        return d;
    }

    /** A well-formed record that a later stage (decoding, say) could not use. */
    public static DeadLetter of(
            MediaRecord record, String topic, int partition, long offset, DeadLetterReason code, String reason) {
        return ofRaw(
                topic,
                partition,
                offset,
                record.streamId.getBytes(StandardCharsets.UTF_8),
                MediaRecordFormat.toProducerRecord(topic, record).headers(),
                record.payload,
                code,
                reason);
    }

    /**
     * A window of a stream that a later stage could not turn into an event: no source record (it
     * was made of many), the event-time range instead, and {@code payload} (the event it would
     * have been, say) as the value.
     */
    public static DeadLetter ofWindow(String streamId, long startMs, long endMs, byte[] payload,
            DeadLetterReason code, String reason) {
        DeadLetter d = ofRaw(null, -1, -1, streamId.getBytes(StandardCharsets.UTF_8), null, payload, code, reason);
        d.windowStartMs = startMs;
        d.windowEndMs = endMs;
        return d;
    }

    /**
     * The reason without what would differ between two refusals of the same record: object
     * identities lose their hash ({@code java.io.ByteArrayInputStream@43018e8f} becomes
     * {@code java.io.ByteArrayInputStream}) and native addresses become {@code 0x...}.
     */
    public static String stableText(String reason) {
        if (reason == null || reason.isBlank()) {
            return "(no reason given)";
        }
        return ADDRESS.matcher(IDENTITY.matcher(reason).replaceAll("$1")).replaceAll("0x...");
    }

    @Override
    public String toString() {
        String from = sourceTopic != null ? sourceTopic + "/" + sourcePartition + "@" + sourceOffset
                : "window " + windowStartMs + "-" + windowEndMs;
        return "dead letter from " + from + " (stream " + streamId + ", " + stage + ", " + code + "): " + reason;
    }
}
