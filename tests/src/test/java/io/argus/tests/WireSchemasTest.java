package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterFormat;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.incidents.Incident;
import io.argus.connectors.incidents.IncidentFormat;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.status.IngestStatus;
import io.argus.connectors.status.ModelStatus;
import io.argus.connectors.status.StatusFormat;
import io.argus.connectors.status.StreamStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The schemas in docs/schemas against what the format classes really write, and against records
 * broken on purpose, so that a schema check in an end-to-end test can fail.
 */
class WireSchemasTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everySchemaIsADraft202012SchemaAndIsFoundByName() throws IOException {
        assertThat(WireSchemas.names()).contains(WireSchemas.EVENT, WireSchemas.STATUS, WireSchemas.DEAD_LETTER,
                WireSchemas.MEDIA_RECORD);
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (String name : WireSchemas.names()) {
            JsonNode schema = MAPPER.readTree(Files.readAllBytes(WireSchemas.dir().resolve(name + ".schema.json")));
            assertThat(schema.path("$schema").asText()).as(name).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(meta.validate(schema)).as(name).isEmpty();
        }
        assertThatThrownBy(() -> WireSchemas.assertValid("no-such-topic", "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no schema no-such-topic");
    }

    @Test
    void eventsOfEveryKindAsEventFormatWritesThemAreValid() {
        WireSchemas.assertValid(WireSchemas.EVENT, EventFormat.toJson(event(AnalyticsEvent.KIND_AUDIO)));
        AnalyticsEvent action = event(AnalyticsEvent.KIND_ACTION);
        action.people = 2;
        WireSchemas.assertValid(WireSchemas.EVENT, EventFormat.toJson(action));
        WireSchemas.assertValid(WireSchemas.EVENT, EventFormat.toJson(person()));
    }

    @Test
    void shadowEventsAndShadowStatusesAreValid() {
        AnalyticsEvent shadow = event(AnalyticsEvent.KIND_AUDIO);
        shadow.shadow = true;
        WireSchemas.assertValid(WireSchemas.EVENT, EventFormat.toJson(shadow)); // the serving version gave none
        shadow.servingLabel = "music";
        shadow.servingScore = 0.61f;
        shadow.servingVersion = "1.0.0";
        WireSchemas.assertValid(WireSchemas.EVENT, EventFormat.toJson(shadow));
        ObjectNode servingWithoutShadow = json(EventFormat.toJson(shadow));
        servingWithoutShadow.remove("shadow");
        assertThat(WireSchemas.problems(WireSchemas.EVENT, servingWithoutShadow)).isNotEmpty();
        for (String status : new String[] {ModelStatus.SHADOW, ModelStatus.SHADOW_STOPPED}) {
            ModelStatus s = new ModelStatus();
            s.kind = "audio";
            s.subtask = 0;
            s.status = status;
            s.source = "registry:audio-cnn";
            s.version = "1.1.0";
            s.serving = "1.0.0";
            s.atMs = 1_767_225_600_000L;
            WireSchemas.assertValid(WireSchemas.STATUS, StatusFormat.toJson(s));
        }
    }

    @Test
    void incidentsAsIncidentFormatWritesThemAreValidAndBrokenOnesAreNot() {
        Incident open = incident();
        WireSchemas.assertValid(WireSchemas.INCIDENT, IncidentFormat.toJson(open));
        Incident closed = incident();
        closed.status = Incident.STATUS_CLOSED;
        closed.closedBy = Incident.CLOSED_ENDED;
        closed.alongsideKind = AnalyticsEvent.KIND_AUDIO;
        closed.alongsideLabels = new String[] {"alarm"};
        closed.alongsideShares = new float[] {0.75f};
        closed.alongsidePeaks = new float[] {0.9f};
        WireSchemas.assertValid(WireSchemas.INCIDENT, IncidentFormat.toJson(closed));

        Incident closedWithoutReason = incident();
        closedWithoutReason.status = Incident.STATUS_CLOSED;
        assertThat(WireSchemas.problems(WireSchemas.INCIDENT, json(IncidentFormat.toJson(closedWithoutReason))))
                .isNotEmpty();
        ObjectNode peakTooHigh = json(IncidentFormat.toJson(open));
        peakTooHigh.put("peakScore", 1.5);
        assertThat(WireSchemas.problems(WireSchemas.INCIDENT, peakTooHigh)).singleElement().asString()
                .contains("peakScore");
        ObjectNode unknownField = json(IncidentFormat.toJson(open));
        unknownField.put("severity", "high");
        assertThat(WireSchemas.problems(WireSchemas.INCIDENT, unknownField)).isNotEmpty();
    }

