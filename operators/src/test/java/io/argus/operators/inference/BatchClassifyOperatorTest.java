package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.status.ModelStatus;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.FrameWindow;
import io.argus.models.signal.MotionEnergyClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batching across streams, swapping models while running, and keeping non-finite scores off the
 * events, in Flink's operator harness. Candidates load on a direct executor: a poll checks, the next
 * one swaps.
 */
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
        var h = new OneInputStreamOperatorTestHarness<>(BatchClassifyOperator.builder(
                ModelSource.fixed("test", "signal-1", RecordingClassifier::new), AnalyticsEvent.KIND_ACTION).topK(2)
                .maxBatch(maxBatch).maxWait(java.time.Duration.ofMillis(maxWait)).poll(java.time.Duration.ofSeconds(1))
                .build());
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
    /** The registry's last good versions, best first. */
    static final AtomicReference<List<String>> FALLBACKS = new AtomicReference<>(List.of());
    /** Versions recorded as refused, with the reason. */
    static final Map<String, String> REFUSED = new ConcurrentHashMap<>();
    /** The version a registry would run as a shadow, or null. */
    static final AtomicReference<String> SHADOW = new AtomicReference<>();

    /**
     * Motion energy under the version it was loaded as. Versions starting with "bad" fail their
     * checks; versions starting with "nan" pass them but give windows with motion NaN scores;
     * versions starting with "boom" pass them and then throw on every batch.
     */
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
        public List<String> fallbacks() {
            return FALLBACKS.get();
        }

        @Override
        public String shadow() {
            return SHADOW.get();
        }

        @Override
        public String refusal(String version) {
            return REFUSED.get(version);
        }

        @Override
        public void refuse(String version, String reason, String by) {
            REFUSED.put(version, reason + " (" + by + ")");
        }

        @Override
        public Classifier<FrameWindow> load(String version) throws Exception {
            if (version.startsWith("bad")) {
                throw new io.argus.models.packaging.InvalidModelPackageException("registry:test@" + version,
                        "weights.params has SHA-256 00 but the manifest says ff");
            }
            MotionEnergyClassifier inner = new MotionEnergyClassifier(0.01);
            boolean nan = version.startsWith("nan");
            boolean boom = version.startsWith("boom");
            return new Classifier<>() {
                @Override
                public ModelInfo info() {
                    return new ModelInfo("m", version, inner.info().labels());
                }

                @Override
                public List<Classification> classify(List<FrameWindow> batch) {
                    if (boom) {
                        throw new IllegalStateException("native error in forward()");
                    }
                    List<Classification> out = new ArrayList<>();
                    for (Classification c : inner.classify(batch)) {
                        out.add(nan && c.label().equals("motion")
                                ? new Classification(c.labels(), new float[] {Float.NaN, Float.NaN}) : c);
                    }
                    return out;
                }
            };
        }
    }

    private static OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> watched() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(BatchClassifyOperator.builder(new Registry(),
                AnalyticsEvent.KIND_ACTION).topK(2).maxBatch(8).maxWait(java.time.Duration.ofMinutes(1))
                .poll(java.time.Duration.ofMillis(100)).maxNonFinite(2).shadowMaxLag(java.time.Duration.ofSeconds(1))
                .loaderThreads(name -> Executors.newDirectExecutorService()).build());
    }

    @BeforeEach
    void resetRegistry() {
        FALLBACKS.set(List.of());
        REFUSED.clear();
        SHADOW.set(null);
    }

    private static List<AnalyticsEvent> shadowEvents(OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> h)
            throws Exception {
        h.prepareSnapshotPreBarrier(1);
        var out = h.getSideOutput(BatchClassifyOperator.SHADOW);
        return out == null ? List.of() : out.stream().map(r -> r.getValue()).toList();
    }

    /** Two polls: one checks the source (on the direct executor), the next acts on what it found. */
    private static List<ModelStatus> poll(OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> h)
            throws Exception {
        h.setProcessingTime(h.getProcessingTime() + 100);
        h.setProcessingTime(h.getProcessingTime() + 100);
        return statuses(h);
    }

    private static List<ModelStatus> statuses(OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> h) {
        var out = h.getSideOutput(BatchClassifyOperator.STATUS);
        return out == null ? List.of() : out.stream().map(r -> r.getValue()).toList();
    }

    private static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> h) {
        var out = h.getSideOutput(BatchClassifyOperator.DEAD_LETTERS);
        return out == null ? List.of() : out.stream().map(r -> r.getValue()).toList();
    }

    private static List<String> events(OneInputStreamOperatorTestHarness<FrameWindow, AnalyticsEvent> h) throws Exception {
        h.prepareSnapshotPreBarrier(1);
        return h.extractOutputValues().stream().map(e -> e.streamId + "@" + e.modelVersion).toList();
    }

    @Test
    void aNewVersionIsSwappedInBetweenBatchesAndARefusedOneLeavesTheOldServing() throws Exception {
        SERVING.set("1");
        try (var h = watched()) {
            h.open();
            h.processElement(window("a", 1000, (byte) 0), 1200); // pending when the new version arrives
            SERVING.set("2");
            List<ModelStatus> s = poll(h);
            assertThat(s).singleElement().satisfies(r -> {
                assertThat(r.status).isEqualTo(ModelStatus.SERVING);
                assertThat(r.version).isEqualTo("2");
                assertThat(r.serving).isEqualTo("2");
                assertThat(r.source).isEqualTo("registry:test");
                assertThat(r.kind).isEqualTo("action");
            });
            h.processElement(window("b", 2000, (byte) 0), 2200);
            assertThat(events(h)).containsExactly("a@1", "b@2");

            SERVING.set("bad-3");
            s = poll(h);
            assertThat(s.get(1).status).isEqualTo(ModelStatus.REJECTED);
            assertThat(s.get(1).version).isEqualTo("bad-3");
            assertThat(s.get(1).serving).isEqualTo("2");
            assertThat(s.get(1).reason).contains("weights.params has SHA-256");
            assertThat(REFUSED).containsKey("bad-3");
            assertThat(REFUSED.get("bad-3")).contains("subtask 0, refused when a job loaded it");
            for (int i = 0; i < 10; i++) { // polls go on; a refused version is not tried again
                poll(h);
            }
            assertThat(statuses(h)).hasSize(2);
            h.processElement(window("c", 3000, (byte) 0), 3200);
            assertThat(events(h)).containsExactly("a@1", "b@2", "c@2");
        }
    }

    @Test
    void theVersionServingSurvivesARestoreFromACheckpoint() throws Exception {
        SERVING.set("1");
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = watched()) {
            h.open();
            SERVING.set("2");
            poll(h);
            snapshot = h.snapshot(1, 1);
        }
        SERVING.set("3"); // promoted while the job was down: the restored job starts with 2, then moves on
        try (var h = watched()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(window("a", 1000, (byte) 0), 1200);
            assertThat(events(h)).containsExactly("a@2");
            assertThat(poll(h).get(0).version).isEqualTo("3");
        }
    }

    @Test
    void nonFiniteScoresNeverBecomeEventsAndTheLastGoodVersionTakesOverAtTheLimit() throws Exception {
        SERVING.set("1");
        try (var h = watched()) {
            h.open();
            SERVING.set("nan-2"); // passes its checks, misbehaves on windows with motion
            assertThat(poll(h)).extracting(r -> r.status + " " + r.version).containsExactly("serving nan-2");
            h.processElement(window("still", 1000, (byte) 0), 1200);
            h.processElement(window("moving", 1000, (byte) 200), 1200);
            assertThat(events(h)).as("the moving window, classified again by the last good version")
                    .containsExactly("still@nan-2", "moving@1");
            assertThat(deadLetters(h)).singleElement().satisfies(d -> {
                assertThat(d.stage).isEqualTo(DeadLetter.STAGE_CLASSIFY);
                assertThat(d.code).isEqualTo(DeadLetterReason.NON_FINITE_SCORE);
                assertThat(d.streamId).isEqualTo("moving");
                assertThat(d.windowStartMs).isEqualTo(1000);
                assertThat(d.reason).isEqualTo("m@nan-2 gave the action window 1000-1200 of stream moving non-finite "
                        + "scores: motion=NaN still=NaN");
                assertThat(new String(d.payload, java.nio.charset.StandardCharsets.UTF_8))
                        .contains("\"label\":\"motion\"", "\"score\":\"NaN\"", "\"version\":\"nan-2\"");
            });
            assertThat(statuses(h)).extracting(r -> r.status + " " + r.version)
                    .containsExactly("serving nan-2", "non-finite nan-2");

            h.processElement(window("moving", 2000, (byte) 200), 2200); // the second: the limit
            h.processElement(window("moving", 3000, (byte) 200), 3200); // same batch: rescued too
            assertThat(events(h)).containsExactly("still@nan-2", "moving@1", "moving@1", "moving@1");
            h.processElement(window("still", 4000, (byte) 0), 4200);
            h.processElement(window("moving", 4000, (byte) 200), 4200);
            assertThat(events(h)).containsExactly("still@nan-2", "moving@1", "moving@1", "moving@1", "still@1",
                    "moving@1");
            assertThat(deadLetters(h)).hasSize(3);
            ModelStatus reverted = statuses(h).get(2);
            assertThat(reverted.status).isEqualTo(ModelStatus.REVERTED);
            assertThat(reverted.version).isEqualTo("nan-2");
            assertThat(reverted.serving).isEqualTo("1");
            assertThat(reverted.reason).startsWith("gave 3 windows non-finite scores (limit 2, --model-max-non-finite)");
            assertThat(REFUSED.get("nan-2")).contains("subtask 0, refused while serving");

            poll(h); // the source still names nan-2: refused, so 1 keeps serving
            assertThat(statuses(h)).hasSize(3);
        }
    }

    @Test
    void withoutAVersionToFallBackOnTheWindowsAreDeadLetteredUntilTheLastGoodOneIsLoaded() throws Exception {
        SERVING.set("nan-2");
        FALLBACKS.set(List.of("1"));
        try (var h = watched()) {
            h.open(); // starts with the bad version: nothing loaded to fall back on
            h.processElement(window("moving", 1000, (byte) 200), 1200);
            h.processElement(window("moving", 2000, (byte) 200), 2200);
            assertThat(events(h)).isEmpty();
            assertThat(deadLetters(h)).hasSize(2);
            assertThat(REFUSED).containsKey("nan-2");
            assertThat(poll(h)).extracting(r -> r.status + " " + r.version + " -> " + r.serving)
                    .containsExactly("non-finite nan-2 -> nan-2", "reverted nan-2 -> 1");
            h.processElement(window("moving", 3000, (byte) 200), 3200);
            assertThat(events(h)).containsExactly("moving@1");
        }
    }

    @Test
    void aVersionRefusedBeforeIsPassedOverForTheLastGoodOneAtStartAndWhenAnotherInstanceRefusesIt()
            throws Exception {
        SERVING.set("nan-2");
        FALLBACKS.set(List.of("1"));
        REFUSED.put("nan-2", "gave 3 windows non-finite scores");
        try (var h = watched()) {
            h.open();
            h.processElement(window("a", 1000, (byte) 0), 1200);
            assertThat(events(h)).containsExactly("a@1");
            assertThat(poll(h)).singleElement().satisfies(r -> {
                assertThat(r.status).isEqualTo(ModelStatus.REJECTED);
                assertThat(r.version).isEqualTo("nan-2");
                assertThat(r.serving).isEqualTo("1");
                assertThat(r.reason).isEqualTo("refused before: gave 3 windows non-finite scores");
            });

            SERVING.set("3");
            FALLBACKS.set(List.of("1"));
            assertThat(poll(h).get(1).version).isEqualTo("3");
            REFUSED.put("3", "refused elsewhere");
            assertThat(poll(h).get(2)).satisfies(r -> {
                assertThat(r.status).isEqualTo(ModelStatus.REVERTED);
                assertThat(r.version).isEqualTo("3");
                assertThat(r.serving).isEqualTo("1");
            });
        }
    }

    @Test
    void aCandidateLoadedForAVersionTheOperatorHasSinceLeftByItselfIsDropped() throws Exception {
        SERVING.set("1");
        FALLBACKS.set(List.of("1"));
        try (var h = watched()) {
            h.open();
            SERVING.set("nan-2");
            poll(h);
            REFUSED.put("nan-2", "refused by another instance");
            h.setProcessingTime(h.getProcessingTime() + 100); // checks: loads 1 to replace nan-2
            h.processElement(window("moving", 1000, (byte) 200), 1200);
            h.processElement(window("moving", 2000, (byte) 200), 2200);
            assertThat(events(h)).containsExactly("moving@1", "moving@1"); // the limit: back on 1 by itself
            poll(h); // the candidate loaded for nan-2's replacement is stale: dropped
            h.processElement(window("still", 3000, (byte) 0), 3200);
            assertThat(events(h)).containsExactly("moving@1", "moving@1", "still@1");
            assertThat(statuses(h)).extracting(r -> r.status + " " + r.version + " -> " + r.serving)
                    .containsExactly("serving nan-2 -> nan-2", "non-finite nan-2 -> nan-2", "reverted nan-2 -> 1");
            SERVING.set("3");
            assertThat(poll(h).get(3).version).as("1 was not taken for refused").isEqualTo("3");
        }
    }

    @Test
    void aShadowClassifiesTheSameWindowsAndItsEventsCarryTheServingDecisionWhileServingIsUnchanged()
            throws Exception {
        SERVING.set("1");
        SHADOW.set("2"); // named before the job starts: loaded in open()
        try (var h = watched()) {
            h.open();
            h.processElement(window("still", 1000, (byte) 0), 1200);
            h.processElement(window("moving", 1000, (byte) 200), 1200);
            assertThat(events(h)).containsExactly("still@1", "moving@1");
            List<AnalyticsEvent> served = h.extractOutputValues();
            assertThat(shadowEvents(h)).hasSize(2).allSatisfy(e -> {
                assertThat(e.isShadow()).isTrue();
                assertThat(e.modelVersion).isEqualTo("2");
                assertThat(e.servingVersion).isEqualTo("1");
                AnalyticsEvent same = served.stream().filter(x -> x.streamId.equals(e.streamId)).findFirst().orElseThrow();
                assertThat(e.servingLabel).isEqualTo(same.label);
                assertThat(e.servingScore).isEqualTo(same.score);
                assertThat(e.windowStartMs).isEqualTo(same.windowStartMs);
            });
            assertThat(served).allSatisfy(e -> assertThat(e.isShadow()).isFalse());
            assertThat(poll(h)).extracting(r -> r.status + " " + r.version + " -> " + r.serving)
                    .containsExactly("shadow 2 -> 1");

            SHADOW.set("3"); // another shadow mid-stream: checked and swapped in like a candidate
            assertThat(poll(h)).extracting(r -> r.status + " " + r.version).containsExactly("shadow 2",
                    "shadow-stopped 2", "shadow 3");
            h.processElement(window("later", 2000, (byte) 0), 2200);
            assertThat(shadowEvents(h)).extracting(e -> e.streamId + "@" + e.modelVersion)
                    .containsExactly("still@2", "moving@2", "later@3");

            SHADOW.set(null);
            assertThat(poll(h)).last().satisfies(r -> {
                assertThat(r.status).isEqualTo(ModelStatus.SHADOW_STOPPED);
                assertThat(r.version).isEqualTo("3");
            });
            h.processElement(window("after", 3000, (byte) 0), 3200);
            assertThat(events(h)).containsExactly("still@1", "moving@1", "later@1", "after@1");
            assertThat(shadowEvents(h)).hasSize(3);
        }
    }

    @Test
    void aShadowSkipsBatchesWhenTheOperatorIsBehindAndOneThatFailsIsStoppedWithoutTouchingServing()
            throws Exception {
        SERVING.set("1");
        SHADOW.set("2");
        try (var h = watched()) {
            h.open();
            h.setProcessingTime(1000 + 7 + 1500); // the window was decoded 1.5 s ago; the bound is 1 s
            h.processElement(window("late", 1000, (byte) 0), 1200);
            h.processElement(window("fresh", 2400, (byte) 0), 2600);
            assertThat(events(h)).containsExactly("late@1", "fresh@1");
            assertThat(shadowEvents(h)).as("the whole batch is skipped").isEmpty();
            h.processElement(window("fresh", 2500, (byte) 0), 2700);
            assertThat(shadowEvents(h)).extracting(e -> e.streamId + "@" + e.modelVersion).containsExactly("fresh@2");

            SHADOW.set("boom-3");
            poll(h);
            h.processElement(window("a", 2500, (byte) 200), 2700);
            assertThat(events(h)).as("serving goes on through the shadow's failure")
                    .containsExactly("late@1", "fresh@1", "fresh@1", "a@1");
            assertThat(statuses(h)).last().satisfies(r -> {
                assertThat(r.status).isEqualTo(ModelStatus.SHADOW_STOPPED);
                assertThat(r.version).isEqualTo("boom-3");
                assertThat(r.reason).contains("failed: native error in forward()");
            });
            int reports = statuses(h).size();
            for (int i = 0; i < 5; i++) { // a shadow that failed is not loaded again in this run
                poll(h);
            }
            assertThat(statuses(h)).hasSize(reports);
        }
    }

    @Test
    void aShadowIsCheckedLikeACandidateAndPromotingItEndsTheShadow() throws Exception {
        SERVING.set("1");
        try (var h = watched()) {
            h.open();
            SHADOW.set("bad-2");
            assertThat(poll(h)).singleElement().satisfies(r -> {
                assertThat(r.status).isEqualTo(ModelStatus.REJECTED);
                assertThat(r.reason).startsWith("as a shadow: ").contains("weights.params has SHA-256");
                assertThat(r.serving).isEqualTo("1");
            });
            assertThat(REFUSED.get("bad-2")).contains("refused as a shadow when a job loaded it");

            SHADOW.set("3");
            poll(h);
            SERVING.set("3"); // promoted: the registry names it no longer as a shadow either
            SHADOW.set(null);
            h.processElement(window("a", 1000, (byte) 0), 1200);
            assertThat(poll(h)).extracting(r -> r.status + " " + r.version).containsSubsequence("shadow 3",
                    "serving 3", "shadow-stopped 3");
            h.processElement(window("b", 1000, (byte) 0), 1200);
            assertThat(events(h)).containsExactly("a@1", "b@3");
            assertThat(shadowEvents(h)).extracting(e -> e.streamId + "@" + e.modelVersion + " beside "
                    + e.servingVersion).containsExactly("a@3 beside 1");
        }
    }

    @Test
    void swappingTheServingVersionWhileAShadowRunsKeepsTheShadowAndEveryWindowOnceInEach() throws Exception {
        SERVING.set("1");
        SHADOW.set("9");
        try (var h = watched()) {
            h.open();
            h.processElement(window("a", 1000, (byte) 0), 1200); // pending when 3 arrives: 1's, with 9 beside it
            SERVING.set("3");
            assertThat(poll(h)).extracting(r -> r.status + " " + r.version).containsExactly("shadow 9", "serving 3");
            h.processElement(window("b", 2000, (byte) 200), 2200);
            assertThat(events(h)).containsExactly("a@1", "b@3");
            assertThat(shadowEvents(h)).extracting(e -> e.streamId + "@" + e.modelVersion + " beside "
                    + e.servingVersion).containsExactly("a@9 beside 1", "b@9 beside 3");
        }
    }

    @Test
    void theOperatorsSettingsAreCheckedAndTheBadOneNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BatchClassifyOperator.builder(new Registry(),
                AnalyticsEvent.KIND_ACTION).maxNonFinite(0).build())
                .hasMessage("classify operator: model-max-non-finite is 0, need at least 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BatchClassifyOperator.builder(new Registry(),
                AnalyticsEvent.KIND_ACTION).shadowMaxLag(java.time.Duration.ZERO).build())
                .hasMessage("classify operator: shadow-max-lag is PT0S, need at least 1 ms");
    }
}
