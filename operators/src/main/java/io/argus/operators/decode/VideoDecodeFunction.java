package io.argus.operators.decode;

import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * Decodes video records into frames of the job's size and pixel layout. For a model that looks at
 * a few frames a second (a pose model), it keeps only the first frame of each slot of capture time
 * per stream ({@code fps} slots a second, counted from the epoch without drift: at a whole number
 * of frames a second, every second starts a slot) and
 * lets the rest go right after decoding. Which frames are kept is decided by each segment alone
 * (its frame interval tells where the frame before it lay), so a job that resumes from a
 * checkpoint samples exactly as an undisturbed one. A stream that starts within a slot is sampled
 * from the next slot on.
 */
public final class VideoDecodeFunction extends DecodeFunction<VideoFrame> {

    private static final long serialVersionUID = 1L;
    /** Streams whose last kept frame is remembered; beyond it the longest-silent is forgotten. */
    private static final int SAMPLED_STREAMS = 100_000;

    private final int width;
    private final int height;
    private final int channels;
    private final boolean letterbox;
    /** Slots a second, in thousandths; 0 keeps every frame. */
    private final long slotsPerKiloSecond;
    private final DecodeLimits limits;
    private transient VideoSegmentDecoder decoder;
    /** Per stream, the slot of the last frame kept: consulted only for a segment of a single frame. */
    private transient Map<String, Long> lastSlot;

    /** Every frame, stretched to {@code width x height}. */
    public VideoDecodeFunction(int width, int height, int channels, DecodeLimits limits) {
        this(width, height, channels, false, 0, limits);
    }

    private VideoDecodeFunction(int width, int height, int channels, boolean letterbox, double fps,
            DecodeLimits limits) {
        super(MediaKind.VIDEO);
        if (!(fps >= 0 && fps <= 1000)) {
            throw new IllegalArgumentException("sampling rate must be 0 (every frame) to 1000 fps: " + fps);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.letterbox = letterbox;
        this.slotsPerKiloSecond = Math.round(fps * 1000);
        this.limits = limits;
    }

    /**
     * RGB frames for a pose model: letterboxed into {@code width x height}, at most one per
     * {@code 1000 / fps} ms of each stream's capture time.
     */
    public static VideoDecodeFunction forPoses(int width, int height, double fps, DecodeLimits limits) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("a pose model needs a sampling rate above 0 fps: " + fps);
        }
        return new VideoDecodeFunction(width, height, 3, true, fps, limits);
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
        List<VideoFrame> frames = decoder.decode(record);
        if (slotsPerKiloSecond == 0) {
            frames.forEach(out::collect);
            return;
        }
        // A frame is kept when it is the first of its slot: when the frame before it lies in an
        // earlier slot. The frame before the segment's first is taken one frame interval earlier, so
        // that the choice depends on the segment alone and a job restored from a checkpoint keeps
        // the very frames the undisturbed job kept. Only a segment of one frame needs the cache.
        long interval = frames.size() > 1 ? frames.get(1).timestampMs - frames.get(0).timestampMs : 0;
        for (int i = 0; i < frames.size(); i++) {
            VideoFrame frame = frames.get(i);
            long slot = slotOf(frame.timestampMs);
            boolean first;
            if (i > 0) {
                first = slot != slotOf(frames.get(i - 1).timestampMs);
            } else if (interval > 0) {
                first = slot != slotOf(frame.timestampMs - interval);
            } else {
                Long last = lastSlot.get(frame.streamId);
                first = last == null || slot != last;
            }
            if (first) {
                lastSlot.put(frame.streamId, slot);
                out.collect(frame);
            }
        }
    }

    /** The slot of capture time {@code ms}: slots of exactly {@code 1000 / fps} ms from the epoch. */
    private long slotOf(long ms) {
        return Math.floorDiv(ms * slotsPerKiloSecond, 1_000_000L);
    }
}
