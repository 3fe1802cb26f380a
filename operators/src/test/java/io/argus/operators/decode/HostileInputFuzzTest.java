package io.argus.operators.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.kafka.IngestedRecord;
import io.argus.connectors.kafka.MediaRecordDeserializer;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.operators.testing.Media;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed records, as Kafka would deliver them, through the real deserializer and
 * the real FFmpeg decode operators: nothing may throw, every record ends as decoded media or as a
 * dead letter with a code and a reason, and good records interleaved with the bad still decode. A
 * reason is stable: the same record refused again gets the same code and the same words, with no
 * object identity or address in them, so that refusals can be grouped and counted.
 */
class HostileInputFuzzTest {

    private static final int PER_KIND = 150;
    /** Every how many records one is refused a second time, to compare the two reasons. */
    private static final int RECHECK_EVERY = 5;
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z$]\\.[A-Za-z$]+@[0-9a-f]{2,}|0x[0-9a-fA-F]{8,}");

    @Test
    void malformedRecordsNeverFailTheOperatorAndEachIsAccountedFor() throws Exception {
        SplittableRandom r = new SplittableRandom(2026);
        MediaRecord good = Media.videoSegments().get(3);
        MediaRecord pcm = Media.audioChunks().get(3);
        Map<String, Function<SplittableRandom, ProducerRecord<byte[], byte[]>>> kinds = new LinkedHashMap<>();
        kinds.put("random bytes", x -> video(bytes(x, x.nextInt(1, 20_000))));
        kinds.put("truncated segment", x -> video(Arrays.copyOf(good.payload, x.nextInt(1, good.payload.length))));
        kinds.put("bit-flipped segment", x -> video(flip(good.payload, x)));
        kinds.put("valid container, garbage payload", x -> video(garbageInsideTs(good.payload, x)));
        kinds.put("zero-length payload", x -> video(new byte[0]));
        kinds.put("forged headers", x -> forge(MediaRecordFormat.toProducerRecord("argus.video", good), x));
        kinds.put("missing headers", x -> new ProducerRecord<>("argus.video", null, 1L, "cam".getBytes(),
                good.payload, new RecordHeaders()));
        kinds.put("audio with odd sizes and rates", x -> audio(pcm, x));

        Map<String, int[]> outcome = new LinkedHashMap<>(); // kind -> {decoded, dead letters}
        Map<String, Map<DeadLetterReason, Integer>> codes = new LinkedHashMap<>();
        try (var video = org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forProcessFunction(
                new VideoDecodeFunction(64, 64, 1, DecodeLimits.DEFAULT));
                var audio = org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forProcessFunction(
                        new AudioDecodeFunction(DecodeLimits.DEFAULT, 16_000))) {
            MediaRecordDeserializer deserializer = new MediaRecordDeserializer(MediaRecordFormat.DEFAULT_MAX_PAYLOAD_BYTES);
            long offset = 0;
            int goodFramesBefore = 0;
            for (var kind : kinds.entrySet()) {
                int decoded = 0;
                int dead = 0;
                Map<DeadLetterReason, Integer> kindCodes = new EnumMap<>(DeadLetterReason.class);
                for (int i = 0; i < PER_KIND; i++) {
                    ProducerRecord<byte[], byte[]> p = kind.getValue().apply(r);
                    List<IngestedRecord> in = new ArrayList<>();
                    deserializer.deserialize(consumed(p, offset++), new ListCollector<>(in));
                    assertThat(in).hasSize(1);
                    boolean isAudio = p.topic().equals("argus.audio");
                    var h = isAudio ? audio : video;
                    int outBefore = h.extractOutputValues().size();
                    int deadBefore = deadLetters(h).size();
                    h.processElement(in.get(0), 0); // must not throw
                    boolean produced = h.extractOutputValues().size() > outBefore;
                    List<DeadLetter> newDead = deadLetters(h).subList(deadBefore, deadLetters(h).size());
                    assertThat(produced || !newDead.isEmpty()).as("%s #%d is accounted for", kind.getKey(), i).isTrue();
                    for (DeadLetter d : newDead) {
                        assertThat(d.reason).as(kind.getKey()).isNotBlank().doesNotContainPattern(IDENTITY);
                        assertThat(d.code).as("%s: code of '%s'", kind.getKey(), d.reason).isNotNull();
                        assertThat(d.stage).as(kind.getKey()).isEqualTo(d.code.stage());
                        kindCodes.merge(d.code, 1, Integer::sum);
                    }
                    if (!newDead.isEmpty() && i % RECHECK_EVERY == 0) {
                        int again = deadLetters(h).size();
                        h.processElement(in.get(0), 0);
                        List<DeadLetter> second = deadLetters(h).subList(again, deadLetters(h).size());
                        assertThat(second).as("%s #%d refused again", kind.getKey(), i)
                                .extracting(d -> d.code + ": " + d.reason)
                                .containsExactlyElementsOf(newDead.stream().map(d -> d.code + ": " + d.reason).toList());
                    }
                    decoded += produced ? 1 : 0;
                    dead += newDead.size();
                }
                // a good segment after each kind still decodes in full
                video.processElement(IngestedRecord.valid("argus.video", 0, offset++, good), 0);
                assertThat(video.extractOutputValues().size() - goodFramesBefore).isGreaterThanOrEqualTo(25);
                goodFramesBefore = video.extractOutputValues().size();
                outcome.put(kind.getKey(), new int[] {decoded, dead});
                codes.put(kind.getKey(), kindCodes);
            }
        }
        System.out.println("hostile input, " + PER_KIND + " records per kind (decoded / dead letters, by code):");
        outcome.forEach((k, v) -> System.out.printf("  %-34s %4d / %4d  %s%n", k, v[0], v[1], codes.get(k)));
        assertThat(outcome.get("random bytes")[1]).isEqualTo(PER_KIND);
        assertThat(outcome.get("zero-length payload")[1]).isEqualTo(PER_KIND);
        assertThat(outcome.get("missing headers")[1]).isEqualTo(PER_KIND);
        assertThat(codes.get("zero-length payload")).containsOnlyKeys(DeadLetterReason.EMPTY_PAYLOAD);
        assertThat(codes.get("missing headers")).containsOnlyKeys(DeadLetterReason.MISSING_HEADER);
        assertThat(codes.get("random bytes").keySet()).isSubsetOf(DeadLetterReason.UNDECODABLE,
                DeadLetterReason.NO_MEDIA_STREAM, DeadLetterReason.NO_MEDIA_DECODED);
    }

    private static List<DeadLetter> deadLetters(
            org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness<IngestedRecord, ?> h) {
        var side = h.getSideOutput(DecodeFunction.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(x -> x.getValue()).toList();
    }

    private static ProducerRecord<byte[], byte[]> video(byte[] payload) {
        ProducerRecord<byte[], byte[]> p = MediaRecordFormat.toProducerRecord("argus.video",
                MediaRecord.video("cam", MediaCodec.H264, "mpegts", Media.BASE, 1000, 0, 25, new byte[] {1}));
        return new ProducerRecord<>(p.topic(), null, p.timestamp(), p.key(), payload, p.headers());
    }

    private static ProducerRecord<byte[], byte[]> audio(MediaRecord pcm, SplittableRandom r) {
        int channels = r.nextInt(1, 9);
        int rate = r.nextInt(8000, 192_001);
        byte[] payload = Arrays.copyOf(pcm.payload, r.nextInt(0, pcm.payload.length + 1));
        return MediaRecordFormat.toProducerRecord("argus.audio", MediaRecord.audio("mic", r.nextBoolean()
                ? MediaCodec.PCM_S16LE : MediaCodec.PCM_F32LE, "raw", Media.BASE, 1000, 0, rate, channels, payload));
    }

    private static ProducerRecord<byte[], byte[]> forge(ProducerRecord<byte[], byte[]> p, SplittableRandom r) {
        String[] names = {MediaRecordFormat.FORMAT, MediaRecordFormat.KIND, MediaRecordFormat.CODEC,
            MediaRecordFormat.CONTAINER, MediaRecordFormat.CAPTURE_TIME, MediaRecordFormat.FRAME_RATE,
            MediaRecordFormat.SEQUENCE, MediaRecordFormat.DURATION};
        String[] values = {"", "-1", "9".repeat(40), "NaN", "video", "audio", "h264", "matroska", "raw", "0",
            "1e400", "\u0000", "mpegts;rm -rf /", "99999999999999999999"};
        String name = names[r.nextInt(names.length)];
        p.headers().remove(name);
        p.headers().add(name, values[r.nextInt(values.length)].getBytes());
        return p;
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> p, long offset) {
        return new ConsumerRecord<>(p.topic(), 0, offset, p.timestamp() == null ? 0 : p.timestamp(),
                TimestampType.CREATE_TIME, -1, -1, p.key(), p.value(), p.headers(), java.util.Optional.empty());
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] flip(byte[] payload, SplittableRandom r) {
        byte[] b = payload.clone();
        for (int i = 0, n = r.nextInt(1, 64); i < n; i++) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    /** Keeps MPEG-TS packet headers (every 188 bytes) and replaces what they carry with noise. */
    private static byte[] garbageInsideTs(byte[] payload, SplittableRandom r) {
        byte[] b = payload.clone();
        for (int i = 0; i < b.length; i++) {
            if (i % 188 >= 4 && i > 188 * 4) {
                b[i] = (byte) r.nextInt(256);
            }
        }
        return b;
    }
}
