package io.argus.models.input;

import java.util.Objects;

/**
 * A window of one audio stream as a log-mel spectrogram: {@code frames x mels} decibel values
 * in one flat array, frame-major.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class Spectrogram implements ModelInput {

    public String streamId;
    public long startMs;
    public long endMs;
    public int frames;
    public int mels;
    /** {@code frames * mels} values in dB, {@code [frame][mel]}. */
    public float[] values;
    /** Wall-clock time the newest audio of the window was decoded, for latency accounting. */
    public long decodedAtMs;

    public Spectrogram() {}

    public Spectrogram(String streamId, long startMs, long endMs, int frames, int mels, float[] values,
            long decodedAtMs) {
        if (values.length != frames * mels) {
            throw new IllegalArgumentException(values.length + " values for " + frames + "x" + mels);
        }
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.startMs = startMs;
        this.endMs = endMs;
        this.frames = frames;
        this.mels = mels;
        this.values = values;
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
