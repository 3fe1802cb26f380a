package io.argus.connectors.ingest;

/**
 * Maps a source's media timestamps to capture times on the wall clock. A source that sends its
 * own wall clock (RTSP with RTCP sender reports) is trusted while it stays within
 * {@code maxDriftUs} of this machine's; otherwise the first packet of a connection is taken as
 * captured when it arrived, and later packets keep their media spacing from it. When the mapping
 * drifts further than {@code maxDriftUs} from the wall clock (a source whose timestamps jumped, or
 * that sent media late in a burst) it is set again from the packet at hand, and {@link #resets()}
 * counts it. A recording read as a camera ({@code paced}) may run ahead: the caller waits until
 * its capture time has come.
 */
final class CaptureClock {

    private final long maxDriftUs;
    private final boolean paced;
    private long anchorWallUs = Long.MIN_VALUE;
    private long anchorPtsUs;
    private long resets;

    CaptureClock(long maxDriftUs, boolean paced) {
        this.maxDriftUs = maxDriftUs;
        this.paced = paced;
    }

    /**
     * Starts a connection.
     *
     * @param sourceWallUs the source's wall clock at {@code sourceStartUs}, epoch µs, or 0 when it sends none
     * @param sourceStartUs the media time the source's wall clock refers to
     */
    void connect(long sourceWallUs, long sourceStartUs, long nowUs) {
        anchorWallUs = Long.MIN_VALUE;
        if (sourceWallUs > 0 && Math.abs(sourceWallUs - nowUs) <= maxDriftUs) {
            anchorWallUs = sourceWallUs;
            anchorPtsUs = sourceStartUs;
        }
    }

    /** The capture time, epoch µs, of media at {@code ptsUs} arriving at {@code nowUs}. */
    long captureUs(long ptsUs, long nowUs) {
        if (anchorWallUs == Long.MIN_VALUE || ptsUs == Long.MIN_VALUE) {
            anchor(ptsUs == Long.MIN_VALUE ? 0 : ptsUs, nowUs);
            return nowUs;
        }
        long capture = anchorWallUs + (ptsUs - anchorPtsUs);
        boolean behind = capture < nowUs - maxDriftUs;
        boolean ahead = capture > nowUs + maxDriftUs;
        if (behind || (ahead && !paced) || (paced && ahead && capture > nowUs + 10 * maxDriftUs)) {
            resets++;
            anchor(ptsUs, nowUs);
            return nowUs;
        }
        return capture;
    }

    long resets() {
        return resets;
    }

    private void anchor(long ptsUs, long nowUs) {
        anchorWallUs = nowUs;
        anchorPtsUs = ptsUs;
    }
}
