package io.argus.operators.decode;

/**
 * Decoded audio of one record: mono float samples in [-1, 1] at {@link #sampleRate}.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class AudioChunk {

    public String streamId;
    /** Capture time of the first sample, epoch milliseconds. */
    public long startMs;
    public int sampleRate;
    public float[] samples;
    /** Wall-clock time the chunk was decoded. */
    public long decodedAtMs;

    public AudioChunk() {}

    public AudioChunk(String streamId, long startMs, int sampleRate, float[] samples, long decodedAtMs) {
        this.streamId = streamId;
        this.startMs = startMs;
        this.sampleRate = sampleRate;
        this.samples = samples;
        this.decodedAtMs = decodedAtMs;
    }

    /** Capture time just after the last sample. */
    public long endMs() {
        return startMs + Math.round(samples.length * 1000.0 / sampleRate);
    }
}
