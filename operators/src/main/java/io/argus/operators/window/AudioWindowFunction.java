package io.argus.operators.window;

import io.argus.models.input.AudioWindow;
import io.argus.operators.decode.AudioChunk;
import java.util.Arrays;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Cuts each stream's audio into windows of {@code windowMs}, a new one every {@code hopMs}, so a
 * window can span several records. A gap of more than {@code maxGapMs} between chunks, or a change
 * of sample rate, starts over.
 */
public final class AudioWindowFunction extends StreamOrderFunction<AudioChunk, AudioWindow> {

    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final long hopMs;
    private final long maxGapMs;
    private transient ValueState<float[]> pending;
    private transient ValueState<Long> pendingStart;
    private transient ValueState<Integer> pendingRate;
    private transient ValueState<Long> decodedAt;

    public AudioWindowFunction(long windowMs, long hopMs, long maxGapMs, long reorderBoundMs, long idleFlushMs) {
        super(TypeInformation.of(AudioChunk.class), reorderBoundMs, idleFlushMs);
        if (windowMs < 10 || hopMs < 1 || hopMs > windowMs) {
            throw new IllegalArgumentException(
                    "audio windows need window >= 10 ms and 0 < hop <= window: " + windowMs + "/" + hopMs);
        }
        this.windowMs = windowMs;
        this.hopMs = hopMs;
        this.maxGapMs = maxGapMs;
    }

    @Override
    protected void openState() {
        pending = getRuntimeContext().getState(
                new ValueStateDescriptor<>("pending-samples", TypeInformation.of(float[].class)));
        pendingStart = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-start", Types.LONG));
        pendingRate = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-rate", Types.INT));
        decodedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("decoded-at", Types.LONG));
    }

    @Override
    protected long timestampOf(AudioChunk chunk) {
        return chunk.startMs;
    }

    @Override
    protected void onOrdered(AudioChunk chunk, Collector<AudioWindow> out) throws Exception {
        float[] samples = pending.value();
        Long start = pendingStart.value();
        Integer rate = pendingRate.value();
        if (samples != null) {
            long expected = start + Math.round(samples.length * 1000.0 / rate);
            if (rate != chunk.sampleRate || Math.abs(chunk.startMs - expected) > maxGapMs) {
                samples = null;
            }
        }
        if (samples == null) {
            samples = chunk.samples;
            start = chunk.startMs;
            rate = chunk.sampleRate;
        } else {
            float[] joined = Arrays.copyOf(samples, samples.length + chunk.samples.length);
            System.arraycopy(chunk.samples, 0, joined, samples.length, chunk.samples.length);
            samples = joined;
        }
        long newestDecode = Math.max(chunk.decodedAtMs, decodedAt.value() == null ? 0 : decodedAt.value());
        int windowSamples = (int) (windowMs * rate / 1000);
        int hopSamples = (int) (hopMs * rate / 1000);
        int offset = 0;
        while (samples.length - offset >= windowSamples) {
            float[] w = Arrays.copyOfRange(samples, offset, offset + windowSamples);
            out.collect(new AudioWindow(chunk.streamId, start + Math.round(offset * 1000.0 / rate), rate, w,
                    newestDecode));
            offset += hopSamples;
        }
        if (offset > 0) {
            start += Math.round(offset * 1000.0 / rate);
            samples = Arrays.copyOfRange(samples, offset, samples.length);
        }
        pending.update(samples);
        pendingStart.update(start);
        pendingRate.update(rate);
        decodedAt.update(newestDecode);
    }
}
