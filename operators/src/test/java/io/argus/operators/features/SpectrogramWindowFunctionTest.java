package io.argus.operators.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.operators.decode.AudioChunk;
import io.argus.connectors.status.StreamStatus;
import io.argus.operators.window.StreamOrderFunction;
import io.argus.operators.window.StreamTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spectrogram windower in Flink's harness, checked against the spectrogram of contiguous audio. */
class SpectrogramWindowFunctionTest {

    private static final SpectrogramSpec SPEC = SpectrogramSpec.defaults();
    private static final int RATE = SPEC.sampleRate();
    private static final int CHUNK = RATE * 37 / 100; // 0.37 s: chunks never line up with frames or windows
    private static final long T0 = 1_767_225_600_000L;

    /** Noise with a drifting tone: every frame differs. */
    private static float[] audio(double seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[(int) (seconds * RATE)];
        for (int i = 0; i < s.length; i++) {
            double f = 300 + 2000.0 * i / s.length;
            s[i] = (float) (0.4 * Math.sin(2 * Math.PI * f * i / RATE) + 0.1 * (r.nextDouble() * 2 - 1));
        }
        return s;
    }

    /** The audio cut into chunks of {@code size} samples, the first captured at {@code startMs}. */
    private static List<AudioChunk> chunks(float[] audio, long startMs, int size) {
        List<AudioChunk> out = new ArrayList<>();
        for (int at = 0; at < audio.length; at += size) {
            long ts = startMs + at * 1000L / RATE;
            out.add(new AudioChunk("mic", ts, RATE, Arrays.copyOfRange(audio, at, Math.min(audio.length, at + size)),
                    ts + 50));
        }
        return out;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, Spectrogram> harness(long hopMs)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function(hopMs, 1000)),
                (AudioChunk c) -> c.streamId, Types.STRING);
    }

    private static List<Spectrogram> run(long hopMs, List<AudioChunk> chunks) throws Exception {
        try (var h = harness(hopMs)) {
            h.open();
            for (AudioChunk c : chunks) {
                h.processElement(c, c.startMs);
            }
            h.processWatermark(Long.MAX_VALUE);
            return h.extractOutputValues();
        }
    }

    /** Asserts windows every {@code hopSamples} from {@code startMs}, equal to the spectrogram of {@code audio}. */
    private static void assertWindowsOf(List<Spectrogram> windows, float[] audio, long startMs, int hopSamples) {
        LogMelSpectrogram logMel = new LogMelSpectrogram(SPEC);
        int expected = 1 + (SPEC.framesIn(audio.length) - SPEC.frames()) / (hopSamples / SPEC.hop());
        assertThat(windows).hasSize(expected);
        for (int k = 0; k < expected; k++) {
            Spectrogram w = windows.get(k);
            long start = startMs + Math.round(k * hopSamples * 1000.0 / RATE);
            assertThat(w.startMs).as("window %d start", k).isEqualTo(start);
            assertThat(w.endMs).isEqualTo(start + SPEC.windowMs());
            assertThat(w.frames).isEqualTo(SPEC.frames());
            assertThat(w.mels).isEqualTo(SPEC.mels());
            assertThat(w.values).as("window %d", k)
                    .containsExactly(logMel.compute(audio, k * hopSamples, SPEC.windowSamples()));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {10, 250, 1000})
    void windowsAcrossOddChunksEqualTheSpectrogramOfContiguousAudio(long hopMs) throws Exception {
        float[] audio = audio(4.0, 1);
        List<Spectrogram> windows = run(hopMs, chunks(audio, T0, CHUNK));
        int hopFrames = function(hopMs, 1000).hopFrames();
        assertThat(hopFrames * SPEC.hop()).isEqualTo(hopMs * RATE / 1000);
        assertWindowsOf(windows, audio, T0, hopFrames * SPEC.hop());
        assertThat(windows).allSatisfy(w -> assertThat(w.streamId).isEqualTo("mic"));
    }

    @Test
    void windowsCarryTheNewestDecodeTimeOfTheirAudio() throws Exception {
        List<AudioChunk> chunks = chunks(audio(2.0, 1), T0, CHUNK);
        List<Spectrogram> windows = run(500, chunks);
        // the first window (0-1 s) is complete with the third chunk (0.74-1.11 s)
        assertThat(windows.get(0).decodedAtMs).isEqualTo(chunks.get(2).decodedAtMs);
    }

    @Test
    void outOfOrderChunksGiveTheSameWindows() throws Exception {
        List<AudioChunk> inOrder = chunks(audio(4.0, 2), T0, CHUNK);
        List<AudioChunk> shuffled = new ArrayList<>(inOrder);
        for (int i = 0; i + 1 < shuffled.size(); i += 2) {
            shuffled.set(i, inOrder.get(i + 1));
            shuffled.set(i + 1, inOrder.get(i));
        }
        List<Spectrogram> a = run(250, inOrder);
        assertThat(a).hasSize(13);
        assertThat(run(250, shuffled)).usingRecursiveComparison().ignoringFields("decodedAtMs").isEqualTo(a);
    }

    @Test
    void chunksArrivingInOrderAreNotHeldForTheReorderBound() throws Exception {
        float[] audio = audio(3.0, 7);
        List<AudioChunk> chunks = chunks(audio, T0, RATE / 2); // six chunks of 500 ms, in order
        List<Integer> inOrder = windowsAfterEachChunk(chunks, true);
        List<Integer> held = windowsAfterEachChunk(chunks, false);
        // the first chunk of a stream waits for the bound (1 s of newer audio); after it, each chunk completes
        // a window (1 s, every 500 ms) that leaves at once
        assertThat(inOrder).containsExactly(0, 0, 2, 3, 4, 5);
        // held for the bound, each window waits until 1 s of newer audio has come
        assertThat(held).containsExactly(0, 0, 0, 1, 2, 3);
    }

    @Test
    void inOrderReleaseGivesTheWindowsOfTheHoldWhetherChunksArriveInOrderOrNot() throws Exception {
        float[] audio = audio(4.0, 8);
        List<AudioChunk> inOrder = chunks(audio, T0, RATE / 2);
        List<AudioChunk> swapped = new ArrayList<>(inOrder);
        swapped.set(3, inOrder.get(4));
        swapped.set(4, inOrder.get(3));
        swapped.set(6, inOrder.get(7)); // a chunk that arrives after its successor is still sorted
        swapped.set(7, inOrder.get(6));
        for (List<AudioChunk> arrival : List.of(inOrder, swapped)) {
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                    function(500, 1000, true)), (AudioChunk c) -> c.streamId, Types.STRING)) {
                h.open();
                for (AudioChunk c : arrival) {
                    h.processElement(c, c.startMs);
                }
                h.processWatermark(Long.MAX_VALUE);
                assertWindowsOf(h.extractOutputValues(), audio, T0, RATE / 2);
            }
        }
    }

    /** How many windows have left the windower after each chunk, with in-order release on or off. */
    private static List<Integer> windowsAfterEachChunk(List<AudioChunk> chunks, boolean inOrderRelease)
            throws Exception {
        List<Integer> counts = new ArrayList<>();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                function(500, 1000, inOrderRelease)), (AudioChunk c) -> c.streamId, Types.STRING)) {
            h.open();
            for (AudioChunk c : chunks) {
                h.processElement(c, c.startMs);
                counts.add(h.extractOutputValues().size());
            }
        }
        return counts;
    }

    @Test
    void captureTimeJitterWithinTheGapKeepsSampleExactTimes() throws Exception {
        float[] audio = audio(3.0, 3);
        List<AudioChunk> chunks = chunks(audio, T0, CHUNK);
        for (int i = 1; i < chunks.size(); i++) {
            chunks.get(i).startMs += i % 2 == 0 ? 3 : -2; // camera clocks wobble by a few ms
        }
        assertWindowsOf(run(250, chunks), audio, T0, 4000);
    }

    @Test
    void aGapLongerThanTheMaxGapStartsOver() throws Exception {
        float[] first = audio(2.0, 4);
        float[] second = audio(2.5, 5);
        long resumeMs = T0 + 5000;
        List<AudioChunk> chunks = new ArrayList<>(chunks(first, T0, CHUNK));
        chunks.addAll(chunks(second, resumeMs, CHUNK));
        List<Spectrogram> windows = run(500, chunks);
        assertThat(windows).extracting(w -> w.startMs - T0).containsExactly(0L, 500L, 1000L, 5000L, 5500L, 6000L,
                6500L);
        assertWindowsOf(windows.subList(0, 3), first, T0, 8000);
        assertWindowsOf(windows.subList(3, 7), second, resumeMs, 8000);
    }

    @Test
    void aStreamThatComesBackAfterItsReleaseStartsAsANewStream() throws Exception {
        float[] before = audio(2.0, 7);
        float[] after = audio(2.5, 8);
        try (var h = harness(500)) {
            h.setProcessingTime(0);
            h.open();
            for (AudioChunk c : chunks(before, T0, CHUNK)) {
                h.processElement(c, c.startMs);
            }
            h.setProcessingTime(Duration.ofMinutes(5).toMillis()); // the default idle release
            assertThat(h.getSideOutput(StreamOrderFunction.STREAM_STATUS)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().status).isEqualTo(StreamStatus.RELEASED));
            assertThat(h.numKeyedStateEntries()).isZero();
            h.getOutput().clear();
            for (AudioChunk c : chunks(after, T0, CHUNK)) { // the same clock again: late, were it not released
                h.processElement(c, c.startMs);
            }
            h.processWatermark(Long.MAX_VALUE);
            assertWindowsOf(h.extractOutputValues(), after, T0, 8000);
        }
    }

    @Test
    void aClockThatJumpsBackStartsANewRunOfWindows() throws Exception {
        float[] first = audio(2.0, 9);
        float[] second = audio(2.5, 10);
        long back = T0 - Duration.ofMinutes(10).toMillis();
        List<AudioChunk> chunks = new ArrayList<>(chunks(first, T0, CHUNK));
        chunks.addAll(chunks(second, back, CHUNK));
        try (var h = harness(500)) {
            h.open();
            for (AudioChunk c : chunks) {
                h.processElement(c, c.startMs);
            }
            h.processWatermark(Long.MAX_VALUE);
            List<Spectrogram> windows = h.extractOutputValues();
            assertThat(windows).hasSize(3 + 4);
            assertWindowsOf(windows.subList(0, 3), first, T0, 8000);
            assertWindowsOf(windows.subList(3, 7), second, back, 8000);
            assertThat(h.getSideOutput(StreamOrderFunction.STREAM_STATUS)).singleElement().satisfies(r -> {
                StreamStatus s = r.getValue();
                assertThat(s.status).isEqualTo(StreamStatus.CLOCK_JUMP);
                assertThat(s.kind).isEqualTo("audio");
                assertThat(s.toMs).isEqualTo(back);
                assertThat(s.jumpMs()).isLessThan(-Duration.ofMinutes(10).toMillis());
            });
        }
    }

    @Test
    void restoredStateContinuesLikeAnUninterruptedRun() throws Exception {
        List<AudioChunk> chunks = chunks(audio(5.0, 6), T0, CHUNK);
        List<Spectrogram> uninterrupted = run(250, chunks);
        int cut = 6; // mid-window, with chunks still held for reordering
        List<Spectrogram> restored = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(250)) {
            h.open();
            for (AudioChunk c : chunks.subList(0, cut)) {
                h.processElement(c, c.startMs);
            }
            snapshot = h.snapshot(0, 0);
            restored.addAll(h.extractOutputValues());
        }
        try (var h2 = harness(250)) {
            h2.initializeState(snapshot);
            h2.open();
            for (AudioChunk c : chunks.subList(cut, chunks.size())) {
                h2.processElement(c, c.startMs);
            }
            h2.processWatermark(Long.MAX_VALUE);
            restored.addAll(h2.extractOutputValues());
        }
        assertThat(uninterrupted).hasSize(17);
        assertThat(restored).usingRecursiveComparison().isEqualTo(uninterrupted);
    }

    @Test
    void aToneLandsInItsMelBand() throws Exception {
        float[] tone = new float[2 * RATE];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / RATE));
        }
        Spectrogram w = run(1000, chunks(tone, T0, CHUNK)).get(0);
        int frame = SPEC.frames() / 2;
        int loudest = 0;
        for (int m = 1; m < w.mels; m++) {
            if (w.values[frame * w.mels + m] > w.values[frame * w.mels + loudest]) {
                loudest = m;
            }
        }
        assertThat(new LogMelSpectrogram(SPEC).centreHz(loudest)).isCloseTo(1000, within(120.0));
    }

    @Test
    void audioAtAnotherRateIsAWiringErrorNamingTheStream() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function(250, 0)),
                (AudioChunk c) -> c.streamId, Types.STRING)) {
            h.open();
            AudioChunk c = new AudioChunk("door-mic", T0, 44_100, new float[4410], T0);
            assertThatThrownBy(() -> h.processElement(c, c.startMs))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("door-mic")
                    .hasMessageContaining("44100 Hz")
                    .hasMessageContaining("resample");
        }
    }

    @Test
    void settingsAreValidated() {
        StreamTiming timing = StreamTiming.builder().build();
        assertThatThrownBy(() -> new SpectrogramWindowFunction(SPEC, Duration.ZERO, Duration.ofMillis(100), timing))
                .hasMessageContaining("audio-hop");
        assertThatThrownBy(() -> new SpectrogramWindowFunction(SPEC, Duration.ofMillis(250), Duration.ofMillis(-1),
                timing)).hasMessageContaining("audio-max-gap");
        assertThatThrownBy(() -> new SpectrogramWindowFunction(null, Duration.ofMillis(250), Duration.ofMillis(100),
                timing)).hasMessageContaining("spec");
        assertThatThrownBy(() -> StreamTiming.builder().reorderBound(Duration.ofMillis(-1)).build())
                .hasMessageContaining("reorder-bound");
    }

    /** The windower with a hop, a max gap of 100 ms, a reorder bound, an idle flush of 5 s and in-order release. */
    private static SpectrogramWindowFunction function(long hopMs, long reorderBoundMs) {
        return function(hopMs, reorderBoundMs, true);
    }

    private static SpectrogramWindowFunction function(long hopMs, long reorderBoundMs, boolean inOrderRelease) {
        return new SpectrogramWindowFunction(SPEC, Duration.ofMillis(hopMs), Duration.ofMillis(100),
                StreamTiming.builder().reorderBound(Duration.ofMillis(reorderBoundMs)).idleFlush(Duration.ofSeconds(5))
                        .inOrderRelease(inOrderRelease).build());
    }
}
