package io.argus.models.input;

import java.io.Serializable;

/**
 * What a video model takes: {@code frames} frames sampled at {@code fps}, each
 * {@code height x width x channels} unsigned bytes. A model package records its spec and the job
 * refuses to run a model whose spec differs from its windows.
 */
public record InputSpec(int frames, double fps, int height, int width, int channels) implements Serializable {

    public InputSpec {
        if (frames < 1 || height < 8 || width < 8 || (channels != 1 && channels != 3) || !(fps > 0)) {
            throw new IllegalArgumentException("invalid video input spec " + frames + "x" + height + "x" + width + "x"
                    + channels + " @ " + fps + " fps");
        }
    }

    /** Bytes of one frame. */
    public int frameBytes() {
        return height * width * channels;
    }

    /** Whether a window has exactly this shape. */
    public boolean matches(FrameWindow w) {
        return w.frames == frames && w.height == height && w.width == width && w.channels == channels;
    }

    @Override
    public String toString() {
        return frames + " frames of " + width + "x" + height + "x" + channels + " at " + fps + " fps";
    }
}
