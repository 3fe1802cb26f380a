package io.argus.operators.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.connectors.status.StreamStatus;
import io.argus.models.input.FrameWindow;
import io.argus.operators.decode.VideoFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * What every per-stream function inherits from {@link StreamOrderFunction}, seen through the frame
 * windower in Flink's keyed harness: streams that go quiet are released (state, timers, checkpoint
 * size and heap back to where they were), a stream that comes back afterwards starts as a new one,
 * and a clock that jumps either way starts a new run of windows and is reported.
 */
class StreamOrderFunctionTest {

    /** 4 frames per window at 10 fps, a new window every 2 frames; a gap over 1 s restarts. */
    private static final WindowSpec SPEC = new WindowSpec(4, 2, 10, 1000);
    private static final long FLUSH = 5_000;
    private static final long RELEASE = 60_000;
    private static final long JUMP = 30_000;
    private static final StreamTiming TIMING = StreamTiming.builder().reorderBound(Duration.ofMillis(200))
            .idleFlush(Duration.ofMillis(FLUSH)).idleRelease(Duration.ofMillis(RELEASE))
            .clockJump(Duration.ofMillis(JUMP)).build();
    private static final long T0 = 1_767_225_600_000L;
    private static final long HOURS_3 = 3 * 3_600_000L;
    /** Pixels per test frame: 16x16 grey. */
    private static final int PIXELS = 256;

