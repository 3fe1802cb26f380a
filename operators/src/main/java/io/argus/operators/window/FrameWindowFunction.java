package io.argus.operators.window;

import io.argus.connectors.media.MediaKind;
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
 * {@code stride} frames, after converting the stream to {@code targetFps} (see
 * {@link FrameWindower}, whose state this function keeps in checkpointed keyed state). Ordering,
 * clock jumps and releasing streams that went away are {@link StreamOrderFunction}'s.
 */
public final class FrameWindowFunction extends StreamOrderFunction<VideoFrame, FrameWindow> {

    private static final long serialVersionUID = 1L;

    private final WindowSpec spec;
    private transient ListState<VideoFrame> window;
    private transient ValueState<Long> nextDue;
    private transient ValueState<VideoFrame> lastSeen;

    public FrameWindowFunction(WindowSpec spec, StreamTiming timing) {
        super(TypeInformation.of(VideoFrame.class), MediaKind.VIDEO, timing);
        if (spec == null) {
            throw new IllegalArgumentException("window spec is required");
        }
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
    protected void clearStreamState() {
        window.clear();
        nextDue.clear();
        lastSeen.clear();
    }

    @Override
    protected long timestampOf(VideoFrame frame) {
        return frame.timestampMs;
    }

    @Override
    protected void onOrdered(VideoFrame frame, Collector<FrameWindow> out) throws Exception {
        List<VideoFrame> frames = new ArrayList<>();
        window.get().forEach(frames::add);
        FrameWindower windower = new FrameWindower(spec, frames, nextDue.value(), lastSeen.value());
        windower.add(frame, out::collect);
        window.update(windower.window());
        nextDue.update(windower.nextDue());
        lastSeen.update(windower.lastSeen());
    }
}
