package io.argus.connectors.replay;

/**
 * How a recording is replayed into Kafka.
 *
 * @param baseTimeMs capture time given to the start of the recording (epoch ms)
 * @param realtime pace records by their media time instead of sending as fast as possible
 * @param loops how many times the recording is sent; each pass continues the timeline
 * @param segments how the recording is cut
 */
public record ReplayOptions(long baseTimeMs, boolean realtime, int loops, SegmentOptions segments) {

    public ReplayOptions {
        if (baseTimeMs <= 0) {
            throw new IllegalArgumentException("base time must be a positive epoch millisecond: " + baseTimeMs);
        }
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1: " + loops);
        }
    }

    public static ReplayOptions asFastAsPossible(long baseTimeMs) {
        return new ReplayOptions(baseTimeMs, false, 1, SegmentOptions.DEFAULT);
    }
}
