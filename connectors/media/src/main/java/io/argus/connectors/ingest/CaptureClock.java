package io.argus.connectors.ingest;

/**
 * Maps a source's media timestamps to capture times on the wall clock. A source that stamps its
 * packets with its own wall clock (RTSP once an RTCP sender report came) is trusted while it stays
 * within {@code maxDriftUs} of this machine's; otherwise the first packet of a connection is taken
 * as captured when the connection opened (or when it arrived, if earlier), and later packets keep
 * their media spacing from it. When the mapping
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
    private long openedUs = Long.MAX_VALUE;
    private long resets;

    CaptureClock(long maxDriftUs, boolean paced) {
        this.maxDriftUs = maxDriftUs;
        this.paced = paced;
    }

    /**
     * Starts a connection opened at {@code openedUs} (epoch µs): its first packet is taken as
     * captured then (a live source sends from the moment it is opened, and the packets read while
     * its streams were probed come later in a burst), or when it arrives if that is earlier.
     */
    void connect(long openedUs) {
        anchorWallUs = Long.MIN_VALUE;
        this.openedUs = openedUs;
    }

    /**
     * Ties the mapping to the source's own wall clock: media at {@code ptsUs} was captured at
     * {@code sourceWallUs} (epoch µs), as the source says (RTSP: its last RTCP sender report plus
     * the RTP time since). Ignored when the source's clock is further than the drift from this
     * machine's, or the media has no timestamp.
     */
    void sourceClock(long ptsUs, long sourceWallUs, long nowUs) {
        if (sourceWallUs > 0 && ptsUs != Long.MIN_VALUE && Math.abs(sourceWallUs - nowUs) <= maxDriftUs) {
            anchorWallUs = sourceWallUs;
            anchorPtsUs = ptsUs;
        }
    }

    /** The capture time, epoch µs, of media at {@code ptsUs} arriving at {@code nowUs}. */
    long captureUs(long ptsUs, long nowUs) {
        if (anchorWallUs == Long.MIN_VALUE || ptsUs == Long.MIN_VALUE) {
            long first = Math.min(openedUs, nowUs);
            anchor(ptsUs == Long.MIN_VALUE ? 0 : ptsUs, first);
            return first;
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