    private static Incident incident() {
        Incident i = new Incident();
        i.incidentId = "cam-1/action/running/1767225600000";
        i.streamId = "cam-1";
        i.status = Incident.STATUS_OPEN;
        i.kind = AnalyticsEvent.KIND_ACTION;
        i.label = "running";
        i.startMs = 1_767_225_600_000L;
        i.endMs = 1_767_225_604_000L;
        i.peakScore = 0.93f;
        i.meanScore = 0.81f;
        i.windows = 5;
        i.modelNames = new String[] {"action-cnn-lstm"};
        i.modelVersions = new String[] {"1.0.0"};
        i.emittedAtMs = 1_767_225_605_000L;
        return i;
    }

    @Test
    void brokenEventsAreRefusedWithWhatIsWrong() {
        ObjectNode scoreTooHigh = json(EventFormat.toJson(event(AnalyticsEvent.KIND_AUDIO)));
        scoreTooHigh.put("score", 1.5);
        assertThat(WireSchemas.problems(WireSchemas.EVENT, scoreTooHigh)).singleElement().asString().contains("score");

        ObjectNode noModel = json(EventFormat.toJson(event(AnalyticsEvent.KIND_AUDIO)));
        noModel.remove("model");
        assertThatThrownBy(() -> WireSchemas.assertValid(WireSchemas.EVENT, noModel))
                .isInstanceOf(AssertionError.class).hasMessageContaining("model").hasMessageContaining("\"streamId\"");

        ObjectNode personWithoutTrack = json(EventFormat.toJson(person()));
        personWithoutTrack.remove("person");
        assertThat(WireSchemas.problems(WireSchemas.EVENT, personWithoutTrack)).isNotEmpty();

        ObjectNode unknownField = json(EventFormat.toJson(event(AnalyticsEvent.KIND_AUDIO)));
        unknownField.put("scor", 0.5);
        assertThat(WireSchemas.problems(WireSchemas.EVENT, unknownField)).isNotEmpty();

        assertThatThrownBy(() -> WireSchemas.assertValid(WireSchemas.EVENT, "{oops".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not JSON");
    }

    @Test
    void everyShapeOfStatusRecordIsValidAndAnUnknownShapeIsNot() {
        WireSchemas.assertValid(WireSchemas.STATUS, StatusFormat.toJson(ModelStatus.of("audio", 0, ModelStatus.REJECTED,
                "registry:audio-cnn", "1.2.0", "1.1.0", "bad checksum", 41)));
        WireSchemas.assertValid(WireSchemas.STATUS, StatusFormat.toJson(ModelStatus.of("action", 1, ModelStatus.SERVING,
                "registry:pose", "2.0.0", "2.0.0", null, 900)));
        WireSchemas.assertValid(WireSchemas.STATUS,
                StatusFormat.toJson(StreamStatus.clockJump("video", 1, "cam-7", 1_000_000, 11_800_000, 42)));
        WireSchemas.assertValid(WireSchemas.STATUS,
                StatusFormat.toJson(StreamStatus.released("audio", 0, "mic-2", 1_000_000, 300_004, 42)));
        for (String status : new String[] {IngestStatus.CONNECTED, IngestStatus.STALLED, IngestStatus.RECONNECTING,
                IngestStatus.STOPPED}) {
            WireSchemas.assertValid(WireSchemas.STATUS, StatusFormat.toJson(ingest(status)));
        }

        ObjectNode jumpWithoutTo = json(StatusFormat.toJson(StreamStatus.clockJump("video", 1, "cam-7", 1, 2, 42)));
        jumpWithoutTo.remove("to");
        assertThat(WireSchemas.problems(WireSchemas.STATUS, jumpWithoutTo)).isNotEmpty();
        ObjectNode unknownStatus = json(StatusFormat.toJson(StreamStatus.released("audio", 0, "mic-2", 1, 2, 42)));
        unknownStatus.put("status", "exploded");
        assertThat(WireSchemas.problems(WireSchemas.STATUS, unknownStatus)).isNotEmpty();
    }

    @Test
    void deadLettersOfEveryStageAreValidAndOneWithoutACodeIsNot() {
        MediaRecord video = MediaRecord.video("cam-9", MediaCodec.H264, "mpegts", 1000, 1000, 4, 25, new byte[] {9});
        ConsumerRecord<byte[], byte[]> decode = consumed(DeadLetterFormat.toProducerRecord("dlq",
                DeadLetter.of(video, "argus.video", 3, 1234, DeadLetterReason.UNDECODABLE, "cannot decode"), 1024));
        WireSchemas.assertValidKeyAndHeaders(WireSchemas.DEAD_LETTER, decode);
        WireSchemas.assertValidKeyAndHeaders(WireSchemas.DEAD_LETTER, consumed(DeadLetterFormat.toProducerRecord("dlq",
                DeadLetter.ofRaw("argus.audio", 0, 7, null, null, new byte[1], DeadLetterReason.MISSING_KEY,
                        "missing key"), 1024)));
        WireSchemas.assertValidKeyAndHeaders(WireSchemas.DEAD_LETTER, consumed(DeadLetterFormat.toProducerRecord("dlq",
                DeadLetter.ofWindow("mic-1", 4000, 5000, new byte[1], DeadLetterReason.NON_FINITE_SCORE, "NaN"), 1024)));

        ObjectNode noCode = WireSchemas.keyAndHeaders(decode);
        ((ObjectNode) noCode.get("headers")).remove(DeadLetterFormat.CODE);
        assertThat(WireSchemas.problems(WireSchemas.DEAD_LETTER, noCode)).singleElement().asString()
                .contains(DeadLetterFormat.CODE);
        ObjectNode decodeCodeAtIngest = WireSchemas.keyAndHeaders(decode);
        ((ObjectNode) decodeCodeAtIngest.get("headers")).put(DeadLetterFormat.STAGE, "ingest");
        assertThat(WireSchemas.problems(WireSchemas.DEAD_LETTER, decodeCodeAtIngest)).isNotEmpty();
    }

    @Test
    void mediaRecordsAsTheFormatWritesThemAreValidAndPcmInAContainerIsNot() {
        ConsumerRecord<byte[], byte[]> video = consumed(MediaRecordFormat.toProducerRecord("argus.video",
                MediaRecord.video("cam-9", MediaCodec.H264, "mpegts", 1_767_225_600_000L, 1000, 0, 29.97, new byte[1])));
        WireSchemas.assertValidKeyAndHeaders(WireSchemas.MEDIA_RECORD, video);
        ConsumerRecord<byte[], byte[]> audio = consumed(MediaRecordFormat.toProducerRecord("argus.audio",
                MediaRecord.audio("mic-1", MediaCodec.PCM_S16LE, "raw", 1_767_225_600_000L, 1000, 3, 16000, 1,
                        new byte[2])));
        WireSchemas.assertValidKeyAndHeaders(WireSchemas.MEDIA_RECORD, audio);

        ObjectNode pcmInTs = WireSchemas.keyAndHeaders(audio);
        ((ObjectNode) pcmInTs.get("headers")).put(MediaRecordFormat.CONTAINER, "mpegts");
        assertThat(WireSchemas.problems(WireSchemas.MEDIA_RECORD, pcmInTs)).isNotEmpty();
        ObjectNode badKey = WireSchemas.keyAndHeaders(video);
        badKey.put("key", "cam 9");
        assertThat(WireSchemas.problems(WireSchemas.MEDIA_RECORD, badKey)).isNotEmpty();
        ObjectNode videoWithoutRate = WireSchemas.keyAndHeaders(video);
        ((ObjectNode) videoWithoutRate.get("headers")).remove(MediaRecordFormat.FRAME_RATE);
        assertThat(WireSchemas.problems(WireSchemas.MEDIA_RECORD, videoWithoutRate)).isNotEmpty();
    }

    private static AnalyticsEvent event(String kind) {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = "cam-1";
        e.kind = kind;
        e.label = "walking";
        e.score = 0.75f;
        e.topLabels = new String[] {"walking", "idle"};
        e.topScores = new float[] {0.75f, 0.25f};
        e.windowStartMs = 1_767_225_600_000L;
        e.windowEndMs = 1_767_225_602_000L;
        e.modelName = "pose-action-lstm";
        e.modelVersion = "1.0.0";
        e.decodedAtMs = 1_795_466_217_236L;
        e.inferredAtMs = 1_795_466_217_346L;
        return e;
    }

    private static AnalyticsEvent person() {
        AnalyticsEvent e = event(AnalyticsEvent.KIND_PERSON);
        e.trackId = 7;
        e.box = new float[] {0.41f, 0.32f, 0.47f, 0.61f};
        return e;
    }

    private static IngestStatus ingest(String status) {
        IngestStatus s = new IngestStatus();
        s.status = status;
        s.streamId = "cam-3";
        s.source = "rtsp://admin:***@cam-3/stream1";
        s.sinceMs = 1000;
        s.gapMs = 4200;
        s.videoCodec = "h264";
        s.reason = status.equals(IngestStatus.CONNECTED) ? null : "Connection refused";
        s.retryInMs = 731;
        s.videoRecords = 12;
        s.atMs = 1500;
        return s;
    }

    private static ObjectNode json(byte[] bytes) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> p) {
        ConsumerRecord<byte[], byte[]> c = new ConsumerRecord<>(p.topic(), 0, 0, p.key(), p.value());
        p.headers().forEach(h -> c.headers().add(h));
        return c;
    }
}
