package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.input.FrameWindow;
import io.argus.models.signal.MotionEnergyClassifier;
import java.util.List;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ClassifyFunctionTest {

    private static FrameWindow window(String stream, long start, byte second) {
        byte[] px = new byte[2 * 16];
        java.util.Arrays.fill(px, 16, 32, second);
        return new FrameWindow(stream, start, start + 200, 4, 4, 1, new long[] {start, start + 100}, px, start + 7);
    }

    @Test
    void emitsOneEventPerWindowNamingTheModel() throws Exception {
        var fn = new ClassifyFunction<FrameWindow>(() -> new MotionEnergyClassifier(0.01), AnalyticsEvent.KIND_ACTION, 1);
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            h.processElement(window("a", 1000, (byte) 0), 1000);
            h.processElement(window("b", 2000, (byte) 200), 2000);
            List<AnalyticsEvent> events = h.extractOutputValues();

            assertThat(events).extracting(e -> e.streamId + ":" + e.label).containsExactly("a:still", "b:motion");
            AnalyticsEvent b = events.get(1);
            assertThat(b.kind).isEqualTo("action");
            assertThat(b.windowStartMs).isEqualTo(2000);
            assertThat(b.windowEndMs).isEqualTo(2200);
            assertThat(b.topLabels).containsExactly("motion");
            assertThat(b.topScores[0]).isEqualTo(b.score).isGreaterThan(0.9f);
            assertThat(b.modelName).isEqualTo("motion-energy");
            assertThat(b.modelVersion).isEqualTo("signal-1");
            assertThat(b.decodedAtMs).isEqualTo(2007);
            assertThat(b.inferredAtMs).isGreaterThan(0);
        }
    }
}
