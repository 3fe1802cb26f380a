package io.argus.operators.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.input.FrameWindow;
import io.argus.operators.decode.VideoFrame;
import io.argus.operators.testing.Media;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Frame windowing in Flink's keyed harness, with state snapshots. */
class FrameWindowFunctionTest {

    /** 4 frames per window at 10 fps, a new window every 2 frames. */
    private static final WindowSpec SPEC = new WindowSpec(4, 2, 10, 1000);
    /** Reorder bound 200 ms, idle flush 5 s. */
    private static final StreamTiming TIMING = StreamTiming.builder().reorderBound(Duration.ofMillis(200))
            .idleFlush(Duration.ofSeconds(5)).build();

    private static KeyedOneInputStreamOperatorTestHarness<String, VideoFrame, FrameWindow> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FrameWindowFunction(SPEC, TIMING)), f -> f.streamId, Types.STRING);
        h.open();
        return h;
    }

    /** Frames of a 25 fps stream; each frame's pixels hold its index. */
    private static List<VideoFrame> stream(String id, long from, int count) {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(Media.frame(id, from + i * 40L, i));
        }
        return frames;
    }

    private static List<List<Long>> frameTimes(List<FrameWindow> windows) {
        return windows.stream().map(w -> java.util.Arrays.stream(w.frameTimesMs).boxed().toList()).toList();
    }

    private static List<FrameWindow> run(List<VideoFrame> frames) throws Exception {
        try (var h = harness()) {
            for (VideoFrame f : frames) {
                h.processElement(f, f.timestampMs);
            }
            h.processWatermark(Long.MAX_VALUE);
            return h.extractOutputValues();
        }
    }

    @Test
    void samplesToTheTargetRateAndSlidesByTheStride() throws Exception {
        List<FrameWindow> windows = run(stream("a", 0, 25)); // 0..960 ms at 25 fps
        // 10 fps from 25 fps keeps 0, 80, 200, 280, 400, 480, 600, 680, 800, 880 (within a quarter period)
        assertThat(frameTimes(windows)).containsExactly(
                List.of(0L, 80L, 200L, 280L),
                List.of(200L, 280L, 400L, 480L),
                List.of(400L, 480L, 600L, 680L),
                List.of(600L, 680L, 800L, 880L));
        FrameWindow w = windows.get(0);
        assertThat(w.startMs).isEqualTo(0);
        assertThat(w.endMs).isEqualTo(380);
        assertThat(w.pixels).hasSize(4 * 16);
        assertThat(w.pixels[16]).isEqualTo((byte) 2); // second kept frame is frame #2 (80 ms)
    }

    @Test
    void outOfOrderFramesWithinTheBoundGiveTheSameWindows() throws Exception {
        List<VideoFrame> frames = stream("a", 0, 25);
        List<VideoFrame> shuffled = new ArrayList<>();
        for (int i = 0; i < frames.size(); i += 4) { // reverse each group of 4 (160 ms < 200 ms bound)
            List<VideoFrame> group = new ArrayList<>(frames.subList(i, Math.min(i + 4, frames.size())));
            Collections.reverse(group);
            shuffled.addAll(group);
        }
        assertThat(frameTimes(run(shuffled))).isEqualTo(frameTimes(run(frames)));
    }

    @Test
    void lateFramesAreDroppedNotWindowed() throws Exception {
        List<VideoFrame> frames = new ArrayList<>(stream("a", 0, 25));
        frames.add(20, Media.frame("a", 40, 99)); // 40 ms arrives after 760 ms: beyond the bound
        assertThat(frameTimes(run(frames))).isEqualTo(frameTimes(run(stream("a", 0, 25))));
    }

    @Test
    void streamsAreWindowedIndependentlyWithTheirOwnClocks() throws Exception {
        List<VideoFrame> interleaved = new ArrayList<>();
        List<VideoFrame> a = stream("a", 0, 25);
        List<VideoFrame> b = stream("b", 1_000_000, 25); // a camera whose clock is 1000 s ahead
        for (int i = 0; i < 25; i++) {
            interleaved.add(a.get(i));
            interleaved.add(b.get(i));
        }
        List<FrameWindow> windows = run(interleaved);
        assertThat(windows).filteredOn(w -> w.streamId.equals("a")).hasSize(4);
        assertThat(windows).filteredOn(w -> w.streamId.equals("b")).hasSize(4);
    }

    @Test
    void aGapRestartsTheWindows() throws Exception {
        List<VideoFrame> frames = new ArrayList<>(stream("a", 0, 10)); // 0..360 ms: 4 kept frames
        frames.addAll(stream("a", 5000, 10)); // after a 4.6 s gap
        List<FrameWindow> windows = run(frames);
        assertThat(windows).allSatisfy(w -> assertThat(w.endMs - w.startMs).isLessThan(1000));
        assertThat(frameTimes(windows)).containsExactly(List.of(0L, 80L, 200L, 280L), List.of(5000L, 5080L, 5200L, 5280L));
    }

    @Test
    void windowsContinueAcrossASnapshotAndRestore() throws Exception {
        List<VideoFrame> frames = stream("a", 0, 25);
        OperatorSubtaskState snapshot;
        List<FrameWindow> before;
        try (var h = harness()) {
            for (VideoFrame f : frames.subList(0, 12)) {
                h.processElement(f, f.timestampMs);
            }
            snapshot = h.snapshot(1, 1);
            before = new ArrayList<>(h.extractOutputValues());
        }
        List<FrameWindow> after;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FrameWindowFunction(SPEC, TIMING)), (VideoFrame f) -> f.streamId,
                Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            for (VideoFrame f : frames.subList(12, 25)) {
                h.processElement(f, f.timestampMs);
            }
            h.processWatermark(Long.MAX_VALUE);
            after = h.extractOutputValues();
        }
        List<FrameWindow> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(frameTimes(all)).isEqualTo(frameTimes(run(frames)));
    }

    @Test
    void aSilentStreamIsFlushedAfterTheIdleTime() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            for (VideoFrame f : stream("a", 0, 10)) { // the last 200 ms are held back by the reorder bound
                h.processElement(f, f.timestampMs);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(5001);
            assertThat(frameTimes(h.extractOutputValues())).containsExactly(List.of(0L, 80L, 200L, 280L));
        }
    }

    @Test
    void aSparseStreamIsFilledUpToTheTargetRateByRepeatingFrames() throws Exception {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            frames.add(Media.frame("a", i * 250L, i)); // 4 fps, below the 10 fps target
        }
        List<FrameWindow> windows = run(frames);
        // a frame takes the slot it lands on or follows by less than 3/4 of a period (250 -> 200);
        // a slot no frame takes repeats the latest frame, stamped with the slot's time (100, 300)
        assertThat(frameTimes(windows)).containsExactly(
                List.of(0L, 100L, 250L, 300L), List.of(250L, 300L, 400L, 500L), List.of(400L, 500L, 600L, 750L),
                List.of(600L, 750L, 800L, 900L));
        FrameWindow first = windows.get(0);
        assertThat(new byte[] {first.pixels[0], first.pixels[16], first.pixels[32], first.pixels[48]})
                .containsExactly(0, 0, 1, 1);
    }
}
