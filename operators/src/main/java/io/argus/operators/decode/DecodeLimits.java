package io.argus.operators.decode;

import java.io.Serializable;

/**
 * Bounds on what one record may make the decoder produce, so that a hostile or corrupt record
 * cannot exhaust memory: frames per video segment and samples per audio record.
 */
public record DecodeLimits(int maxFramesPerSegment, int maxSamplesPerRecord) implements Serializable {

    /** 10 minutes of 25 fps video or of 48 kHz stereo audio per record. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(15_000, 48_000 * 2 * 600);

    public DecodeLimits {
        if (maxFramesPerSegment < 1 || maxSamplesPerRecord < 1) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
    }
}
