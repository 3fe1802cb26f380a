package io.argus.connectors.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of {@link ModelStatus} on the status topic; key = the model kind.
 *
 * <pre>{@code
 * {"schema":1,"kind":"audio","subtask":0,"status":"rejected","source":"registry:audio-cnn",
 *  "version":"1.2.0","serving":"1.1.0","reason":"weights.params has SHA-256 ...","loadMs":35,
 *  "at":1700000000412}
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

    /** @throws IllegalArgumentException when the bytes are not a status record of a known schema */
    public static ModelStatus fromJson(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || root.path("schema").asInt(-1) != ModelStatus.SCHEMA_VERSION) {
            throw new IllegalArgumentException("not an Argus model status of schema " + ModelStatus.SCHEMA_VERSION
                    + ": " + new String(json, StandardCharsets.UTF_8));
        }
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
}
