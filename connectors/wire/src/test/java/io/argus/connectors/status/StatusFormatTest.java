package io.argus.connectors.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Both kinds of status record in one schema, and a reader of model reports that meets a stream report. */
class StatusFormatTest {

    @Test
    void aClockJumpRoundTripsWithItsJump() {
        StreamStatus s = StreamStatus.clockJump("video", 1, "cam-7", 1_000_000, 11_800_000, 42);
        String json = new String(StatusFormat.toJson(s), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"schema\":1,\"kind\":\"video\",\"subtask\":1,\"status\":\"clock-jump\","
                + "\"streamId\":\"cam-7\",\"from\":1000000,\"to\":11800000,\"jumpMs\":10800000,\"at\":42}");
        assertThat(StatusFormat.isStreamStatus(json.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(StatusFormat.streamStatusFromJson(json.getBytes(StandardCharsets.UTF_8)))
                .usingRecursiveComparison().isEqualTo(s);
    }

    @Test
    void aReleasedStreamRoundTrips() {
        StreamStatus s = StreamStatus.released("audio", 0, "mic-2", 1_000_000, 300_004, 42);
        byte[] json = StatusFormat.toJson(s);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"status\":\"released\"")
                .contains("\"silentMs\":300004").doesNotContain("\"to\"");
        assertThat(StatusFormat.streamStatusFromJson(json)).usingRecursiveComparison().isEqualTo(s);
    }

    @Test
    void modelReportsAreNotStreamReportsAndAReaderOfModelReportsStillParsesAStreamReport() {
        byte[] model = StatusFormat.toJson(ModelStatus.of("audio", 0, ModelStatus.REJECTED, "registry:audio-cnn",
                "1.2.0", "1.1.0", "bad checksum", 41));
        assertThat(StatusFormat.isStreamStatus(model)).isFalse();
        assertThatThrownBy(() -> StatusFormat.streamStatusFromJson(model)).hasMessageContaining("not a stream status");
        ModelStatus old = StatusFormat.fromJson(StatusFormat.toJson(
                StreamStatus.clockJump("video", 0, "cam-1", 1, 2, 3)));
        assertThat(old.status).isEqualTo(StreamStatus.CLOCK_JUMP);
        assertThat(old.version).isEmpty();
    }

    @Test
    void anIngestReportRoundTripsAndIsNeitherAStreamNorAModelReport() {
        IngestStatus s = new IngestStatus();
        s.status = IngestStatus.CONNECTED;
        s.streamId = "cam-3";
        s.source = "rtsp://admin:***@cam-3/stream1";
        s.sinceMs = 1000;
        s.gapMs = 4200;
        s.videoCodec = "h264";
        s.videoRecords = 12;
        s.audioRecords = 11;
        s.connects = 2;
        s.failures = 1;
        s.atMs = 1500;
        byte[] json = StatusFormat.toJson(s);
        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{\"schema\":1,\"kind\":\"ingest\",")
                .contains("\"gapMs\":4200").doesNotContain("retryInMs");
        assertThat(StatusFormat.isIngestStatus(json)).isTrue();
        assertThat(StatusFormat.isStreamStatus(json)).isFalse();
        assertThat(StatusFormat.ingestStatusFromJson(json)).usingRecursiveComparison().isEqualTo(s);
        assertThatThrownBy(() -> StatusFormat.ingestStatusFromJson(StatusFormat.toJson(
                StreamStatus.clockJump("video", 0, "cam-1", 1, 2, 3)))).hasMessageContaining("not an ingest status");
    }
}
