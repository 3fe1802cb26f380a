package io.argus.operators.decode;

/**
 * One decoded frame, already scaled to the job's frame size and pixel layout by FFmpeg:
 * {@code height * width * channels} unsigned bytes, row-major, channels interleaved (grey or RGB).
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class VideoFrame {

    public String streamId;
    /** Capture time of the frame, epoch milliseconds. */
    public long timestampMs;
    public int width;
    public int height;
    public int channels;
    public byte[] pixels;
    /** Wall-clock time the frame was decoded. */
    public long decodedAtMs;
    /**
     * Where the camera's picture lies in the frame: its top-left {@code contentWidth x contentHeight}
     * pixels (the whole frame, unless the decoder kept the picture's shape and padded the rest).
     */
    public int contentWidth;
    public int contentHeight;
    /** Width over height of the camera's picture as it is meant to be shown. */
    public float aspect;

    public VideoFrame() {}

    public VideoFrame(String streamId, long timestampMs, int width, int height, int channels, byte[] pixels,
            long decodedAtMs) {
        this.streamId = streamId;
        this.timestampMs = timestampMs;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = pixels;
        this.decodedAtMs = decodedAtMs;
        this.contentWidth = width;
        this.contentHeight = height;
        this.aspect = (float) width / height;
    }

    /** The same frame at another capture time (a slot that repeats it). */
    public VideoFrame at(long newTimestampMs) {
        VideoFrame f = new VideoFrame(streamId, newTimestampMs, width, height, channels, pixels, decodedAtMs);
        f.contentWidth = contentWidth;
        f.contentHeight = contentHeight;
        f.aspect = aspect;
        return f;
    }
}
