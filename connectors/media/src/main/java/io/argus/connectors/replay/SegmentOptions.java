package io.argus.connectors.replay;

import io.argus.connectors.media.MediaCodec;

/**
 * How a recording is cut into media records.
 *
 * @param segmentMillis target media duration of one video segment; each segment is encoded on its
 *     own and starts on a keyframe
 * @param videoCodec codec of the re-encoded video segments (H.264, MPEG-4 Part 2 or MJPEG)
 * @param audioChunkMillis duration of one PCM audio chunk
 */
public record SegmentOptions(long segmentMillis, MediaCodec videoCodec, long audioChunkMillis) {

    public static final SegmentOptions DEFAULT = new SegmentOptions(1000, MediaCodec.H264, 1000);

    public SegmentOptions {
        if (segmentMillis < 100 || segmentMillis > 60_000) {
            throw new IllegalArgumentException("segment duration must be 100..60000 ms: " + segmentMillis);
        }
        if (audioChunkMillis < 10 || audioChunkMillis > 60_000) {
            throw new IllegalArgumentException("audio chunk duration must be 10..60000 ms: " + audioChunkMillis);
        }
        if (videoCodec != MediaCodec.H264 && videoCodec != MediaCodec.MPEG4 && videoCodec != MediaCodec.MJPEG) {
            throw new IllegalArgumentException(
                    "replay encodes video as h264, mpeg4 or mjpeg, not " + videoCodec.wireName());
        }
    }
}
