package io.argus.operators.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.pose.Keypoint;
import io.argus.models.pose.PoseFrame;
import io.argus.models.pose.PoseWindow;
import io.argus.models.pose.PoseWindower;
import io.argus.models.pose.Poses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Following people per stream in Flink's keyed harness, with a snapshot and restore in the middle. */
class PoseWindowFunctionTest {

    /** 4 slots at 5 fps, a new window every 2 slots. */
    private static final PoseWindower.Spec SPEC = new PoseWindower.Spec(4, 5, 2, 2000, 0.25f, 2, 0.2f, 1000);

    private static final StreamTiming TIMING = StreamTiming.builder().reorderBound(Duration.ofMillis(200))
            .idleFlush(Duration.ofSeconds(5)).build();

    private static KeyedOneInputStreamOperatorTestHarness<String, PoseFrame, PoseWindow> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PoseWindowFunction(SPEC, TIMING)), f -> f.streamId, Types.STRING);
        h.open();
        return h;
    }

    /** One person whose box starts at x and is 0.1 wide, 0.3 tall. */
    private static float[] person(float x) {
        float[] p = new float[Poses.STRIDE];
        for (int k = 0; k < Keypoint.COUNT; k++) {
            p[k * 3] = 0.2f + 0.3f * k / Keypoint.COUNT;
            p[k * 3 + 1] = x + 0.05f;
            p[k * 3 + 2] = 0.8f;
        }
        p[Poses.BOX] = 0.2f;
        p[Poses.BOX + 1] = x;
        p[Poses.BOX + 2] = 0.5f;
        p[Poses.BOX + 3] = x + 0.1f;
        p[Poses.SCORE] = 0.7f;
        return p;
    }

    private static PoseFrame frame(String stream, int i, float x) {
        return new PoseFrame(stream, 200L * i, 4f / 3, person(x + 0.02f * i), 0);
    }

    @Test
    void eachStreamKeepsItsOwnTracksAcrossASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        List<PoseWindow> out = new ArrayList<>();
        try (var h = harness()) {
            for (int i = 0; i < 5; i++) {
                h.processElement(frame("a", i, 0.1f), 200L * i);
                h.processElement(frame("b", i, 0.6f), 200L * i);
            }
            snapshot = h.snapshot(1, 1);
            out.addAll(h.extractOutputValues());
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PoseWindowFunction(SPEC, TIMING)), (PoseFrame f) -> f.streamId,
                Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            for (int i = 5; i < 8; i++) {
                h.processElement(frame("a", i, 0.1f), 200L * i);
                h.processElement(frame("b", i, 0.6f), 200L * i);
            }
            h.processWatermark(Long.MAX_VALUE);
            out.addAll(h.extractOutputValues());
        }
        // windows of slots 0-3, 2-5, 4-7 per stream; the same person keeps track 0 in each stream
        assertThat(out.stream().filter(w -> w.streamId.equals("a")).map(w -> w.startMs).toList())
                .containsExactly(0L, 400L, 800L);
        assertThat(out.stream().filter(w -> w.streamId.equals("b")).map(w -> w.startMs).toList())
                .containsExactly(0L, 400L, 800L);
        for (PoseWindow w : out) {
            assertThat(w.trackIds).containsExactly(0);
            assertThat(w.track(0).presentCount()).isEqualTo(4);
        }
        PoseWindow last = out.get(out.size() - 1);
        float x = last.track(0).poses()[3 * Poses.STRIDE + Poses.BOX + 1];
        assertThat(x).isEqualTo((last.streamId.equals("a") ? 0.1f : 0.6f) + 0.02f * 7);
    }
}
