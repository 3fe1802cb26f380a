package io.argus.operators.decode;

import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.media.FFmpegErrors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's demuxer over one record's payload, read from the Java array in place (custom I/O, no
 * copy to a file or stream): opens the container, hands out the packets of its first video stream.
 * Stream information is not probed (no {@code avformat_find_stream_info}, which decodes frames to
 * guess parameters): the decoder learns the picture from the bitstream itself. Closed after each
 * record.
 */
final class SegmentDemuxer implements AutoCloseable {

    private static final int IO_BUFFER_BYTES = 32 * 1024;
    /** Payloads being read, by the opaque id their I/O context carries. */
    private static final Map<Long, Payload> PAYLOADS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final Read READ = new Read().retainReference();
    private static final Seek SEEK = new Seek().retainReference();

    private final Payload payload;
    private final Pointer opaque;
    private AVIOContext io;
    private AVFormatContext format;
    private int videoIndex = -1;

    private SegmentDemuxer(Payload payload, Pointer opaque) {
        this.payload = payload;
        this.opaque = opaque;
    }

    /**
     * Opens {@code bytes} as a {@code container} (an FFmpeg demuxer name).
     *
     * @throws DecodeException UNDECODABLE when FFmpeg does not know the container or cannot open it
     */
    static SegmentDemuxer open(byte[] bytes, String container, String what) throws DecodeException {
        AVInputFormat input = avformat.av_find_input_format(container);
        if (input == null) {
            throw new DecodeException(DeadLetterReason.UNDECODABLE, "cannot decode " + what + ": FFmpeg has no "
                    + "demuxer called " + container);
        }
        long id = IDS.incrementAndGet();
        Payload payload = new Payload(bytes);
        SegmentDemuxer d = new SegmentDemuxer(payload, new Pointer() {
            {
                address = id; // only ever passed back to the callbacks, never dereferenced
            }
        });
        PAYLOADS.put(id, payload);
        try {
            d.open(input, what);
            return d;
        } catch (DecodeException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void open(AVInputFormat input, String what) throws DecodeException {
        BytePointer buffer = new BytePointer(avutil.av_malloc(IO_BUFFER_BYTES));
        io = avformat.avio_alloc_context(buffer, IO_BUFFER_BYTES, 0, opaque, READ,
                (Write_packet_Pointer_BytePointer_int) null, SEEK);
        if (io == null) {
            avutil.av_free(buffer);
            throw new IllegalStateException("FFmpeg could not allocate an I/O context");
        }
        AVFormatContext f = avformat.avformat_alloc_context();
        f.pb(io);
        f.flags(f.flags() | AVFormatContext.AVFMT_FLAG_CUSTOM_IO);
        int ret = avformat.avformat_open_input(f, (String) null, input, (AVDictionary) null);
        if (ret < 0) { // FFmpeg freed the context
            throw new DecodeException(DeadLetterReason.UNDECODABLE, "cannot decode " + what + ": "
                    + FFmpegErrors.describe(ret, "cannot open the container"));
        }
        format = f;
    }

    /** The first video stream's parameters, or null while the container has shown none. */
    AVCodecParameters video() {
        if (videoIndex < 0) {
            for (int i = 0; i < format.nb_streams(); i++) {
                if (format.streams(i).codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                    videoIndex = i;
                    break;
                }
            }
        }
        return videoIndex < 0 ? null : format.streams(videoIndex).codecpar();
    }

    /** Streams the container has shown so far. */
    int streams() {
        return format.nb_streams();
    }

    /** The video stream, once {@link #video()} found one. */
    AVStream videoStream() {
        return format.streams(videoIndex);
    }

    /** The shape of the video stream's pixels (width over height; 0 when unknown), as FFmpeg guesses it. */
    double sampleAspect(AVFrame frame) {
        AVRational r = avformat.av_guess_sample_aspect_ratio(format, videoStream(), frame);
        return r.num() > 0 && r.den() > 0 ? (double) r.num() / r.den() : 0;
    }

    /**
     * Reads the next packet of the video stream into {@code packet} (which the caller unrefs);
     * false at the end of the payload or at the first error (a truncated or corrupt tail).
     */
    boolean nextVideoPacket(AVPacket packet) {
        while (avformat.av_read_frame(format, packet) >= 0) {
            if (video() != null && packet.stream_index() == videoIndex) {
                return true;
            }
            avcodec.av_packet_unref(packet);
        }
        return false;
    }

    @Override
    public void close() {
        if (format != null) {
            avformat.avformat_close_input(format);
            format = null;
        }
        if (io != null) {
            avutil.av_free(io.buffer()); // avio may have replaced the buffer it was given
            io.buffer(null);
            avformat.avio_context_free(io);
            io = null;
        }
        PAYLOADS.remove(opaque.address());
    }

    /** The bytes of one payload and how far FFmpeg has read them. */
    private static final class Payload {
        final byte[] bytes;
        int position;

        Payload(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /** FFmpeg's read callback: copies the next bytes of the payload into its buffer. */
    private static final class Read extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buffer, int size) {
            Payload p = PAYLOADS.get(opaque.address());
            if (p == null) {
                return avutil.AVERROR_EOF;
            }
            int n = Math.min(size, p.bytes.length - p.position);
            if (n <= 0) {
                return avutil.AVERROR_EOF;
            }
            buffer.position(0).put(p.bytes, p.position, n);
            p.position += n;
            return n;
        }
    }

    /** FFmpeg's seek callback, within the payload; {@code AVSEEK_SIZE} asks for its length. */
    private static final class Seek extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            Payload p = PAYLOADS.get(opaque.address());
            if (p == null) {
                return -1;
            }
            int how = whence & ~avformat.AVSEEK_FORCE;
            if (how == avformat.AVSEEK_SIZE) {
                return p.bytes.length;
            }
            long target;
            if (how == 0) { // SEEK_SET
                target = offset;
            } else if (how == 1) { // SEEK_CUR
                target = p.position + offset;
            } else if (how == 2) { // SEEK_END
                target = p.bytes.length + offset;
            } else {
                return -1;
            }
            if (target < 0 || target > p.bytes.length) {
                return -1;
            }
            p.position = (int) target;
            return target;
        }
    }
}
