package io.argus.models.pose;

/**
 * One person's track over the slots of a window: per slot the pose model's {@value Poses#STRIDE}
 * floats for that person (see {@link Poses}), or nothing where the person was not found. Keypoint
 * coordinates are normalised to the frame; {@code aspect} is the frame's width over its height,
 * so that distances can be measured the same way across and down.
 */
public record TrackWindow(int trackId, float[] poses, boolean[] present, float aspect) {

    public TrackWindow {
        if (poses.length != present.length * Poses.STRIDE) {
            throw new IllegalArgumentException(poses.length + " floats for " + present.length + " slots");
        }
        if (!(aspect > 0)) {
            throw new IllegalArgumentException("aspect must be positive: " + aspect);
        }
    }

    public int slots() {
        return present.length;
    }

    /** Slots in which the person was found. */
    public int presentCount() {
        int n = 0;
        for (boolean p : present) {
            if (p) {
                n++;
            }
        }
        return n;
    }

    /**
     * How fast the person's box moved over the window, in body heights (median box height) per
     * second, from the first to the last slot the person was found in; 0 when found in fewer than
     * two slots.
     */
    public double bodyHeightsPerSecond(double fps) {
        int first = -1;
        int last = -1;
        for (int s = 0; s < present.length; s++) {
            if (present[s]) {
                first = first < 0 ? s : first;
                last = s;
            }
        }
        if (first < 0 || last == first) {
            return 0;
        }
        float[] heights = new float[presentCount()];
        int h = 0;
        for (int s = 0; s < present.length; s++) {
            if (present[s]) {
                heights[h++] = poses[s * Poses.STRIDE + Poses.BOX + 2] - poses[s * Poses.STRIDE + Poses.BOX];
            }
        }
        java.util.Arrays.sort(heights);
        double scale = Math.max(0.02, heights[heights.length / 2]);
        double dx = (centreX(last) - centreX(first)) * aspect;
        double dy = centreY(last) - centreY(first);
        return Math.hypot(dx, dy) / scale / ((last - first) / fps);
    }

    private double centreX(int slot) {
        int o = slot * Poses.STRIDE + Poses.BOX;
        return (poses[o + 1] + poses[o + 3]) / 2.0;
    }

    private double centreY(int slot) {
        int o = slot * Poses.STRIDE + Poses.BOX;
        return (poses[o] + poses[o + 2]) / 2.0;
    }

    /** The latest slot in which the person was found, or -1. */
    public int lastPresent() {
        for (int i = present.length - 1; i >= 0; i--) {
            if (present[i]) {
                return i;
            }
        }
        return -1;
    }
}
