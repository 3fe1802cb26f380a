package io.argus.connectors.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of the records on the status topic: {@link ModelStatus} (key = the model kind)
 * and {@link StreamStatus} (key = the stream id). One schema; {@code status} says which record it is,
 * and readers skip values they do not know.
 *
 * <pre>{@code
 * {"schema":1,"kind":"audio","subtask":0,"status":"rejected","source":"registry:audio-cnn",
 *  "version":"1.2.0","serving":"1.1.0","reason":"weights.params has SHA-256 ...","loadMs":35,
 *  "at":1700000000412}
 * {"schema":1,"kind":"video","subtask":1,"status":"clock-jump","streamId":"cam-7",
 *  "from":1767225612000,"to":1767236412000,"jumpMs":10800000,"at":1700000000412}
 * {"schema":1,"kind":"audio","subtask":0,"status":"released","streamId":"cam-7",
 *  "from":1767225612000,"silentMs":300004,"at":1700000000412}
 * }</pre>
 */
public final class StatusFormat {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusFormat() {}

    public static byte[] toJson(ModelStatus s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", s.schemaVersion);
        root.put("kind", s.kind);
        root.put("subtask", s.subtask);
        root.put("status", s.status);
        root.put("source", s.source);
        root.put("version", s.version);
        root.put("serving", s.serving);
        if (s.reason != null) {
            root.put("reason", s.reason);
        }
        root.put("loadMs", s.loadMs);
        root.put("at", s.atMs);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] toJson(StreamStatus s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", s.schemaVersion);
        root.put("kind", s.kind);
        root.put("subtask", s.subtask);
        root.put("status", s.status);
        root.put("streamId", s.streamId);
        root.put("from", s.fromMs);
        if (StreamStatus.CLOCK_JUMP.equals(s.status)) {
            root.put("to", s.toMs);
            root.put("jumpMs", s.jumpMs());
        } else {
            root.put("silentMs", s.silentMs);
        }
        root.put("at", s.atMs);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] toJson(IngestStatus s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", s.schemaVersion);
        root.put("kind", IngestStatus.KIND);
        root.put("subtask", 0);
        root.put("status", s.status);
        root.put("streamId", s.streamId);
        root.put("source", s.source);
        root.put("since", s.sinceMs);
        if (IngestStatus.CONNECTED.equals(s.status)) {
            root.put("gapMs", s.gapMs);
            if (s.videoCodec != null) {
                root.put("videoCodec", s.videoCodec);
            }
            root.put("reencoding", s.reencoding);
        }
        if (s.reason != null) {
            root.put("reason", s.reason);
        }
        if (IngestStatus.RECONNECTING.equals(s.status)) {
            root.put("retryInMs", s.retryInMs);
        }
        root.putObject("counts")
                .put("videoRecords", s.videoRecords)
                .put("audioRecords", s.audioRecords)
                .put("droppedRecords", s.droppedRecords)
                .put("connects", s.connects)
                .put("stalls", s.stalls)
                .put("failures", s.failures);
        root.put("at", s.atMs);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the record is what {@code argus ingest} reports about a source ({@link IngestStatus}). */
    public static boolean isIngestStatus(byte[] json) {
        return IngestStatus.KIND.equals(parse(json).path("kind").asText());
    }

    /** @throws IllegalArgumentException when the bytes are not an ingest status record of a known schema */
    public static IngestStatus ingestStatusFromJson(byte[] json) {
        JsonNode root = parse(json);
        if (!IngestStatus.KIND.equals(root.path("kind").asText())) {
            throw new IllegalArgumentException("not an ingest status (kind " + root.path("kind").asText() + "): "
                    + new String(json, StandardCharsets.UTF_8));
        }
        IngestStatus s = new IngestStatus();
        s.status = root.path("status").asText();
        s.streamId = root.path("streamId").asText();
        s.source = root.path("source").asText();
        s.sinceMs = root.path("since").asLong();
        s.gapMs = root.path("gapMs").asLong();
        s.videoCodec = root.hasNonNull("videoCodec") ? root.get("videoCodec").asText() : null;
        s.reencoding = root.path("reencoding").asBoolean();
        s.reason = root.hasNonNull("reason") ? root.get("reason").asText() : null;
        s.retryInMs = root.path("retryInMs").asLong();
        JsonNode counts = root.path("counts");
        s.videoRecords = counts.path("videoRecords").asLong();
        s.audioRecords = counts.path("audioRecords").asLong();
        s.droppedRecords = counts.path("droppedRecords").asLong();
        s.connects = counts.path("connects").asLong();
        s.stalls = counts.path("stalls").asLong();
        s.failures = counts.path("failures").asLong();
        s.atMs = root.path("at").asLong();
        return s;
    }

    /** True when the record is about a stream ({@link StreamStatus}) rather than a model. */
    public static boolean isStreamStatus(byte[] json) {
        String status = parse(json).path("status").asText();
        return status.equals(StreamStatus.CLOCK_JUMP) || status.equals(StreamStatus.RELEASED);
    }

    /** @throws IllegalArgumentException when the bytes are not a stream status record of a known schema */
    public static StreamStatus streamStatusFromJson(byte[] json) {
        JsonNode root = parse(json);
        StreamStatus s = new StreamStatus();
        s.kind = root.path("kind").asText();
        s.subtask = root.path("subtask").asInt();
        s.status = root.path("status").asText();
        if (!s.status.equals(StreamStatus.CLOCK_JUMP) && !s.status.equals(StreamStatus.RELEASED)) {
            throw new IllegalArgumentException("not a stream status (status " + s.status + "): "
                    + new String(json, StandardCharsets.UTF_8));
        }
        s.streamId = root.path("streamId").asText();
        s.fromMs = root.path("from").asLong();
        s.toMs = root.path("to").asLong();
        s.silentMs = root.path("silentMs").asLong();
        s.atMs = root.path("at").asLong();
        return s;
    }

    /** @throws IllegalArgumentException when the bytes are not a status record of a known schema */
    public static ModelStatus fromJson(byte[] json) {
        JsonNode root = parse(json);
        ModelStatus s = new ModelStatus();
        s.kind = root.path("kind").asText();
        s.subtask = root.path("subtask").asInt();
        s.status = root.path("status").asText();
        s.source = root.path("source").asText();
        s.version = root.path("version").asText();
        s.serving = root.path("serving").asText();
        s.reason = root.hasNonNull("reason") ? root.get("reason").asText() : null;
        s.loadMs = root.path("loadMs").asLong();
        s.atMs = root.path("at").asLong();
        return s;
    }

    private static JsonNode parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || root.path("schema").asInt(-1) != ModelStatus.SCHEMA_VERSION) {
            throw new IllegalArgumentException("not an Argus status record of schema " + ModelStatus.SCHEMA_VERSION
                    + ": " + new String(json, StandardCharsets.UTF_8));
        }
        return root;
    }
}
