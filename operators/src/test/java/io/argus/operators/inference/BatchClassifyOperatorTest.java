package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.status.ModelStatus;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.FrameWindow;
import io.argus.models.signal.MotionEnergyClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batching across streams, and swapping models while running, in Flink's operator harness. */
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
                ModelSource.fixed("test", "signal-1", RecordingClassifier::new), AnalyticsEvent.KIND_ACTION, 2,
                maxBatch, maxWait, 1000));
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

    /** The version a registry would serve; the test moves it. */
    static final AtomicReference<String> SERVING = new AtomicReference<>();

    /** Motion energy under the version it was loaded as; versions starting with "bad" fail their checks. */
    static final class Registry implements ModelSource<FrameWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public String describe() {
            return "registry:test";
        }

        @Override
        public boolean watched() {
            return true;
        }

        @Override
        public String serving() {
            return SERVING.get();
        }

        @Override
        public Classifier<FrameWindow> load(String version) throws Exception {
            if (version.startsWith("bad")) {
                throw new java.io.IOException("model package " + version + ": weights.params has SHA-256 00 but the "
                        + "manifest says ff");
            }
            MotionEnergyClassifier inner = new MotionEnergyClassifier(0.01);
            return new Classifier<>() {
                @Override
                public ModelInfo info() {
                    return new ModelInfo("m", version, inner.info().labels());
                }

                @Override
                public List<Classification> classify(List<FrameWindow> batch) {
                    return inner.classify(batch);
                }
            };
        }
    }

    private static OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> watched() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new BatchClassifyOperator<FrameWindow>(new Registry(),
                AnalyticsEvent.KIND_ACTION, 2, 8, 60_000, 100));
    }

    /** Advances processing time poll by poll until {@code n} status reports are out (the loader is a thread). */
    private static List<ModelStatus> awaitStatus(OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> h,
            int n) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (statuses(h).size() < n && System.nanoTime() < deadline) {
            h.setProcessingTime(h.getProcessingTime() + 100);
            Thread.sleep(5);
        }
        return statuses(h);
    }

    private static List<ModelStatus> statuses(OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> h) {
        var out = h.getSideOutput(BatchClassifyOperator.STATUS);
        return out == null ? List.of() : out.stream().map(r -> r.getValue()).toList();
    }

    @Test
    void aNewVersionIsSwappedInBetweenBatchesAndARefusedOneLeavesTheOldServing() throws Exception {
        SERVING.set("1");
        try (var h = watched()) {
            h.open();
            h.processElement(window("a", 1000, (byte) 0), 1200); // pending when the new version arrives
            SERVING.set("2");
            List<ModelStatus> s = awaitStatus(h, 1);
            assertThat(s).singleElement().satisfies(r -> {
                assertThat(r.status).isEqualTo(ModelStatus.SERVING);
                assertThat(r.version).isEqualTo("2");
                assertThat(r.serving).isEqualTo("2");
                assertThat(r.source).isEqualTo("registry:test");
                assertThat(r.kind).isEqualTo("action");
            });
            h.processElement(window("b", 2000, (byte) 0), 2200);
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.extractOutputValues()).extracting(e -> e.streamId + "@" + e.modelVersion)
                    .containsExactly("a@1", "b@2");

            SERVING.set("bad-3");
            s = awaitStatus(h, 2);
            assertThat(s.get(1).status).isEqualTo(ModelStatus.REJECTED);
            assertThat(s.get(1).version).isEqualTo("bad-3");
            assertThat(s.get(1).serving).isEqualTo("2");
            assertThat(s.get(1).reason).contains("weights.params has SHA-256");
            for (int i = 0; i < 20; i++) { // polls go on; a refused version is not tried again
                h.setProcessingTime(h.getProcessingTime() + 100);
                Thread.sleep(2);
            }
            assertThat(statuses(h)).hasSize(2);
            h.processElement(window("c", 3000, (byte) 0), 3200);
            h.prepareSnapshotPreBarrier(2);
            assertThat(h.extractOutputValues()).extracting(e -> e.streamId + "@" + e.modelVersion)
                    .containsExactly("a@1", "b@2", "c@2");
        }
    }

    @Test
    void theVersionServingSurvivesARestoreFromACheckpoint() throws Exception {
        SERVING.set("1");
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = watched()) {
            h.open();
            SERVING.set("2");
            awaitStatus(h, 1);
            snapshot = h.snapshot(1, 1);
        }
        SERVING.set("3"); // promoted while the job was down: the restored job starts with 2, then moves on
        try (var h = watched()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(window("a", 1000, (byte) 0), 1200);
            h.prepareSnapshotPreBarrier(2);
            assertThat(h.extractOutputValues()).extracting(e -> e.modelVersion).containsExactly("2");
            assertThat(awaitStatus(h, 1).get(0).version).isEqualTo("3");
        }
    }
}
