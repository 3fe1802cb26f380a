package io.argus.operators.decode;

import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;

/**
 * Decodes video records into frames of the job's size and pixel layout, with one FFmpeg decoder
 * per stream kept from record to record ({@link VideoDecoders}; nothing of it is checkpointed: after
 * a restore a stream's next record, which starts on a keyframe, builds a new one). For a model that
 * looks at a few frames a second (a pose model), it keeps only the first frame of each slot of
 * capture time per stream ({@code fps} slots a second, counted from the epoch without drift: at a
 * whole number of frames a second, every second starts a slot), and only those are scaled and
 * converted. Which frames are kept is decided by each segment alone, so a job that resumes from a
 * checkpoint samples exactly as an undisturbed one. A stream that starts within a slot is sampled
 * from the next slot on.
 */
public final class VideoDecodeFunction extends DecodeFunction<VideoFrame> {

    private static final long serialVersionUID = 1L;
    /** Streams of one task that keep a decoder; beyond it the least recently used one is closed. */
    static final int MAX_STREAMS = 1024;
    /** A stream silent this long has its decoder closed (a new one is built when it comes back). */
    static final Duration IDLE_CLOSE = Duration.ofMinutes(1);

    private final int width;
    private final int height;
    private final int channels;
    private final boolean letterbox;
    /** Frames kept a second; 0 keeps every frame. */
    private final double fps;
    private final DecodeLimits limits;
    private transient VideoDecoders decoders;
    private transient List<VideoFrame> frames;

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
        this.fps = fps;
        this.limits = limits;
    }

    /**
     * RGB frames for a pose model: letterboxed into {@code width x height}, the first of each of
     * {@code fps} slots a second of each stream's capture time.
     */
    public static VideoDecodeFunction forPoses(int width, int height, double fps, DecodeLimits limits) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("a pose model needs a sampling rate above 0 fps: " + fps);
        }
        return new VideoDecodeFunction(width, height, 3, true, fps, limits);
    }

    @Override
    protected void openDecoder() {
        decoders = VideoDecoders.builder(width, height, channels).letterbox(letterbox)
                .sampleFps(fps).limits(limits).maxStreams(MAX_STREAMS)
                .idleClose(IDLE_CLOSE).build();
        frames = new ArrayList<>();
        getRuntimeContext().getMetricGroup().gauge("decodersOpen", decoders::openStreams);
    }

    @Override
    protected void decode(MediaRecord record, Collector<VideoFrame> out) throws DecodeException {
        // a record that fails halfway becomes a dead letter alone: none of its frames go out
        frames.clear();
        try {
            decoders.decode(record, frames::add);
            frames.forEach(out::collect);
        } finally {
            frames.clear();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (decoders != null) {
                decoders.close();
                decoders = null;
            }
        } finally {
            super.close();
        }
    }
}
