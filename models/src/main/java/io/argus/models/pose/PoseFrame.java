package io.argus.models.pose;

/**
 * The people a pose model found in one frame of one stream (layout: {@link Poses}), with the
 * frame's capture time. Coordinates are normalised to the picture the camera sent (not the
 * model's padded input), whose width over height is {@code aspect}.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class PoseFrame {

    public String streamId;
    /** Capture time, epoch milliseconds. */
    public long timestampMs;
    /** Width over height of the camera's picture. */
    public float aspect;
    /** {@code n * Poses.STRIDE} floats. */
    public float[] people;
    /** Wall-clock time the frame was decoded. */
    public long decodedAtMs;

    public PoseFrame() {}

    public PoseFrame(String streamId, long timestampMs, float aspect, float[] people, long decodedAtMs) {
        this.streamId = streamId;
        this.timestampMs = timestampMs;
        this.aspect = aspect;
        this.people = people;
        this.decodedAtMs = decodedAtMs;
    }

    public int count() {
        return Poses.count(people);
    }
}
