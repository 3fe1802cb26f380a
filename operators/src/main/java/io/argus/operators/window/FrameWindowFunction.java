package io.argus.operators.window;

import io.argus.models.input.FrameWindow;
import io.argus.operators.decode.VideoFrame;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Groups each stream's frames into sliding windows of {@code frames} frames, advancing by
 * {@code stride} frames, after converting the stream to {@code targetFps}: frames between the
 * target rate's slots are dropped, and a slot no frame lands on repeats the latest frame (sparse
 * or variable-rate sources). A gap of more than {@code maxGapMs} between frames starts the window
 * over: a window never spans a gap.
 */
public final class FrameWindowFunction extends StreamOrderFunction<VideoFrame, FrameWindow> {

    private static final long serialVersionUID = 1L;

    private final WindowSpec spec;
    private transient ListState<VideoFrame> window;
    private transient ValueState<Long> nextDue;
    private transient ValueState<VideoFrame> lastSeen;

    public FrameWindowFunction(WindowSpec spec, long reorderBoundMs, long idleFlushMs) {
        super(TypeInformation.of(VideoFrame.class), reorderBoundMs, idleFlushMs);
        this.spec = spec;
    }

    @Override
    protected void openState() {
        window = getRuntimeContext().getListState(
                new ListStateDescriptor<>("window-frames", TypeInformation.of(VideoFrame.class)));
        nextDue = getRuntimeContext().getState(new ValueStateDescriptor<>("next-due", Types.LONG));
        lastSeen = getRuntimeContext().getState(
                new ValueStateDescriptor<>("last-seen", TypeInformation.of(VideoFrame.class)));
    }

    @Override
    protected long timestampOf(VideoFrame frame) {
        return frame.timestampMs;
    }

    @Override
    protected void onOrdered(VideoFrame frame, Collector<FrameWindow> out) throws Exception {
        long period = spec.framePeriodMs();
        List<VideoFrame> frames = new ArrayList<>();
        window.get().forEach(frames::add);
        VideoFrame previous = lastSeen.value();
        Long due = nextDue.value();
        if (previous != null && frame.timestampMs - previous.timestampMs > spec.maxGapMs()) {
            frames.clear();
            due = null;
        }
        lastSeen.update(frame);
        if (due == null) {
            due = frame.timestampMs;
        }
        // converts the stream to the target rate: each slot of the schedule takes the frame that
        // lands within a quarter period of it, or else repeats the latest frame before it
        while (frame.timestampMs >= due + period - period / 4) {
            frames = slot(frames, copyAt(previous, due), period, out);
            due += period;
        }
        if (frame.timestampMs >= due - period / 4) {
            frames = slot(frames, frame, period, out);
            due += period;
        }
        nextDue.update(due);
        window.update(frames);
    }

    /** Appends a frame to the window; emits the window when full and slides it by the stride. */
    private List<VideoFrame> slot(List<VideoFrame> frames, VideoFrame frame, long period,
            Collector<FrameWindow> out) {
        frames.add(frame);
        if (frames.size() == spec.frames()) {
            out.collect(toWindow(frames, period));
            return new ArrayList<>(frames.subList(spec.stride(), frames.size()));
        }
        return frames;
    }

    private static VideoFrame copyAt(VideoFrame f, long timestampMs) {
        return new VideoFrame(f.streamId, timestampMs, f.width, f.height, f.channels, f.pixels, f.decodedAtMs);
    }

    private static FrameWindow toWindow(List<VideoFrame> frames, long period) {
        VideoFrame first = frames.get(0);
        int frameSize = first.pixels.length;
        byte[] pixels = new byte[frameSize * frames.size()];
        long[] times = new long[frames.size()];
        long decodedAt = 0;
        for (int i = 0; i < frames.size(); i++) {
            VideoFrame f = frames.get(i);
            System.arraycopy(f.pixels, 0, pixels, i * frameSize, frameSize);
            times[i] = f.timestampMs;
            decodedAt = Math.max(decodedAt, f.decodedAtMs);
        }
        long end = times[times.length - 1] + period;
        return new FrameWindow(first.streamId, times[0], end, first.height, first.width, first.channels, times,
                pixels, decodedAt);
    }
}
