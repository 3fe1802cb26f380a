package io.argus.operators.window;

import java.io.Serializable;

/**
 * Shape of the frame windows: {@code frames} frames per window sampled at {@code targetFps},
 * a new window every {@code stride} frames; a gap longer than {@code maxGapMs} restarts windowing.
 */
public record WindowSpec(int frames, int stride, double targetFps, long maxGapMs) implements Serializable {

    public WindowSpec {
        if (frames < 1 || frames > 512) {
            throw new IllegalArgumentException("option --video-window-frames: " + frames + " is out of range (1 to 512)");
        }
        if (stride < 1 || stride > frames) {
            throw new IllegalArgumentException("option --video-window-stride: " + stride + " is out of range (1 to "
                    + "the window's " + frames + " frames)");
        }
        if (!(targetFps > 0 && targetFps <= 120)) {
            throw new IllegalArgumentException("option --video-fps: " + targetFps + " is out of range (above 0, "
                    + "up to 120)");
        }
        if (maxGapMs <= 0) {
            throw new IllegalArgumentException("max gap must be positive: " + maxGapMs);
        }
    }

    /** Media time between two sampled frames. */
    public long framePeriodMs() {
        return Math.round(1000 / targetFps);
    }

    /** Media time one window covers. */
    public long windowMs() {
        return frames * framePeriodMs();
    }
}
