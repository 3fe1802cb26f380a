package io.argus.operators.decode;

import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.media.FFmpegErrors;
import io.argus.connectors.media.FFmpegLogging;
import io.argus.connectors.media.MediaRecord;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * The video decoders of one task: one FFmpeg decoder per stream, kept from one record of the
 * stream to the next, decoding on the calling thread alone (no frame or slice threads, which on a
 * busy machine cost more than they save), with one scaler for all of them.
 *
 * <p>Each record is a self-contained segment that starts on a keyframe: its container is opened
 * from the payload in place, its packets go to the stream's decoder, which is drained at the end of
 * the record, so every frame of a record comes out of that record's call. Opening a container is
 * cheap; what the kept decoder saves is creating, probing and opening a decoder per record. Nothing
 * of it has to survive a restart: after a restore (or once a stream was closed for being idle, or
 * after a record that failed to decode) the stream's next record builds a new decoder from its first
 * keyframe. A record whose codec or codec set-up differs from the last one's rebuilds it too.
 *
 * <p>With a sampling rate, only the first frame of each slot of a stream's capture time is
 * converted and emitted; the others are decoded (later frames depend on them) but never scaled.
 * Which frames are first is decided by each record alone: the frame before a record's first one is
 * taken to lie one frame interval earlier (the interval between the record's first two frames), so
 * a job restored from a checkpoint, with new decoders, keeps the very frames an undisturbed one
 * kept. Only a record of a single frame looks at the stream's last kept frame.
 *
 * <p>Not thread-safe: one instance per task thread.
 */
public final class VideoDecoders implements AutoCloseable {

    private final DecodeLimits limits;
    /** Sampling slots a second, in thousandths; 0 emits every frame. */
    private final long slotsPerKiloSecond;
    private final int maxStreams;
    private final long idleCloseMs;
    private final FrameScaler scaler;
    private final LinkedHashMap<String, StreamDecoder> streams = new LinkedHashMap<>(16, 0.75f, true);
    private AVPacket packet;
    private AVFrame frame;
    /** A record's first frame, held while sampling until the second one tells the frame interval. */
    private AVFrame held;
    private long lastSweepMs;
    private long decodersOpened;

    private VideoDecoders(Builder b) {
        FFmpegLogging.apply();
        this.limits = b.limits;
        this.slotsPerKiloSecond = b.slotsPerKiloSecond;
        this.maxStreams = b.maxStreams;
        this.idleCloseMs = b.idleCloseMs;
        this.scaler = new FrameScaler(b.width, b.height, b.channels, b.letterbox);
        this.packet = avcodec.av_packet_alloc();
        this.frame = avutil.av_frame_alloc();
        this.held = avutil.av_frame_alloc();
    }

    /**
     * Decoders for frames of {@code width x height} with {@code channels} (1 grey, 3 RGB), stretched;
     * see the builder for letterboxing, sampling and how many streams keep a decoder.
     */
    public static Builder builder(int width, int height, int channels) {
        return new Builder(width, height, channels);
    }

    /** Settings of {@link VideoDecoders}; {@link #build()} checks them and names the bad one. */
    public static final class Builder {
        private final int width;
        private final int height;
        private final int channels;
        private boolean letterbox;
        private long slotsPerKiloSecond;
        private DecodeLimits limits = DecodeLimits.DEFAULT;
        private int maxStreams = 1024;
        private long idleCloseMs = 60_000;

        private Builder(int width, int height, int channels) {
            this.width = width;
            this.height = height;
            this.channels = channels;
        }

        /** Keep the picture's shape: fit it inside the frame and leave the rest (right or bottom) black. */
        public Builder letterbox(boolean letterbox) {
            this.letterbox = letterbox;
            return this;
        }

        /**
         * Emit only the first frame of each of {@code fps} slots a second of a stream's capture time,
         * counted from the epoch without drift (at a whole number of frames a second every second
         * starts a slot); 0 for every frame.
         */
        public Builder sampleFps(double fps) {
            if (!(fps >= 0 && fps <= 1000)) {
                throw new IllegalArgumentException("sampling rate must be 0 (every frame) to 1000 fps: " + fps);
            }
            this.slotsPerKiloSecond = Math.round(fps * 1000);
            return this;
        }

        public Builder limits(DecodeLimits limits) {
            if (limits == null) {
                throw new IllegalArgumentException("decode limits are required");
            }
            this.limits = limits;
            return this;
        }

        /**
         * Streams that keep their decoder between records (the least recently used beyond it is
         * closed); 0 closes every decoder after its record.
         */
        public Builder maxStreams(int maxStreams) {
            if (maxStreams < 0) {
                throw new IllegalArgumentException("max streams must be 0 or more: " + maxStreams);
            }
            this.maxStreams = maxStreams;
            return this;
        }

        /** A stream without a record for this long has its decoder closed. */
        public Builder idleClose(java.time.Duration idle) {
            if (idle == null || idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("idle close must be positive: " + idle);
            }
            this.idleCloseMs = idle.toMillis();
            return this;
        }

        public VideoDecoders build() {
            return new VideoDecoders(this);
        }
    }

    /**
     * Decodes one record with its stream's decoder and emits the frames it keeps, in order, at
     * their capture times ({@code captureTimeMs} plus each frame's media time since the record's
     * first frame).
     *
     * @return frames decoded, kept or not
     * @throws DecodeException with the reason when the record is not usable video, holds more
     *     frames than the limits allow or declares frames larger than they allow
     */
    public int decode(MediaRecord record, Consumer<VideoFrame> out) throws DecodeException {
        if (packet == null) {
            throw new IllegalStateException("video decoders are closed");
        }
        long now = System.currentTimeMillis();
        sweep(now);
        String what = record.codec.wireName() + "/" + record.container + " segment";
        StreamDecoder stream = streams.remove(record.streamId);
        if (stream == null) {
            stream = new StreamDecoder();
        }
        boolean keep = false;
        try (SegmentDemuxer demuxer = SegmentDemuxer.open(record.payload, record.container, what)) {
            int n = decode(stream, demuxer, record, what, out);
            keep = maxStreams > 0;
            return n;
        } finally {
            avutil.av_frame_unref(held); // still held when the record failed after its first frame
            if (keep) {
                stream.lastUsedMs = now;
                streams.put(record.streamId, stream);
                trim();
            } else {
                stream.close(); // a failed record's decoder is not trusted with the next one
            }
        }
    }

    private int decode(StreamDecoder stream, SegmentDemuxer demuxer, MediaRecord record, String what,
            Consumer<VideoFrame> out) throws DecodeException {
        Segment segment = new Segment(record, what);
        boolean opened = false;
        while (demuxer.nextVideoPacket(packet)) {
            try {
                AVCodecParameters video = demuxer.video();
                checkDeclaredSize(video.width(), video.height(), what);
                if (!opened) {
                    stream.openFor(video, limits, what);
                    opened = true;
                }
                int ret = avcodec.avcodec_send_packet(stream.codec, packet);
                if (ret < 0) {
                    stream.refuseIfTooLarge(limits, what);
                    // otherwise a corrupt packet: FFmpeg conceals what it can from the next ones
                }
            } finally {
                avcodec.av_packet_unref(packet);
            }
            receive(stream, demuxer, segment, out);
        }
        if (demuxer.video() == null) {
            if (demuxer.streams() == 0) {
                throw new DecodeException(DeadLetterReason.UNDECODABLE, "cannot decode " + what + ": no "
                        + record.container + " stream found in the payload");
            }
            throw new DecodeException(DeadLetterReason.NO_MEDIA_STREAM, "no video stream in " + what);
        }
        if (stream.codec != null) {
            avcodec.avcodec_send_packet(stream.codec, null); // drain: the record's last frames come out now
            receive(stream, demuxer, segment, out);
            avcodec.avcodec_flush_buffers(stream.codec);
        }
        if (segment.holding) {
            // a record of a single frame: kept unless the stream's last kept frame lay in its slot
            segment.holding = false;
            try {
                long slot = slotOf(segment.heldMs);
                if (slot != stream.lastSlot) {
                    emit(stream, held, segment, demuxer, segment.heldMs, out);
                }
            } finally {
                avutil.av_frame_unref(held);
            }
        }
        if (segment.decoded == 0) {
            throw new DecodeException(DeadLetterReason.NO_MEDIA_DECODED, "no frames decoded from " + what);
        }
        return segment.decoded;
    }

    /** Takes every frame the decoder has ready. */
    private void receive(StreamDecoder stream, SegmentDemuxer demuxer, Segment segment, Consumer<VideoFrame> out)
            throws DecodeException {
        if (stream.codec == null) {
            return;
        }
        while (avcodec.avcodec_receive_frame(stream.codec, frame) >= 0) {
            try {
                if (segment.decoded == limits.maxFramesPerSegment()) {
                    throw new DecodeException(DeadLetterReason.OVER_LIMIT,
                            segment.what + " holds more than " + limits.maxFramesPerSegment() + " frames");
                }
                checkDeclaredSize(frame.width(), frame.height(), segment.what);
                segment.decoded++;
                long ts = segment.captureTime(frame, demuxer.videoStream().time_base());
                sample(stream, segment, demuxer, ts, out);
            } finally {
                avutil.av_frame_unref(frame);
            }
        }
    }

    /**
     * Emits the frame when it is the first of its sampling slot, that is when the frame before it
     * lay in an earlier one; a record's first frame waits for the second to know where that was.
     */
    private void sample(StreamDecoder stream, Segment segment, SegmentDemuxer demuxer, long ts,
            Consumer<VideoFrame> out) {
        if (slotsPerKiloSecond == 0) {
            emit(stream, frame, segment, demuxer, ts, out);
            return;
        }
        long slot = slotOf(ts);
        if (segment.decoded == 1) {
            if (avutil.av_frame_ref(held, frame) < 0) {
                throw new OutOfMemoryError("FFmpeg could not hold a frame of " + segment.what);
            }
            segment.holding = true;
            segment.heldMs = ts;
        } else if (segment.holding) {
            segment.holding = false;
            try {
                long interval = ts - segment.heldMs;
                long heldSlot = slotOf(segment.heldMs);
                boolean first = interval > 0
                        ? heldSlot != slotOf(segment.heldMs - interval)
                        : heldSlot != stream.lastSlot;
                if (first) {
                    emit(stream, held, segment, demuxer, segment.heldMs, out);
                }
            } finally {
                avutil.av_frame_unref(held);
            }
            if (slot != slotOf(segment.heldMs)) {
                emit(stream, frame, segment, demuxer, ts, out);
            }
        } else if (slot != slotOf(segment.previousMs)) {
            emit(stream, frame, segment, demuxer, ts, out);
        }
        segment.previousMs = ts;
    }

    private void emit(StreamDecoder stream, AVFrame picture, Segment segment, SegmentDemuxer demuxer,
            long timestampMs, Consumer<VideoFrame> out) {
        if (slotsPerKiloSecond > 0) {
            stream.lastSlot = slotOf(timestampMs);
        }
        out.accept(convert(picture, segment, demuxer, timestampMs));
    }

    private VideoFrame convert(AVFrame decoded, Segment segment, SegmentDemuxer demuxer, long timestampMs) {
        if (segment.sampleAspect < 0) {
            segment.sampleAspect = demuxer.sampleAspect(decoded);
        }
        byte[] pixels = scaler.convert(decoded, segment.sampleAspect);
        FrameScaler.Picture picture = scaler.picture();
        VideoFrame f = new VideoFrame(segment.record.streamId, timestampMs, scaler.width(), scaler.height(),
                scaler.channels(), pixels, System.currentTimeMillis());
        f.contentWidth = picture.width();
        f.contentHeight = picture.height();
        f.aspect = picture.aspect();
        return f;
    }

    /** Refuses frames over the limit, by the size the container or the bitstream declares. */
    private void checkDeclaredSize(int width, int height, String what) throws DecodeException {
        if ((long) width * height > limits.maxPixelsPerFrame()) {
            throw new DecodeException(DeadLetterReason.OVER_LIMIT, what + " declares frames of " + width + "x"
                    + height + ", over the limit of " + limits.maxPixelsPerFrame() + " pixels");
        }
    }

    /** Streams that keep a decoder now. */
    public int openStreams() {
        return streams.size();
    }

    /** Decoders built so far (a kept decoder is built once per stream, not once per record). */
    public long decodersOpened() {
        return decodersOpened;
    }

    /** Closes the decoders of streams idle for longer than the idle time; at most once a second. */
    private void sweep(long now) {
        if (now - lastSweepMs < 1000) {
            return;
        }
        lastSweepMs = now;
        for (Iterator<StreamDecoder> it = streams.values().iterator(); it.hasNext(); ) {
            StreamDecoder s = it.next();
            if (now - s.lastUsedMs <= idleCloseMs) {
                break; // in order of last use: the rest are newer
            }
            s.close();
            it.remove();
        }
    }

    private void trim() {
        for (Iterator<StreamDecoder> it = streams.values().iterator(); streams.size() > maxStreams; ) {
            it.next().close();
            it.remove();
        }
    }

    @Override
    public void close() {
        streams.values().forEach(StreamDecoder::close);
        streams.clear();
        if (packet != null) {
            avcodec.av_packet_free(packet);
            packet = null;
        }
        if (frame != null) {
            avutil.av_frame_free(frame);
            frame = null;
        }
        if (held != null) {
            avutil.av_frame_free(held);
            held = null;
        }
        scaler.close();
    }

    /** One record being decoded: its frames' clock. */
    private static final class Segment {
        final MediaRecord record;
        final String what;
        int decoded;
        long firstUs = Long.MIN_VALUE;
        long lastUs;
        double sampleAspect = -1;
        /** While sampling: whether the record's first frame is held back, and its capture time. */
        boolean holding;
        long heldMs;
        /** While sampling: the capture time of the frame before the current one. */
        long previousMs;

        Segment(MediaRecord record, String what) {
            this.record = record;
            this.what = what;
        }

        /** The frame's capture time: the record's plus the frame's media time since the record's first frame. */
        long captureTime(AVFrame f, AVRational timeBase) {
            long pts = f.best_effort_timestamp();
            long us;
            if (pts == avutil.AV_NOPTS_VALUE || timeBase.den() == 0) {
                double fps = record.frameRate > 0 ? record.frameRate : 25;
                us = firstUs == Long.MIN_VALUE ? 0 : lastUs + Math.round(1_000_000 / fps);
            } else {
                us = 1_000_000L * pts * timeBase.num() / timeBase.den();
            }
            if (firstUs == Long.MIN_VALUE) {
                firstUs = us;
            }
            lastUs = us;
            return record.captureTimeMs + Math.max(0, us - firstUs) / 1000;
        }
    }

    /** The sampling slot of capture time {@code ms}: slots of exactly {@code 1000 / fps} ms from the epoch. */
    private long slotOf(long ms) {
        return Math.floorDiv(ms * slotsPerKiloSecond, 1_000_000L);
    }

    /** One stream's decoder and sampler, kept between its records. */
    private final class StreamDecoder {
        AVCodecContext codec;
        int codecId = -1;
        byte[] extradata;
        long lastUsedMs;
        /** The sampling slot of the last frame kept: consulted only for a record of a single frame. */
        long lastSlot = Long.MIN_VALUE;

        /** Opens a decoder for the stream, unless the one it has already fits these parameters. */
        void openFor(AVCodecParameters p, DecodeLimits limits, String what) throws DecodeException {
            byte[] extra = extradata(p);
            if (codec != null && p.codec_id() == codecId && java.util.Arrays.equals(extra, extradata)) {
                return;
            }
            close();
            AVCodec decoder = avcodec.avcodec_find_decoder(p.codec_id());
            if (decoder == null) {
                throw new DecodeException(DeadLetterReason.UNDECODABLE, "cannot decode " + what + ": FFmpeg has no "
                        + "decoder for its video codec (id " + p.codec_id() + ")");
            }
            AVCodecContext c = avcodec.avcodec_alloc_context3(decoder);
            if (c == null || avcodec.avcodec_parameters_to_context(c, p) < 0) {
                if (c != null) {
                    avcodec.avcodec_free_context(c);
                }
                throw new IllegalStateException("FFmpeg could not set up a decoder for " + what);
            }
            c.thread_count(1);
            c.max_pixels(limits.maxPixelsPerFrame());
            int ret = avcodec.avcodec_open2(c, decoder, (AVDictionary) null);
            if (ret < 0) {
                avcodec.avcodec_free_context(c);
                throw new DecodeException(DeadLetterReason.UNDECODABLE, "cannot decode " + what + ": "
                        + FFmpegErrors.describe(ret, "cannot open the decoder"));
            }
            codec = c;
            codecId = p.codec_id();
            extradata = extra;
            decodersOpened++;
        }

        /** After a refused packet: refuses the record if the decoder saw a picture over the limit. */
        void refuseIfTooLarge(DecodeLimits limits, String what) throws DecodeException {
            checkDeclaredSize(codec.coded_width(), codec.coded_height(), what);
        }

        void close() {
            if (codec != null) {
                avcodec.avcodec_free_context(codec);
                codec = null;
            }
        }

        private byte[] extradata(AVCodecParameters p) {
            int n = p.extradata_size();
            BytePointer data = p.extradata();
            if (n <= 0 || data == null || data.isNull()) {
                return null;
            }
            byte[] b = new byte[n];
            data.position(0).get(b);
            return b;
        }
    }
}
