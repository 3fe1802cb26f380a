package io.argus.operators.decode;

import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * Decodes video records into frames of the job's size and pixel layout. For a model that looks at
 * a few frames a second (a pose model), it keeps only the first frame of each {@code sampleEveryMs}
 * of capture time per stream and lets the rest go right after decoding.
 */
public final class VideoDecodeFunction extends DecodeFunction<VideoFrame> {

    private static final long serialVersionUID = 1L;
    /** Streams whose last kept frame is remembered; beyond it the longest-silent is forgotten. */
    private static final int SAMPLED_STREAMS = 100_000;

    private final int width;
    private final int height;
    private final int channels;
    private final boolean letterbox;
    private final long sampleEveryMs;
    private final DecodeLimits limits;
    private transient VideoSegmentDecoder decoder;
    /** Per stream, the capture-time slot of the last frame kept (a cache: losing it costs one frame). */
    private transient Map<String, Long> lastSlot;

    /** Every frame, stretched to {@code width x height}. */
    public VideoDecodeFunction(int width, int height, int channels, DecodeLimits limits) {
        this(width, height, channels, false, 0, limits);
    }

    private VideoDecodeFunction(int width, int height, int channels, boolean letterbox, long sampleEveryMs,
            DecodeLimits limits) {
        super(MediaKind.VIDEO);
        if (sampleEveryMs < 0) {
            throw new IllegalArgumentException("sampling period must be >= 0 ms: " + sampleEveryMs);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.letterbox = letterbox;
        this.sampleEveryMs = sampleEveryMs;
        this.limits = limits;
    }

    /**
     * RGB frames for a pose model: letterboxed into {@code width x height}, at most one per
     * {@code 1000 / fps} ms of each stream's capture time.
     */
    public static VideoDecodeFunction forPoses(int width, int height, double fps, DecodeLimits limits) {
        return new VideoDecodeFunction(width, height, 3, true, Math.round(1000 / fps), limits);
    }

    @Override
    protected void openDecoder() {
        decoder = new VideoSegmentDecoder(width, height, channels, letterbox, limits);
        lastSlot = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > SAMPLED_STREAMS;
            }
        };
    }

    @Override
    protected void decode(MediaRecord record, Collector<VideoFrame> out) throws DecodeException {
        for (VideoFrame frame : decoder.decode(record)) {
            if (sampleEveryMs == 0) {
                out.collect(frame);
                continue;
            }
            long slot = Math.floorDiv(frame.timestampMs, sampleEveryMs);
            Long last = lastSlot.get(frame.streamId);
            if (last == null || slot != last) {
                lastSlot.put(frame.streamId, slot);
                out.collect(frame);
            }
        }
    }
}
