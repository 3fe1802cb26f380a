package io.argus.connectors.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of {@link AnalyticsEvent} on the events topic (schema version
 * {@value AnalyticsEvent#SCHEMA_VERSION}); key = stream id. See {@code docs/wire-formats.md}.
 *
 * <pre>{@code
 * {"schema":1,"streamId":"cam-1","kind":"action","label":"motion","score":0.93,
 *  "topK":[{"label":"motion","score":0.93},{"label":"still","score":0.07}],
 *  "window":{"start":1700000000000,"end":1700000002000},
 *  "model":{"name":"motion-energy","version":"signal-1"},
 *  "processing":{"decodedAt":1700000000410,"inferredAt":1700000000412}}
 * }</pre>
 *
 * <p>Events of a model that follows people also carry {@code "people":N} (on the window's action
 * event) or {@code "person":{"track":7,"box":[xmin,ymin,xmax,ymax]}} (on each person's event, kind
 * {@code person}).
 *
 * <p>Events of a shadow version (on the shadow topic) carry {@code "shadow":true} and, when the
 * serving version gave the same window (and person) an event, {@code "serving":{"label":"speech",
 * "score":0.98,"version":"1.0.0"}}.
 */
public final class EventFormat {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventFormat() {}

    public static byte[] toJson(AnalyticsEvent e) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", e.schemaVersion);
        root.put("streamId", e.streamId);
        root.put("kind", e.kind);
        root.put("label", e.label);
        root.put("score", e.score);
        ArrayNode topK = root.putArray("topK");
        for (int i = 0; i < e.topLabels.length; i++) {
            topK.addObject().put("label", e.topLabels[i]).put("score", e.topScores[i]);
        }
        root.putObject("window").put("start", e.windowStartMs).put("end", e.windowEndMs);
        root.putObject("model").put("name", e.modelName).put("version", e.modelVersion);
        root.putObject("processing").put("decodedAt", e.decodedAtMs).put("inferredAt", e.inferredAtMs);
        if (e.people != null) {
            root.put("people", e.people);
        }
        if (e.trackId != null) {
            ObjectNode person = root.putObject("person").put("track", e.trackId);
            if (e.box != null) {
                ArrayNode box = person.putArray("box");
                for (float v : e.box) {
                    box.add(v);
                }
            }
        }
        if (e.isShadow()) {
            root.put("shadow", true);
            if (e.servingLabel != null) {
                ObjectNode serving = root.putObject("serving").put("label", e.servingLabel);
                if (e.servingScore != null) {
                    serving.put("score", e.servingScore);
                }
                serving.put("version", e.servingVersion);
            }
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads an event written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when the bytes are not an event of a known schema version
     */
    public static AnalyticsEvent fromJson(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage(), ex);
        }
        if (root == null || root.path("schema").asInt(-1) != AnalyticsEvent.SCHEMA_VERSION) {
            throw new IllegalArgumentException(
                    "not an Argus event of schema " + AnalyticsEvent.SCHEMA_VERSION + ": "
                            + new String(json, StandardCharsets.UTF_8));
        }
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = root.path("streamId").asText();
        e.kind = root.path("kind").asText();
        e.label = root.path("label").asText();
        e.score = (float) root.path("score").asDouble();
        JsonNode topK = root.path("topK");
        e.topLabels = new String[topK.size()];
        e.topScores = new float[topK.size()];
        for (int i = 0; i < topK.size(); i++) {
            e.topLabels[i] = topK.get(i).path("label").asText();
            e.topScores[i] = (float) topK.get(i).path("score").asDouble();
        }
        e.windowStartMs = root.path("window").path("start").asLong();
        e.windowEndMs = root.path("window").path("end").asLong();
        e.modelName = root.path("model").path("name").asText();
        e.modelVersion = root.path("model").path("version").asText();
        e.decodedAtMs = root.path("processing").path("decodedAt").asLong();
        e.inferredAtMs = root.path("processing").path("inferredAt").asLong();
        if (root.hasNonNull("people")) {
            e.people = root.path("people").asInt();
        }
        JsonNode person = root.path("person");
        if (person.hasNonNull("track")) {
            e.trackId = person.path("track").asInt();
            JsonNode box = person.path("box");
            if (box.isArray()) {
                e.box = new float[box.size()];
                for (int i = 0; i < box.size(); i++) {
                    e.box[i] = (float) box.get(i).asDouble();
                }
            }
        }
        if (root.path("shadow").asBoolean(false)) {
            e.shadow = true;
            JsonNode serving = root.path("serving");
            if (serving.hasNonNull("label")) {
                e.servingLabel = serving.path("label").asText();
                e.servingScore = serving.hasNonNull("score") ? (float) serving.path("score").asDouble() : null;
                e.servingVersion = serving.path("version").asText(null);
            }
        }
        return e;
    }
}
