package io.argus.operators.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.kafka.IngestedRecord;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.operators.testing.Media;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The decode operator in Flink's harness: good records become frames, bad ones dead letters. */
class DecodeFunctionTest {

    private static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<IngestedRecord, ?> h) {
        var side = h.getSideOutput(DecodeFunction.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void goodAndBadRecordsInterleavedEachGoWhereTheyBelong() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(
                new VideoDecodeFunction(32, 32, 1, DecodeLimits.DEFAULT))) {
            MediaRecord good = Media.videoSegments().get(0);
            MediaRecord corrupt = MediaRecord.video("cam", MediaCodec.H264, "mpegts", Media.BASE, 1000, 1, 25,
                    new byte[] {0x47, 1, 2, 3});
            MediaRecord audio = Media.audioChunks().get(0);
            DeadLetter malformed = DeadLetter.ofRaw("topic", 0, 2, null, null, new byte[] {1}, DeadLetterReason.MISSING_KEY,
                    "missing key: the key must be the stream id");

            h.processElement(Media.ingested(good, 0), 0);
            h.processElement(Media.ingested(corrupt, 1), 0);
            h.processElement(IngestedRecord.refused(malformed), 0);
            h.processElement(Media.ingested(audio, 3), 0);
            h.processElement(Media.ingested(good, 4), 0);

            assertThat(h.extractOutputValues()).hasSize(50);
            List<DeadLetter> dead = deadLetters(h);
            assertThat(dead).extracting(d -> d.sourceOffset).containsExactly(1L, 2L, 3L);
            assertThat(dead.get(0).stage).isEqualTo("decode");
            assertThat(dead.get(0).reason).contains("h264/mpegts").doesNotContain("ByteArrayInputStream");
            assertThat(dead).extracting(d -> d.code).containsExactly(DeadLetterReason.UNDECODABLE,
                    DeadLetterReason.MISSING_KEY, DeadLetterReason.WRONG_TOPIC);
            assertThat(dead.get(0).streamId).isEqualTo("cam");
            assertThat(dead.get(1).reason).contains("missing key");
            assertThat(dead.get(2).reason).isEqualTo("audio record on the video topic topic");
        }
    }

    @Test
    void framesForAPoseModelAreSampledPerStreamAndLetterboxed() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(
                VideoDecodeFunction.forPoses(64, 64, 5, DecodeLimits.DEFAULT))) {
            for (int i = 0; i < 3; i++) {
                h.processElement(Media.ingested(Media.videoSegments().get(i), i), 0);
            }
            List<VideoFrame> frames = h.extractOutputValues();
            // 25 fps in, one frame per 200 ms of capture time out, across segment boundaries
            assertThat(frames).extracting(f -> f.timestampMs - Media.BASE).containsExactly(0L, 200L, 400L, 600L,
                    800L, 1000L, 1200L, 1400L, 1600L, 1800L, 2000L, 2200L, 2400L, 2600L, 2800L);
            assertThat(frames).allSatisfy(f -> {
                assertThat(f.channels).isEqualTo(3);
                assertThat(f.contentWidth).isEqualTo(64);
                assertThat(f.contentHeight).isEqualTo(48);
            });
        }
    }

    @Test
    void aDecoderRestoredMidStreamSamplesTheFramesTheUndisturbedOneSampled() throws Exception {
        // 1.5 fps: slots of 667 ms, so the fourth segment (at 3 s) starts inside a slot that the
        // third one's last frames opened
        List<Long> undisturbed = sampled(1.5, 0, 4);
        List<Long> restored = sampled(1.5, 3, 4); // a new instance, as after a restore, from the fourth segment
        assertThat(undisturbed).containsExactly(0L, 680L, 1360L, 2000L, 2680L, 3360L);
        assertThat(restored).isEqualTo(undisturbed.stream().filter(t -> t >= 3000).toList());
    }

    @Test
    void slotsOfARateThatDoesNotDivideASecondDoNotDrift() throws Exception {
        // 25 fps in, 3 slots a second from each whole second: the first frame at or after 0, 333 and 667 ms
        assertThat(sampled(3, 0, 4)).containsExactly(0L, 360L, 680L, 1000L, 1360L, 1680L, 2000L, 2360L, 2680L,
                3000L, 3360L, 3680L);
    }

    /** The times (from the clip's start) of the frames kept at {@code fps} of segments {@code from} to {@code to} (exclusive). */
    private static List<Long> sampled(double fps, int from, int to) throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(
                VideoDecodeFunction.forPoses(64, 64, fps, DecodeLimits.DEFAULT))) {
            for (int i = from; i < to; i++) {
                h.processElement(Media.ingested(Media.videoSegments().get(i), i), 0);
            }
            return h.extractOutputValues().stream().map(f -> f.timestampMs - Media.BASE).toList();
        }
    }

    @Test
    void audioRecordsBecomeChunks() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new AudioDecodeFunction(DecodeLimits.DEFAULT, 16_000))) {
            for (int i = 0; i < 4; i++) {
                h.processElement(Media.ingested(Media.audioChunks().get(i), i), 0);
            }
            List<AudioChunk> chunks = h.extractOutputValues();
            assertThat(chunks).extracting(c -> c.startMs - Media.BASE).containsExactly(0L, 1000L, 2000L, 3000L);
            assertThat(chunks).allSatisfy(c -> assertThat(c.samples).hasSize(16000));
            assertThat(deadLetters(h)).isEmpty();
        }
    }
}
