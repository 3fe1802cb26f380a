package io.argus.connectors.incidents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of {@link Incident} on the incidents topic (schema version
 * {@value Incident#SCHEMA_VERSION}); key = stream id. See {@code docs/wire-formats.md} and
 * {@code docs/schemas/incident.schema.json}.
 *
 * <pre>{@code
 * {"schema":1,"incidentId":"cam-1/action/running/1767225612000","streamId":"cam-1","status":"closed",
 *  "kind":"action","label":"running","start":1767225612000,"end":1767225617000,"durationMs":5000,
 *  "peakScore":0.99,"meanScore":0.93,"windows":4,"models":[{"name":"pose-action-lstm","version":"1.0.0"}],
 *  "tracks":[0,1],"alongside":{"kind":"audio","labels":[{"label":"alarm","share":0.78,"peakScore":0.98}]},
 *  "closedBy":"ended","emittedAt":1767225620412}
 * }</pre>
 */
public final class IncidentFormat {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IncidentFormat() {}

    public static byte[] toJson(Incident i) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", i.schemaVersion);
        root.put("incidentId", i.incidentId);
        root.put("streamId", i.streamId);
        root.put("status", i.status);
        root.put("kind", i.kind);
        root.put("label", i.label);
        root.put("start", i.startMs);
        root.put("end", i.endMs);
        root.put("durationMs", i.endMs - i.startMs);
        root.put("peakScore", i.peakScore);
        root.put("meanScore", i.meanScore);
        root.put("windows", i.windows);
        ArrayNode models = root.putArray("models");
        for (int k = 0; k < i.modelNames.length; k++) {
            models.addObject().put("name", i.modelNames[k]).put("version", i.modelVersions[k]);
        }
        if (i.tracks != null) {
            ArrayNode tracks = root.putArray("tracks");
            for (int t : i.tracks) {
                tracks.add(t);
            }
        }
        if (i.alongsideKind != null) {
            ObjectNode alongside = root.putObject("alongside").put("kind", i.alongsideKind);
            ArrayNode labels = alongside.putArray("labels");
            for (int k = 0; k < i.alongsideLabels.length; k++) {
                labels.addObject().put("label", i.alongsideLabels[k]).put("share", i.alongsideShares[k])
                        .put("peakScore", i.alongsidePeaks[k]);
            }
        }
        if (i.closedBy != null) {
            root.put("closedBy", i.closedBy);
        }
        if (i.components != null) {
            ArrayNode components = root.putArray("components");
            for (String c : i.components) {
                components.add(c);
            }
        }
        root.put("emittedAt", i.emittedAtMs);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads an incident written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when the bytes are not an incident of a known schema version
     */
    public static Incident fromJson(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage(), ex);
        }
        if (root == null || root.path("schema").asInt(-1) != Incident.SCHEMA_VERSION || !root.hasNonNull("incidentId")) {
            throw new IllegalArgumentException("not an Argus incident of schema " + Incident.SCHEMA_VERSION + ": "
                    + new String(json, StandardCharsets.UTF_8));
        }
        Incident i = new Incident();
        i.incidentId = root.path("incidentId").asText();
        i.streamId = root.path("streamId").asText();
        i.status = root.path("status").asText();
        i.kind = root.path("kind").asText();
        i.label = root.path("label").asText();
        i.startMs = root.path("start").asLong();
        i.endMs = root.path("end").asLong();
        i.peakScore = (float) root.path("peakScore").asDouble();
        i.meanScore = (float) root.path("meanScore").asDouble();
        i.windows = root.path("windows").asInt();
        JsonNode models = root.path("models");
        i.modelNames = new String[models.size()];
        i.modelVersions = new String[models.size()];
        for (int k = 0; k < models.size(); k++) {
            i.modelNames[k] = models.get(k).path("name").asText();
            i.modelVersions[k] = models.get(k).path("version").asText();
        }
        JsonNode tracks = root.path("tracks");
        if (tracks.isArray()) {
            i.tracks = new int[tracks.size()];
            for (int k = 0; k < tracks.size(); k++) {
                i.tracks[k] = tracks.get(k).asInt();
            }
        }
        JsonNode alongside = root.path("alongside");
        if (alongside.isObject()) {
            i.alongsideKind = alongside.path("kind").asText();
            JsonNode labels = alongside.path("labels");
            i.alongsideLabels = new String[labels.size()];
            i.alongsideShares = new float[labels.size()];
            i.alongsidePeaks = new float[labels.size()];
            for (int k = 0; k < labels.size(); k++) {
                i.alongsideLabels[k] = labels.get(k).path("label").asText();
                i.alongsideShares[k] = (float) labels.get(k).path("share").asDouble();
                i.alongsidePeaks[k] = (float) labels.get(k).path("peakScore").asDouble();
            }
        }
        if (root.hasNonNull("closedBy")) {
            i.closedBy = root.path("closedBy").asText();
        }
        JsonNode components = root.path("components");
        if (components.isArray()) {
            i.components = new String[components.size()];
            for (int k = 0; k < components.size(); k++) {
                i.components[k] = components.get(k).asText();
            }
        }
        i.emittedAtMs = root.path("emittedAt").asLong();
        return i;
    }
}
