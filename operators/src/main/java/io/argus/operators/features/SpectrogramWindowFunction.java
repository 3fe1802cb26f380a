package io.argus.operators.features;

import io.argus.connectors.media.MediaKind;
import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.operators.decode.AudioChunk;
import io.argus.operators.window.StreamOrderFunction;
import io.argus.operators.window.StreamTiming;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Turns each stream's audio into log-mel spectrogram windows of the spec's {@code windowMs}, a new
 * one every {@code hopMs} (rounded to whole STFT hops), so that an audio model sees overlapping
 * windows that may span several records.
 *
 * <p>Each STFT frame is computed once, as soon as its samples have arrived, and kept until no
 * window needs it, so overlapping windows cost no extra FFTs and a window holds exactly the values
 * {@link LogMelSpectrogram#compute} gives over the same contiguous samples. A segment is a run of
 * chunks that continue each other within {@code maxGapMs}; a chunk that does not starts a new
 * segment and drops what is pending (counted in {@code audioSegmentsRestarted}). Times derive from
 * sample counts since the segment's first chunk, so they do not drift by rounding.
 *
 * <p>Chunks must already be at the spec's sample rate (decode resamples them): one at another rate
 * means the job is wired wrongly, not that the record is bad, so it fails with an
 * {@link IllegalArgumentException} naming the stream rather than being silently dropped.
 *
 * <p>A window's {@code decodedAtMs} is the newest decode time of the segment's chunks so far: the
 * chunk that completed it, unless an earlier chunk was decoded later.
 *
 * <p>Per stream, keyed state holds the samples not yet in a whole frame, the mel frames still
 * needed, the segment's start time and frame counters, and is checkpointed. Ordering, clock jumps
 * and releasing streams that went away are {@link StreamOrderFunction}'s.
 */
public final class SpectrogramWindowFunction extends StreamOrderFunction<AudioChunk, Spectrogram> {

    private static final long serialVersionUID = 1L;

    private final SpectrogramSpec spec;
    private final int hopFrames;
    private final long maxGapMs;

    private transient LogMelSpectrogram logMel;
    /** Samples from the start of frame {@link #nextFrame} on; fewer than a frame between chunks. */
    private transient ValueState<float[]> pendingSamples;
    /** Mel frames computed and still needed, {@code [frame][mel]}: {@link #windowFrame} onwards. */
    private transient ValueState<float[]> pendingFrames;
    /** Capture time of the segment's first sample. */
    private transient ValueState<Long> segmentStartMs;
    /** Index since the segment's start of the next frame to compute. */
    private transient ValueState<Long> nextFrame;
    /** Index since the segment's start of the next window's first frame. */
    private transient ValueState<Long> windowFrame;
    private transient ValueState<Long> decodedAt;
    private transient Counter restarts;

    /**
     * @param spec the model's spectrogram spec; chunks must be at its sample rate
     * @param hop time between window starts, rounded to whole STFT hops (at least one)
     * @param maxGap largest mismatch between a chunk's capture time and the end of the audio
     *     before it that still counts as continuous
     * @param timing how chunks are ordered and when a stream is flushed, released or starts over
     *     (see {@link StreamOrderFunction})
     */
    public SpectrogramWindowFunction(SpectrogramSpec spec, Duration hop, Duration maxGap, StreamTiming timing) {
        super(TypeInformation.of(AudioChunk.class), MediaKind.AUDIO, timing);
        if (spec == null) {
            throw new IllegalArgumentException("spectrogram spec is required");
        }
        if (hop == null || hop.toMillis() < 1) {
            throw new IllegalArgumentException("audio-hop must be at least 1 ms: " + hop);
        }
        if (maxGap == null || maxGap.isNegative()) {
            throw new IllegalArgumentException("audio-max-gap must be zero or more: " + maxGap);
        }
        this.spec = spec;
        this.hopFrames = hopFrames(spec, hop.toMillis());
        this.maxGapMs = maxGap.toMillis();
    }

    /** STFT frames between window starts. */
    public int hopFrames() {
        return hopFrames;
    }

    /** STFT frames between the starts of windows {@code hopMs} apart: whole STFT hops, at least one. */
    public static int hopFrames(SpectrogramSpec spec, long hopMs) {
        return (int) Math.max(1, Math.round(hopMs * spec.sampleRate() / 1000.0 / spec.hop()));
    }

    @Override
    protected void openState() {
        logMel = new LogMelSpectrogram(spec);
        TypeInformation<float[]> floats = PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO;
        pendingSamples = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-samples", floats));
        pendingFrames = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-mel-frames", floats));
        segmentStartMs = getRuntimeContext().getState(new ValueStateDescriptor<>("segment-start", Types.LONG));
        nextFrame = getRuntimeContext().getState(new ValueStateDescriptor<>("next-frame", Types.LONG));
        windowFrame = getRuntimeContext().getState(new ValueStateDescriptor<>("window-frame", Types.LONG));
        decodedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("decoded-at", Types.LONG));
        restarts = getRuntimeContext().getMetricGroup().counter("audioSegmentsRestarted");
    }

    @Override
    protected void clearStreamState() {
        pendingSamples.clear();
        pendingFrames.clear();
        segmentStartMs.clear();
        nextFrame.clear();
        windowFrame.clear();
        decodedAt.clear();
    }

    @Override
    protected long timestampOf(AudioChunk chunk) {
        return chunk.startMs;
    }

    @Override
    protected long endOf(AudioChunk chunk) {
        return chunk.endMs();
    }

    @Override
    protected void onOrdered(AudioChunk chunk, Collector<Spectrogram> out) throws Exception {
        if (chunk.sampleRate != spec.sampleRate()) {
            throw new IllegalArgumentException("stream " + chunk.streamId + ": audio at " + chunk.startMs + " ms is "
                    + chunk.sampleRate + " Hz but the spectrogram spec needs " + spec.sampleRate()
                    + " Hz; decode must resample to the spec's rate");
        }
        if (!continuesSegment(chunk)) {
            startSegment(chunk.startMs);
        }
        long newestDecode = Math.max(chunk.decodedAtMs, decodedAt.value());
        decodedAt.update(newestDecode);
        addSamples(chunk.samples);
        emitWindows(chunk.streamId, newestDecode, out);
    }

    private boolean continuesSegment(AudioChunk chunk) throws Exception {
        Long start = segmentStartMs.value();
        if (start == null) {
            return false;
        }
        long expected = timeOf(start, nextFrame.value() * spec.hop() + pendingSamples.value().length);
        if (Math.abs(chunk.startMs - expected) <= maxGapMs) {
            return true;
        }
        restarts.inc();
        return false;
    }

    private void startSegment(long startMs) throws Exception {
        segmentStartMs.update(startMs);
        nextFrame.update(0L);
        windowFrame.update(0L);
        pendingSamples.update(new float[0]);
        pendingFrames.update(new float[0]);
        decodedAt.update(Long.MIN_VALUE);
    }

    /** Appends samples and computes every whole frame they complete that a window will need. */
    private void addSamples(float[] added) throws Exception {
        float[] samples = concat(pendingSamples.value(), added);
        int whole = spec.framesIn(samples.length);
        long next = nextFrame.value();
        int skip = (int) Math.min(whole, Math.max(0, windowFrame.value() - next)); // before the next window
        float[] frames = pendingFrames.value();
        int mels = spec.mels();
        float[] all = Arrays.copyOf(frames, frames.length + (whole - skip) * mels);
        for (int f = skip, at = frames.length; f < whole; f++, at += mels) {
            logMel.frame(samples, f * spec.hop(), all, at);
        }
        pendingFrames.update(all);
        pendingSamples.update(Arrays.copyOfRange(samples, whole * spec.hop(), samples.length));
        nextFrame.update(next + whole);
    }

    /** Emits every whole window the pending frames hold and drops the frames no window needs. */
    private void emitWindows(String streamId, long decodedAtMs, Collector<Spectrogram> out) throws Exception {
        float[] frames = pendingFrames.value();
        int mels = spec.mels();
        int windowValues = spec.frames() * mels;
        long first = windowFrame.value();
        long start = segmentStartMs.value();
        int offset = 0;
        while (frames.length - offset >= windowValues) {
            long windowStart = timeOf(start, first * spec.hop());
            out.collect(new Spectrogram(streamId, windowStart, windowStart + spec.windowMs(), spec.frames(), mels,
                    Arrays.copyOfRange(frames, offset, offset + windowValues), decodedAtMs));
            offset = Math.min(frames.length, offset + hopFrames * mels);
            first += hopFrames;
        }
        if (offset > 0) {
            windowFrame.update(first);
            pendingFrames.update(Arrays.copyOfRange(frames, offset, frames.length));
        }
    }

    /** Capture time of the sample {@code index} samples after a segment's start. */
    private long timeOf(long segmentStart, long index) {
        return segmentStart + Math.round(index * 1000.0 / spec.sampleRate());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
