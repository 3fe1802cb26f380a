package io.argus.models.input;

import java.util.Objects;

/**
 * T consecutive frames of one video stream, sampled at the job's target frame rate.
 *
 * <p>Pixels are unsigned bytes in one flat array laid out as {@code [T][H][W][C]} (C = 1 for
 * grey, 3 for RGB). Keeping bytes until the model's translator turns them into a tensor avoids a
 * per-pixel conversion in Java and keeps windows small in Flink state and on the wire.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class FrameWindow implements ModelInput {

    public String streamId;
    public long startMs;
    public long endMs;
    public int frames;
    public int height;
    public int width;
    public int channels;
    /** Capture time of each frame, length {@link #frames}. */
    public long[] frameTimesMs;
    /** {@code frames * height * width * channels} unsigned bytes. */
    public byte[] pixels;
    /** Wall-clock time the newest frame of the window was decoded, for latency accounting. */
    public long decodedAtMs;

    public FrameWindow() {}

    public FrameWindow(
            String streamId,
            long startMs,
            long endMs,
            int height,
            int width,
            int channels,
            long[] frameTimesMs,
            byte[] pixels,
            long decodedAtMs) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.startMs = startMs;
        this.endMs = endMs;
        this.frames = frameTimesMs.length;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.frameTimesMs = frameTimesMs;
        this.pixels = pixels;
        this.decodedAtMs = decodedAtMs;
        int expected = frames * height * width * channels;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(
                    "frame window of " + frames + "x" + height + "x" + width + "x" + channels
                            + " needs " + expected + " bytes, got " + pixels.length);
        }
    }

    /** Bytes of one frame. */
    public int frameSize() {
        return height * width * channels;
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
