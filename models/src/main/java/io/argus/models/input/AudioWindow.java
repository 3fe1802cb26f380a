package io.argus.models.input;

import java.util.Objects;

/**
 * A fixed-length stretch of one audio stream as mono float samples in [-1, 1].
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class AudioWindow implements ModelInput {

    public String streamId;
    public long startMs;
    public long endMs;
    public int sampleRate;
    public float[] samples;
    /** Wall-clock time the newest chunk of the window was decoded, for latency accounting. */
    public long decodedAtMs;

    public AudioWindow() {}

    public AudioWindow(
            String streamId, long startMs, int sampleRate, float[] samples, long decodedAtMs) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.startMs = startMs;
        this.endMs = startMs + Math.round(samples.length * 1000.0 / sampleRate);
        this.sampleRate = sampleRate;
        this.samples = samples;
        this.decodedAtMs = decodedAtMs;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public long startMs() {
        return startMs;
    }

    @Override
    public long endMs() {
        return endMs;
    }

    @Override
    public long decodedAtMs() {
        return decodedAtMs;
    }
}
