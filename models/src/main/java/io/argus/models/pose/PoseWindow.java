package io.argus.models.pose;

import io.argus.models.input.ModelInput;
import java.util.Objects;

/**
 * The people tracked in one window of one stream: for each track, its poses in every slot of
 * the window (zeros where it was not found). What the keypoint LSTM classifies, one track at a
 * time; a window with no tracks says nobody was in view.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class PoseWindow implements ModelInput {

    public String streamId;
    public long startMs;
    public long endMs;
    public int slots;
    /** Width over height of the camera's picture. */
    public float aspect;
    public int[] trackIds;
    /** {@code tracks * slots * Poses.STRIDE} floats, track-major. */
    public float[] poses;
    /** {@code tracks * slots}, track-major. */
    public boolean[] present;
    public long decodedAtMs;

    public PoseWindow() {}

    public PoseWindow(String streamId, long startMs, long endMs, int slots, float aspect, int[] trackIds,
            float[] poses, boolean[] present, long decodedAtMs) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.startMs = startMs;
        this.endMs = endMs;
        this.slots = slots;
        this.aspect = aspect;
        this.trackIds = trackIds;
        this.poses = poses;
        this.present = present;
        this.decodedAtMs = decodedAtMs;
        if (poses.length != trackIds.length * slots * Poses.STRIDE || present.length != trackIds.length * slots) {
            throw new IllegalArgumentException("pose window of " + trackIds.length + " tracks x " + slots
                    + " slots got " + poses.length + " floats and " + present.length + " flags");
        }
    }

    public int tracks() {
        return trackIds.length;
    }

    /** Track {@code i} of this window. */
    public TrackWindow track(int i) {
        float[] p = new float[slots * Poses.STRIDE];
        System.arraycopy(poses, i * slots * Poses.STRIDE, p, 0, p.length);
        boolean[] pr = new boolean[slots];
        System.arraycopy(present, i * slots, pr, 0, slots);
        return new TrackWindow(trackIds[i], p, pr, aspect);
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

    @Override
    public Integer people() {
        return tracks();
    }
}
