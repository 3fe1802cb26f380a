package io.argus.models.pose;

/**
 * Turns a person's track over a window into what the keypoint LSTM reads: per slot, every
 * keypoint relative to the track's mean box centre over the window, in units of its median box
 * height, with its score; the box the same way; and whether the person was found in that slot
 * (all zeros where not). Position and size in the frame drop out, motion within the window stays.
 * Distances across the frame are scaled by the frame's aspect so that both axes use one unit.
 */
public final class TrackFeatures {

    /** Features per slot: 17 x (x, y, score), box centre x, y, width, height, present. */
    public static final int WIDTH = Keypoint.COUNT * 3 + 5;
    /** Smallest box height used as the unit, as a fraction of the frame height. */
    private static final float MIN_SCALE = 0.02f;

    private TrackFeatures() {}

    /** {@code slots * WIDTH} floats, slot-major. */
    public static float[] of(TrackWindow track) {
        int slots = track.slots();
        float[] out = new float[slots * WIDTH];
        int n = track.presentCount();
        if (n == 0) {
            return out;
        }
        float a = track.aspect();
        float[] p = track.poses();
        double cx = 0;
        double cy = 0;
        float[] heights = new float[n];
        int h = 0;
        for (int s = 0; s < slots; s++) {
            if (track.present()[s]) {
                int o = s * Poses.STRIDE + Poses.BOX;
                cx += (p[o + 1] + p[o + 3]) / 2 * a;
                cy += (p[o] + p[o + 2]) / 2;
                heights[h++] = Math.abs(p[o + 2] - p[o]);
            }
        }
        cx /= n;
        cy /= n;
        java.util.Arrays.sort(heights);
        float scale = Math.max(MIN_SCALE, heights[n / 2]);
        for (int s = 0; s < slots; s++) {
            if (!track.present()[s]) {
                continue;
            }
            int in = s * Poses.STRIDE;
            int o = s * WIDTH;
            for (int k = 0; k < Keypoint.COUNT; k++) {
                out[o + k * 3] = (float) ((p[in + k * 3 + 1] * a - cx) / scale);
                out[o + k * 3 + 1] = (float) ((p[in + k * 3] - cy) / scale);
                out[o + k * 3 + 2] = p[in + k * 3 + 2];
            }
            int b = in + Poses.BOX;
            int f = o + Keypoint.COUNT * 3;
            out[f] = (float) (((p[b + 1] + p[b + 3]) / 2 * a - cx) / scale);
            out[f + 1] = (float) (((p[b] + p[b + 2]) / 2 - cy) / scale);
            out[f + 2] = Math.abs(p[b + 3] - p[b + 1]) * a / scale;
            out[f + 3] = Math.abs(p[b + 2] - p[b]) / scale;
            out[f + 4] = 1;
        }
        return out;
    }
}
