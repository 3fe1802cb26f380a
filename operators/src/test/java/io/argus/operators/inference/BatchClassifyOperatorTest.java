package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.FrameWindow;
import io.argus.models.signal.MotionEnergyClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batching across streams in Flink's operator harness. */
class BatchClassifyOperatorTest {

    /** Batch sizes the classifier saw, across the (serialised) operator copies of one test. */
    static final List<Integer> BATCHES = new CopyOnWriteArrayList<>();

    /** Motion energy, recording the size of every batch it is given. */
    static final class RecordingClassifier implements Classifier<FrameWindow> {
        private final MotionEnergyClassifier inner = new MotionEnergyClassifier(0.01);

        @Override
        public ModelInfo info() {
            return inner.info();
        }

        @Override
        public List<Classification> classify(List<FrameWindow> batch) {
            BATCHES.add(batch.size());
            return inner.classify(batch);
        }
    }

    private static FrameWindow window(String stream, long start, byte second) {
        byte[] px = new byte[2 * 16];
        java.util.Arrays.fill(px, 16, 32, second);
        return new FrameWindow(stream, start, start + 200, 4, 4, 1, new long[] {start, start + 100}, px, start + 7);
    }

    private static OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> harness(int maxBatch, long maxWait)
            throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new BatchClassifyOperator<FrameWindow>(
                RecordingClassifier::new, AnalyticsEvent.KIND_ACTION, 2, maxBatch, maxWait));
        h.open();
        return h;
    }

    @BeforeEach
    void reset() {
        BATCHES.clear();
    }

    @Test
    void aFullBatchRunsAtOnceAndEveryWindowGetsItsEvent() throws Exception {
        try (var h = harness(3, 1000)) {
            h.processElement(window("a", 1000, (byte) 0), 1200);
            h.processElement(window("b", 2000, (byte) 200), 2200);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement(window("c", 3000, (byte) 0), 3200);

            List<AnalyticsEvent> events = h.extractOutputValues();
            assertThat(BATCHES).containsExactly(3);
            assertThat(events).extracting(e -> e.streamId + ":" + e.label).containsExactly("a:still", "b:motion", "c:still");
            AnalyticsEvent b = events.get(1);
            assertThat(b.kind).isEqualTo("action");
            assertThat(b.windowStartMs).isEqualTo(2000);
            assertThat(b.windowEndMs).isEqualTo(2200);
            assertThat(b.topLabels).containsExactly("motion", "still");
            assertThat(b.topScores[0]).isEqualTo(b.score).isGreaterThan(0.9f);
            assertThat(b.modelName).isEqualTo("motion-energy");
            assertThat(b.modelVersion).isEqualTo("signal-1");
            assertThat(b.decodedAtMs).isEqualTo(2007);
            assertThat(new ArrayList<>(h.getOutput())).hasSize(3);
        }
    }

    @Test
    void aPartialBatchRunsWhenItsOldestWindowHasWaitedLongEnough() throws Exception {
        try (var h = harness(8, 50)) {
            h.setProcessingTime(100);
            h.processElement(window("a", 1000, (byte) 0), 1200);
            h.setProcessingTime(149);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(150);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(BATCHES).containsExactly(1);
        }
    }

    @Test
    void nothingIsHeldAcrossACheckpointOrAWatermark() throws Exception {
        try (var h = harness(8, 60_000)) {
            h.processElement(window("a", 1000, (byte) 0), 1200);
            h.processElement(window("b", 1000, (byte) 0), 1200);
            h.prepareSnapshotPreBarrier(1); // what the task does before it takes a snapshot
            h.snapshot(1, 1);
            assertThat(h.extractOutputValues()).hasSize(2);
            h.processElement(window("c", 1000, (byte) 0), 1200);
            h.processWatermark(new Watermark(5000));
            assertThat(h.extractOutputValues()).hasSize(3);
            // the event precedes the watermark in the output
            List<Object> output = new ArrayList<>(h.getOutput());
            assertThat(output.get(output.size() - 1)).isInstanceOf(Watermark.class);
            assertThat(BATCHES).containsExactly(2, 1);
        }
    }
}
