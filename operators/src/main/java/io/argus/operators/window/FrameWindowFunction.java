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
 * {@code stride} frames, after sampling the stream down to {@code targetFps}. A gap of more than
 * {@code maxGapMs} between frames starts the window over: a window never spans a gap.
 */
public final class FrameWindowFunction extends StreamOrderFunction<VideoFrame, FrameWindow> {

    private static final long serialVersionUID = 1L;

    private final WindowSpec spec;
    private transient ListState<VideoFrame> window;
    private transient ValueState<Long> nextDue;

    public FrameWindowFunction(WindowSpec spec, long reorderBoundMs, long idleFlushMs) {
        super(TypeInformation.of(VideoFrame.class), reorderBoundMs, idleFlushMs);
        this.spec = spec;
    }

    @Override
    protected void openState() {
        window = getRuntimeContext().getListState(
                new ListStateDescriptor<>("window-frames", TypeInformation.of(VideoFrame.class)));
        nextDue = getRuntimeContext().getState(new ValueStateDescriptor<>("next-due", Types.LONG));
    }

    @Override
    protected long timestampOf(VideoFrame frame) {
        return frame.timestampMs;
    }

    @Override
    protected void onOrdered(VideoFrame frame, Collector<FrameWindow> out) throws Exception {
        long period = spec.framePeriodMs();
        Long due = nextDue.value();
        List<VideoFrame> frames = new ArrayList<>();
        window.get().forEach(frames::add);
        if (!frames.isEmpty() && frame.timestampMs - frames.get(frames.size() - 1).timestampMs > spec.maxGapMs()) {
            frames.clear();
            due = null;
        }
        // sample to the target rate: keep a frame when it reaches the schedule, within a quarter period
        if (due != null && frame.timestampMs < due - period / 4) {
            return;
        }
        nextDue.update(due == null || frame.timestampMs > due + period ? frame.timestampMs + period : due + period);
        frames.add(frame);
        if (frames.size() == spec.frames()) {
            out.collect(toWindow(frames, period));
            frames = new ArrayList<>(frames.subList(spec.stride(), frames.size()));
        }
        window.update(frames);
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
