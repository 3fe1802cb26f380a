package io.argus.operators.decode;

import java.io.Serializable;

/**
 * Bounds on what one record may make the decoder produce, so that a hostile or corrupt record
 * cannot exhaust memory: frames per video segment, pixels per source frame, samples per audio
 * record.
 */
public record DecodeLimits(int maxFramesPerSegment, int maxSamplesPerRecord, long maxPixelsPerFrame)
        implements Serializable {

    /** 10 minutes of 25 fps video or of 48 kHz stereo audio per record; frames up to 4K UHD. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(15_000, 48_000 * 2 * 600, 3840L * 2160);

    public DecodeLimits {
        if (maxFramesPerSegment < 1 || maxSamplesPerRecord < 1 || maxPixelsPerFrame < 1) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
    }

    /** Limits on frames and samples, with the default bound on frame size. */
    public DecodeLimits(int maxFramesPerSegment, int maxSamplesPerRecord) {
        this(maxFramesPerSegment, maxSamplesPerRecord, 3840L * 2160);
    }
}
