package io.argus.operators.window;

import io.argus.connectors.media.MediaKind;
import io.argus.models.pose.PoseFrame;
import io.argus.models.pose.PoseWindow;
import io.argus.models.pose.PoseWindower;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * Follows the people of each stream and cuts their tracks into windows (see {@link PoseWindower},
 * whose whole state this function keeps per stream in checkpointed keyed state, so track ids
 * survive a restart). Ordering, clock jumps and releasing streams that went away are
 * {@link StreamOrderFunction}'s; a released or restarted stream's people get new track ids.
 */
public final class PoseWindowFunction extends StreamOrderFunction<PoseFrame, PoseWindow> {

    private static final long serialVersionUID = 1L;

    private final PoseWindower.Spec spec;
    private transient ValueState<byte[]> windower;

    public PoseWindowFunction(PoseWindower.Spec spec, StreamTiming timing) {
        super(TypeInformation.of(PoseFrame.class), MediaKind.VIDEO, timing);
        if (spec == null) {
            throw new IllegalArgumentException("pose window spec is required");
        }
        this.spec = spec;
    }

    @Override
    protected void openState() {
        windower = getRuntimeContext().getState(
                new ValueStateDescriptor<>("pose-windower", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    protected void clearStreamState() {
        windower.clear();
    }

    @Override
    protected long timestampOf(PoseFrame frame) {
        return frame.timestampMs;
    }

    @Override
    protected void onOrdered(PoseFrame frame, Collector<PoseWindow> out) throws Exception {
        byte[] saved = windower.value();
        PoseWindower w = saved == null ? new PoseWindower(spec) : PoseWindower.fromBytes(spec, saved);
        w.add(frame, out::collect);
        windower.update(w.toBytes());
    }
}
