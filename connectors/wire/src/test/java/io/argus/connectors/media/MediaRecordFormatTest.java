package io.argus.connectors.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class MediaRecordFormatTest {

    private static final int MAX = 1024;

    private static MediaRecord video() {
        return MediaRecord.video("cam-1", MediaCodec.H264, "mpegts", 1_700_000_000_000L, 1000, 7, 25.0,
                new byte[] {1, 2, 3});
    }

    private static MediaRecord audio() {
        return MediaRecord.audio("mic-1", MediaCodec.PCM_S16LE, MediaRecordFormat.RAW, 1_700_000_000_500L, 500, 3,
                16000, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    private static MediaRecord roundTrip(MediaRecord r) throws WireFormatException {
        ProducerRecord<byte[], byte[]> p = MediaRecordFormat.toProducerRecord("t", r);
        return MediaRecordFormat.parse(p.key(), p.headers(), p.value(), MAX);
    }

    private static String refusal(ProducerRecord<byte[], byte[]> p) {
        try {
            MediaRecordFormat.parse(p.key(), p.headers(), p.value(), MAX);
        } catch (WireFormatException e) {
            return e.getMessage();
        }
        throw new AssertionError("record was accepted");
    }

    private static ProducerRecord<byte[], byte[]> withHeader(MediaRecord r, String name, String value) {
        ProducerRecord<byte[], byte[]> p = MediaRecordFormat.toProducerRecord("t", r);
        Headers h = p.headers();
        h.remove(name);
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void videoRecordSurvivesTheRoundTrip() throws Exception {
        MediaRecord back = roundTrip(video());
        assertThat(back).usingRecursiveComparison().isEqualTo(video());
        ProducerRecord<byte[], byte[]> p = MediaRecordFormat.toProducerRecord("t", video());
        assertThat(new String(p.key(), StandardCharsets.UTF_8)).isEqualTo("cam-1");
        // the capture time (2023) travels in a header; the record's timestamp is left to the producer (the
        // time of sending), so that the broker's time retention does not delete footage recorded long ago
        assertThat(p.timestamp()).isNull();
        assertThat(new String(p.headers().lastHeader("argus.capture-time").value(), StandardCharsets.UTF_8))
                .isEqualTo("1700000000000");
    }

    @Test
    void audioRecordSurvivesTheRoundTrip() throws Exception {
        assertThat(roundTrip(audio())).usingRecursiveComparison().isEqualTo(audio());
    }

    @Test
    void headersAreReadableStrings() {
        Headers h = MediaRecordFormat.toProducerRecord("t", video()).headers();
        assertThat(MediaRecordFormat.header(h, MediaRecordFormat.FORMAT)).isEqualTo("1");
        assertThat(MediaRecordFormat.header(h, MediaRecordFormat.KIND)).isEqualTo("video");
        assertThat(MediaRecordFormat.header(h, MediaRecordFormat.CODEC)).isEqualTo("h264");
        assertThat(MediaRecordFormat.header(h, MediaRecordFormat.CAPTURE_TIME)).isEqualTo("1700000000000");
    }

    @Test
    void refusesEachKindOfBrokenRecordWithItsReason() {
        ProducerRecord<byte[], byte[]> good = MediaRecordFormat.toProducerRecord("t", video());
        assertThat(refusal(new ProducerRecord<>("t", null, (byte[]) null, good.value(), good.headers())))
                .contains("missing key");
        assertThat(refusal(new ProducerRecord<>("t", null, "bad id!".getBytes(), good.value(), good.headers())))
                .contains("invalid stream id");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.FORMAT, null))).isEqualTo("missing header argus.format");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.FORMAT, "9"))).contains("unsupported wire format version '9'");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.KIND, "smell"))).contains("unknown media kind 'smell'");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.CODEC, "theora")))
                .contains("unknown video codec 'theora'").contains("h264");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.CODEC, "pcm_s16le")))
                .contains("unknown video codec 'pcm_s16le'");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.CONTAINER, "raw"))).contains("only for PCM");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.CAPTURE_TIME, "yesterday")))
                .contains("argus.capture-time is not an integer");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.CAPTURE_TIME, "99999999999999999")))
                .contains("outside");
        assertThat(refusal(withHeader(video(), MediaRecordFormat.FRAME_RATE, "0"))).contains("argus.frame-rate");
        assertThat(refusal(withHeader(audio(), MediaRecordFormat.SAMPLE_RATE, "12"))).contains("argus.sample-rate");
        assertThat(refusal(withHeader(audio(), MediaRecordFormat.CHANNELS, "3"))).contains("whole number");
    }

    @Test
    void refusesEmptyAndOversizedPayloads() {
        ProducerRecord<byte[], byte[]> good = MediaRecordFormat.toProducerRecord("t", video());
        assertThat(refusal(new ProducerRecord<>("t", null, good.key(), new byte[0], good.headers())))
                .isEqualTo("empty payload");
        assertThat(refusal(new ProducerRecord<>("t", null, good.key(), new byte[MAX + 1], good.headers())))
                .isEqualTo("payload of 1025 bytes exceeds the limit of 1024");
    }

    @Test
    void pcmMustUseTheRawContainer() {
        MediaRecord r = audio();
        r.container = "wav";
        assertThatThrownBy(() -> roundTrip(r)).hasMessageContaining("PCM must use container 'raw'");
    }
}
