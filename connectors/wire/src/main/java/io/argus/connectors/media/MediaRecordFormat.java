package io.argus.connectors.media;

import io.argus.connectors.deadletter.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one definition of the media wire format (version {@value #VERSION}), used by every producer
 * and by the job. See {@code docs/wire-formats.md}.
 *
 * <p>Key: the stream id in UTF-8. Value: the media payload, untouched. Headers: the metadata
 * below, each a UTF-8 string, so that records stay readable with any Kafka tool.
 */
public final class MediaRecordFormat {

    public static final String VERSION = "1";

    public static final String FORMAT = "argus.format";
    public static final String KIND = "argus.kind";
    public static final String CODEC = "argus.codec";
    public static final String CONTAINER = "argus.container";
    public static final String CAPTURE_TIME = "argus.capture-time";
    public static final String DURATION = "argus.duration-ms";
    public static final String SEQUENCE = "argus.seq";
    public static final String FRAME_RATE = "argus.frame-rate";
    public static final String SAMPLE_RATE = "argus.sample-rate";
    public static final String CHANNELS = "argus.channels";

    /** Container name for raw PCM payloads. */
    public static final String RAW = "raw";
    /** Default upper bound on a payload; larger records are rejected before decoding. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,128}");
    /** What a stream id may be, in words, for messages. */
    public static final String STREAM_ID_RULE = "1-128 of [A-Za-z0-9._:@/-]";
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9_,]{1,32}");
    /** 3000-01-01T00:00:00Z: capture times beyond it are certainly forged or corrupt. */
    private static final long MAX_CAPTURE_TIME_MS = 32_503_680_000_000L;

    private MediaRecordFormat() {}

    /** The Kafka record for a media record; its timestamp is the capture time. */
    public static ProducerRecord<byte[], byte[]> toProducerRecord(String topic, MediaRecord r) {
        Headers h = new RecordHeaders();
        put(h, FORMAT, VERSION);
        put(h, KIND, r.kind.wireName());
        put(h, CODEC, r.codec.wireName());
        put(h, CONTAINER, r.container);
        put(h, CAPTURE_TIME, Long.toString(r.captureTimeMs));
        put(h, DURATION, Long.toString(r.durationMs));
        put(h, SEQUENCE, Long.toString(r.sequence));
        if (r.kind == MediaKind.VIDEO) {
            put(h, FRAME_RATE, Double.toString(r.frameRate));
        } else {
            put(h, SAMPLE_RATE, Integer.toString(r.sampleRate));
            put(h, CHANNELS, Integer.toString(r.channels));
        }
        // no timestamp: the producer stamps the time of sending. The capture time travels in its header;
        // as the record's timestamp it would make the broker's time retention (7 days by default) delete
        // replayed footage recorded longer ago as soon as it arrived.
        return new ProducerRecord<>(
                topic, null, null, r.streamId.getBytes(StandardCharsets.UTF_8), r.payload, h);
    }

    /**
     * Reads and validates a Kafka record.
     *
     * @throws WireFormatException naming the first thing wrong with it
     */
    public static MediaRecord parse(byte[] key, Headers headers, byte[] value, int maxPayloadBytes)
            throws WireFormatException {
        if (key == null) {
            throw new WireFormatException(DeadLetterReason.MISSING_KEY, "missing key: the key must be the stream id");
        }
        String streamId = new String(key, StandardCharsets.UTF_8);
        if (!isValidStreamId(streamId)) {
            throw new WireFormatException(DeadLetterReason.INVALID_STREAM_ID,
                    "invalid stream id '" + abbreviate(streamId) + "': " + STREAM_ID_RULE);
        }
        String format = required(headers, FORMAT);
        if (!VERSION.equals(format)) {
            throw new WireFormatException(DeadLetterReason.UNSUPPORTED_VERSION,
                    "unsupported wire format version '" + abbreviate(format) + "' (this job reads " + VERSION + ")");
        }
        MediaKind kind = MediaKind.fromWire(required(headers, KIND));
        if (kind == null) {
            throw new WireFormatException(DeadLetterReason.UNKNOWN_KIND,
                    "unknown media kind '" + abbreviate(header(headers, KIND)) + "' (video or audio)");
        }
        String codecName = required(headers, CODEC);
        MediaCodec codec = MediaCodec.fromWire(codecName);
        if (codec == null || codec.kind() != kind) {
            throw new WireFormatException(DeadLetterReason.UNKNOWN_CODEC,
                    "unknown " + kind.wireName() + " codec '" + abbreviate(codecName) + "' (known: "
                            + MediaCodec.known(kind) + ")");
        }
        String container = required(headers, CONTAINER);
        if (!CONTAINER_NAME.matcher(container).matches()) {
            throw new WireFormatException(DeadLetterReason.INVALID_CONTAINER,
                    "invalid container name '" + abbreviate(container) + "'");
        }
        if (codec.isPcm() != RAW.equals(container)) {
            throw new WireFormatException(DeadLetterReason.INVALID_CONTAINER,
                    codec.isPcm()
                            ? "PCM must use container '" + RAW + "', not '" + abbreviate(container) + "'"
                            : "container '" + RAW + "' is only for PCM, not " + codec.wireName());
        }
        if (value == null || value.length == 0) {
            throw new WireFormatException(DeadLetterReason.EMPTY_PAYLOAD, "empty payload");
        }
        if (value.length > maxPayloadBytes) {
            throw new WireFormatException(DeadLetterReason.PAYLOAD_TOO_LARGE,
                    "payload of " + value.length + " bytes exceeds the limit of " + maxPayloadBytes);
        }
        long captureTime = longHeader(headers, CAPTURE_TIME, 1, MAX_CAPTURE_TIME_MS);
        long duration = longHeader(headers, DURATION, 0, 3_600_000);
        long sequence = longHeader(headers, SEQUENCE, 0, Long.MAX_VALUE);
        if (kind == MediaKind.VIDEO) {
            double fps = doubleHeader(headers, FRAME_RATE, 0.1, 1000);
            return MediaRecord.video(streamId, codec, container, captureTime, duration, sequence, fps, value);
        }
        int rate = (int) longHeader(headers, SAMPLE_RATE, 1000, 384_000);
        int channels = (int) longHeader(headers, CHANNELS, 1, 32);
        if (codec.isPcm()) {
            int frameBytes = channels * (codec == MediaCodec.PCM_S16LE ? 2 : 4);
            if (value.length % frameBytes != 0) {
                throw new WireFormatException(DeadLetterReason.PARTIAL_PCM_FRAME,
                        "PCM payload of " + value.length + " bytes is not a whole number of "
                                + frameBytes + "-byte sample frames");
            }
        }
        return MediaRecord.audio(streamId, codec, container, captureTime, duration, sequence, rate, channels, value);
    }

    /** Whether a stream id follows the wire format: {@value #STREAM_ID_RULE}. */
    public static boolean isValidStreamId(String streamId) {
        return streamId != null && STREAM_ID.matcher(streamId).matches();
    }

    /** The headers of a record as a readable string, for dead letters and logs. */
    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers h, String name, String value) {
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String required(Headers headers, String name) throws WireFormatException {
        String v = header(headers, name);
        if (v == null || v.isEmpty()) {
            throw new WireFormatException(DeadLetterReason.MISSING_HEADER, "missing header " + name);
        }
        return v;
    }

    private static long longHeader(Headers headers, String name, long min, long max)
            throws WireFormatException {
        String v = required(headers, name);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new WireFormatException(DeadLetterReason.INVALID_HEADER,
                    "header " + name + " is not an integer: '" + abbreviate(v) + "'");
        }
        if (n < min || n > max) {
            throw new WireFormatException(DeadLetterReason.INVALID_HEADER,
                    "header " + name + " = " + n + " is outside [" + min + ", " + max + "]");
        }
        return n;
    }

    private static double doubleHeader(Headers headers, String name, double min, double max)
            throws WireFormatException {
        String v = required(headers, name);
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new WireFormatException(DeadLetterReason.INVALID_HEADER,
                    "header " + name + " is not a number: '" + abbreviate(v) + "'");
        }
        if (!(d >= min && d <= max)) {
            throw new WireFormatException(DeadLetterReason.INVALID_HEADER,
                    "header " + name + " = " + abbreviate(v) + " is outside [" + min + ", " + max + "]");
        }
        return d;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
