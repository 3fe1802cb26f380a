package io.argus.operators.window;

import java.io.Serializable;

/**
 * Shape of the frame windows: {@code frames} frames per window sampled at {@code targetFps},
 * a new window every {@code stride} frames; a gap longer than {@code maxGapMs} restarts windowing.
 */
public record WindowSpec(int frames, int stride, double targetFps, long maxGapMs) implements Serializable {

    public WindowSpec {
        if (frames < 1 || frames > 512) {
            throw new IllegalArgumentException("video.window.frames must be 1..512: " + frames);
        }
        if (stride < 1 || stride > frames) {
            throw new IllegalArgumentException("video.window.stride must be 1..frames (" + frames + "): " + stride);
        }
        if (!(targetFps > 0 && targetFps <= 120)) {
            throw new IllegalArgumentException("video.fps must be in (0, 120]: " + targetFps);
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
