package io.argus.connectors.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterFormatTest {

    private static ConsumerRecord<byte[], byte[]> asConsumed(ProducerRecord<byte[], byte[]> p) {
        ConsumerRecord<byte[], byte[]> c = new ConsumerRecord<>(p.topic(), 0, 0, p.key(), p.value());
        p.headers().forEach(h -> c.headers().add(h));
        return c;
    }

    @Test
    void keepsTheOriginalRecordAndSaysWhereItCameFromAndWhy() {
        MediaRecord r = MediaRecord.video("cam-9", MediaCodec.H264, "mpegts", 1000, 1000, 4, 25, new byte[] {9, 9, 9});
        DeadLetter d = DeadLetter.of(r, "argus.video", 3, 1234, DeadLetterReason.UNDECODABLE, "cannot decode");
        ProducerRecord<byte[], byte[]> p = DeadLetterFormat.toProducerRecord("dlq", d, 1024);
        ConsumerRecord<byte[], byte[]> c = asConsumed(p);

        assertThat(new String(p.key(), StandardCharsets.UTF_8)).isEqualTo("cam-9");
        assertThat(p.value()).containsExactly(9, 9, 9);
        assertThat(DeadLetterFormat.reason(c)).isEqualTo("cannot decode");
        assertThat(DeadLetterFormat.stage(c)).isEqualTo("decode");
        assertThat(DeadLetterFormat.code(c)).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(MediaRecordFormat.header(c.headers(), DeadLetterFormat.CODE)).isEqualTo("UNDECODABLE");
        assertThat(DeadLetterFormat.source(c)).isEqualTo("argus.video/3@1234");
        assertThat(MediaRecordFormat.header(c.headers(), MediaRecordFormat.CODEC)).isEqualTo("h264");
    }

    @Test
    void aWindowRefusedAtClassifyCarriesItsStreamTimesReasonCodeAndWouldBeEvent() {
        byte[] wouldBe = "{\"score\":\"NaN\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = DeadLetter.ofWindow("mic-1", 4000, 5000, wouldBe,
                DeadLetterReason.NON_FINITE_SCORE, "audio-cnn@2.0.0 gave ... non-finite scores");
        ConsumerRecord<byte[], byte[]> c = asConsumed(DeadLetterFormat.toProducerRecord("dlq", d, 1024));

        assertThat(new String(c.key(), StandardCharsets.UTF_8)).isEqualTo("mic-1");
        assertThat(c.value()).isEqualTo(wouldBe);
        assertThat(DeadLetterFormat.stage(c)).isEqualTo("classify");
        assertThat(DeadLetterFormat.code(c)).isEqualTo(DeadLetterReason.NON_FINITE_SCORE);
        assertThat(DeadLetterFormat.window(c)).isEqualTo("4000-5000");
        assertThat(DeadLetterFormat.source(c)).isNull();
        assertThat(DeadLetterFormat.reason(c)).isEqualTo("audio-cnn@2.0.0 gave ... non-finite scores");
    }

    @Test
    void reasonsNameNoObjectIdentitiesOrAddresses() {
        DeadLetter d = DeadLetter.ofRaw("in", 0, 1, "lobby@cafe".getBytes(StandardCharsets.UTF_8), null, new byte[1],
                DeadLetterReason.UNDECODABLE, "cannot read java.io.ByteArrayInputStream@43018e8f at 0x7f3a12bc0040 "
                        + "for stream lobby@cafe");
        assertThat(d.reason).isEqualTo("cannot read java.io.ByteArrayInputStream at 0x... for stream lobby@cafe");
        assertThat(d.stage).isEqualTo("decode");
    }

    @Test
    void everyCodeHasAStageAndReadsBackFromItsName() {
        for (DeadLetterReason r : DeadLetterReason.values()) {
            assertThat(r.stage()).isIn(DeadLetter.STAGE_INGEST, DeadLetter.STAGE_DECODE, DeadLetter.STAGE_CLASSIFY);
            assertThat(DeadLetterReason.fromCode(r.name())).isSameAs(r);
        }
        assertThat(DeadLetterReason.fromCode("NOT_A_CODE")).isNull();
    }

    @Test
    void cutsLargePayloadsButRecordsTheirSize() {
        DeadLetter d = DeadLetter.ofRaw("in", 0, 1, null, null, new byte[5000], DeadLetterReason.PAYLOAD_TOO_LARGE, "too big");
        ProducerRecord<byte[], byte[]> p = DeadLetterFormat.toProducerRecord("dlq", d, 100);
        assertThat(p.key()).isNull();
        assertThat(p.value()).hasSize(100);
        assertThat(new String(p.headers().lastHeader(DeadLetterFormat.PAYLOAD_BYTES).value(), StandardCharsets.UTF_8))
                .isEqualTo("5000");
    }

    @Test
    void hugeHeadersAndReasonsAreBounded() {
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("small", new byte[10]);
        headers.add("huge", new byte[1 << 20]);
        DeadLetter d = DeadLetter.ofRaw("in", 0, 1, null, headers, new byte[1], DeadLetterReason.INVALID_HEADER, "x".repeat(5000));
        assertThat(d.headerNames).containsExactly("small");
        assertThat(d.reason).hasSize(DeadLetter.MAX_REASON_CHARS + 3);
    }
}