    private static KeyedOneInputStreamOperatorTestHarness<String, VideoFrame, FrameWindow> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new FrameWindowFunction(SPEC, TIMING)), (VideoFrame f) -> f.streamId, Types.STRING);
        h.setCheckpointStorage(new JobManagerCheckpointStorage(512 << 20)); // room for 10,000 live streams
        h.setProcessingTime(0);
        h.open();
        return h;
    }

    /** {@code count} frames of a 25 fps stream from {@code from}; each frame's pixels hold {@code value + i}. */
    private static List<VideoFrame> frames(String id, long from, int count, int value) {
        List<VideoFrame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] px = new byte[PIXELS];
            Arrays.fill(px, (byte) (value + i));
            frames.add(new VideoFrame(id, from + i * 40L, 16, 16, 1, px, from + i * 40L));
        }
        return frames;
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, VideoFrame, FrameWindow> h,
            List<VideoFrame> frames) throws Exception {
        for (VideoFrame f : frames) {
            h.processElement(f, f.timestampMs);
        }
    }

    /** The windows a stream that never sent anything before gets from {@code frames}, to the end of input. */
    private static List<String> asNewStream(List<VideoFrame> frames) throws Exception {
        try (var h = harness()) {
            feed(h, frames);
            h.processWatermark(Long.MAX_VALUE);
            return describe(h.extractOutputValues());
        }
    }

    @Test
    void mediaArrivingAfterTheFinalWatermarkIsNotHeldForOrder() throws Exception {
        List<VideoFrame> frames = frames("cam", T0, 25, 0);
        List<String> atOnce = asNewStream(frames);
        try (var h = harness()) {
            // a bounded job's other source finished and this one's last records come after: the final
            // watermark has passed, no timer fires again, so what comes must not wait for order
            feed(h, frames.subList(0, 10));
            h.processWatermark(Long.MAX_VALUE);
            feed(h, frames.subList(10, 25));
            assertThat(describe(h.extractOutputValues())).isEqualTo(atOnce);
        }
    }

    /** Each window as its frame times and the value of each frame's pixels: what must match. */
    private static List<String> describe(List<FrameWindow> windows) {
        List<String> out = new ArrayList<>();
        for (FrameWindow w : windows) {
            StringBuilder b = new StringBuilder(w.streamId).append(' ').append(w.startMs).append('-').append(w.endMs);
            for (int i = 0; i < w.frameTimesMs.length; i++) {
                b.append(' ').append(w.frameTimesMs[i]).append('=').append(w.pixels[i * PIXELS]);
            }
            out.add(b.toString());
        }
        return out;
    }

    private static List<StreamStatus> statuses(KeyedOneInputStreamOperatorTestHarness<String, VideoFrame, ?> h) {
        Queue<StreamRecord<StreamStatus>> side = h.getSideOutput(StreamOrderFunction.STREAM_STATUS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void tenThousandStreamsThatGoQuietLeaveCheckpointSizeAndHeapWhereTheyWere() throws Exception {
        int streams = 10_000;
        try (var h = harness()) {
            long empty = h.snapshot(0, 0).getStateSize();
            long heapBefore = usedHeap();
            long now = 0;
            List<Long> liveSizes = new ArrayList<>();
            List<Long> quietSizes = new ArrayList<>();
            List<Long> liveHeap = new ArrayList<>();
            List<Long> quietHeap = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                // 10,000 stream ids never seen before, 1 s of frames each, plus one stream that stays live
                for (int s = 0; s < streams; s++) {
                    feed(h, frames("cam-" + round + "-" + s, T0, 25, s));
                }
                feed(h, frames("cam-live", T0 + now, 1, 0));
                h.getOutput().clear();
                liveSizes.add(h.snapshot(round * 2 + 1, now).getStateSize());
                liveHeap.add(usedHeap());
                // they go quiet: held frames are flushed after 5 s, the streams released after 60 s, while
                // cam-live sends a frame every 5 s
                for (long t = FLUSH; t <= RELEASE + FLUSH; t += FLUSH) {
                    h.setProcessingTime(now + t);
                    feed(h, frames("cam-live", T0 + now + t, 1, 0));
                    h.getOutput().clear();
                }
                now += RELEASE + FLUSH;
                assertThat(statuses(h)).as("round %d: released streams reported", round).hasSize(streams)
                        .allSatisfy(st -> {
                            assertThat(st.status).isEqualTo(StreamStatus.RELEASED);
                            assertThat(st.kind).isEqualTo("video");
                            assertThat(st.silentMs).isGreaterThanOrEqualTo(RELEASE);
                            assertThat(st.fromMs).isEqualTo(T0 + 24 * 40);
                        });
                h.getSideOutput(StreamOrderFunction.STREAM_STATUS).clear();
                quietSizes.add(h.snapshot(round * 2 + 2, now).getStateSize());
                quietHeap.add(usedHeap());
                // what is left is cam-live's: one timer per domain, a handful of state entries
                assertThat(h.numProcessingTimeTimers()).as("processing-time timers").isEqualTo(1);
                assertThat(h.numEventTimeTimers()).as("event-time timers").isEqualTo(1);
                assertThat(h.numKeyedStateEntries()).as("keyed state entries").isLessThanOrEqualTo(10);
            }
            System.out.printf("10,000 streams per round: checkpoint %d bytes empty, %s live, %s once quiet; "
                    + "heap used %d MB before, %s MB live, %s MB once quiet%n", empty, liveSizes, quietSizes,
                    heapBefore >> 20, liveHeap.stream().map(b -> b >> 20).toList(),
                    quietHeap.stream().map(b -> b >> 20).toList());

            long grown = liveSizes.get(0) - empty;
            assertThat(grown).as("checkpoint growth with 10,000 live streams").isGreaterThan(streams * 4L * PIXELS);
            for (int round = 0; round < 3; round++) {
                assertThat(quietSizes.get(round) - empty).as("round %d: checkpoint once quiet, over empty", round)
                        .isLessThan(grown / 100);
                assertThat(quietHeap.get(round) - heapBefore).as("round %d: heap once quiet, over before", round)
                        .isLessThan((liveHeap.get(0) - heapBefore) / 4);
            }
        }
    }

    @Test
    void aStreamThatComesBackAfterItsReleaseStartsAsANewStream() throws Exception {
        List<VideoFrame> before = frames("a", T0, 25, 0);
        List<VideoFrame> after = frames("a", T0, 25, 100); // same clock again: late, had it not been released
        try (var h = harness()) {
            feed(h, before);
            h.setProcessingTime(RELEASE);
            assertThat(statuses(h)).extracting(s -> s.status + " " + s.streamId).containsExactly("released a");
            assertThat(h.numKeyedStateEntries()).isZero();
            h.getOutput().clear();

            feed(h, after);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(describe(h.extractOutputValues())).isNotEmpty().isEqualTo(asNewStream(after));
        }
    }

    @Test
    void aStreamIsNotReleasedWhileItSendsNorBeforeItsHeldFramesAreFlushed() throws Exception {
        try (var h = harness()) {
            for (long t = 0; t < 3 * RELEASE; t += 1000) {
                h.setProcessingTime(t);
                feed(h, frames("a", T0 + t, 1, 0));
            }
            assertThat(statuses(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).as("one timer per stream, however many frames").isEqualTo(1);
            h.getOutput().clear();
            h.setProcessingTime(3 * RELEASE + FLUSH);
            assertThat(h.extractOutputValues()).as("held frames flushed after the idle flush").isNotEmpty();
            assertThat(statuses(h)).isEmpty();
            h.setProcessingTime(4 * RELEASE);
            assertThat(statuses(h)).hasSize(1);
        }
    }

    @Test
    void aClockThatJumpsForwardStartsANewRunAndIsReported() throws Exception {
        List<VideoFrame> first = frames("a", T0, 25, 0);
        List<VideoFrame> jumped = frames("a", T0 + HOURS_3, 25, 100);
        try (var h = harness()) {
            feed(h, first);
            feed(h, jumped);
            h.processWatermark(Long.MAX_VALUE);
            List<String> expected = new ArrayList<>(asNewStream(first));
            expected.addAll(asNewStream(jumped));
            assertThat(describe(h.extractOutputValues())).isEqualTo(expected);
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.status).isEqualTo(StreamStatus.CLOCK_JUMP);
                assertThat(s.streamId).isEqualTo("a");
                assertThat(s.fromMs).isEqualTo(T0 + 960);
                assertThat(s.toMs).isEqualTo(T0 + HOURS_3);
                assertThat(s.jumpMs()).isEqualTo(HOURS_3 - 960);
            });
        }
    }

    @Test
    void aClockThatJumpsBackStartsANewRunInsteadOfDroppingEverythingAsLate() throws Exception {
        // the glitch of issue 13: 3 h ahead, then back to the right time
        List<VideoFrame> right = frames("a", T0, 25, 0);
        List<VideoFrame> ahead = frames("a", T0 + HOURS_3, 25, 50);
        List<VideoFrame> back = frames("a", T0 + 1000, 50, 100);
        try (var h = harness()) {
            feed(h, right);
            feed(h, ahead);
            feed(h, back);
            h.processWatermark(Long.MAX_VALUE);
            List<String> expected = new ArrayList<>(asNewStream(right));
            expected.addAll(asNewStream(ahead));
            expected.addAll(asNewStream(back));
            assertThat(describe(h.extractOutputValues())).isEqualTo(expected);
            assertThat(statuses(h)).extracting(StreamStatus::jumpMs).containsExactly(HOURS_3 - 960, -(HOURS_3 + 960 - 1000));
        }
    }

    @Test
    void aStreamAwayForLongerThanTheBoundIsNoClockJump() throws Exception {
        try (var h = harness()) {
            feed(h, frames("a", T0, 25, 0));
            h.setProcessingTime(3 * JUMP / 2); // away for 45 s of processing time and of capture time
            feed(h, frames("a", T0 + 3 * JUMP / 2, 25, 0));
            assertThat(statuses(h)).isEmpty();
        }
    }

    @Test
    void lateFramesWithinTheBoundAreStillDropped() throws Exception {
        List<VideoFrame> frames = new ArrayList<>(frames("a", T0, 50, 0));
        frames.add(frames("a", T0 - 5_000, 1, 99).get(0)); // 6.9 s late: late, not a jump of the clock
        try (var h = harness()) {
            feed(h, frames);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(describe(h.extractOutputValues())).isEqualTo(asNewStream(frames.subList(0, 50)));
            assertThat(statuses(h)).isEmpty();
        }
    }

    @Test
    void timingIsValidatedNamingTheSetting() {
        assertThatThrownBy(() -> StreamTiming.builder().idleFlush(Duration.ofMinutes(10)).build())
                .hasMessageContaining("idle-release").hasMessageContaining("idle-flush");
        assertThatThrownBy(() -> StreamTiming.builder().clockJump(Duration.ofMillis(500)).build())
                .hasMessageContaining("clock-jump").hasMessageContaining("reorder-bound");
        assertThatThrownBy(() -> StreamTiming.builder().idleRelease(Duration.ZERO).build())
                .hasMessageContaining("idle-release must be positive");
    }
}
