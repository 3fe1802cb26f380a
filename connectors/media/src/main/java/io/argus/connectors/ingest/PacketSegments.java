package io.argus.connectors.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_close_dyn_buf;
import static org.bytedeco.ffmpeg.global.avformat.avio_open_dyn_buf;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.argus.connectors.media.FFmpegErrors;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import java.io.IOException;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Cuts a compressed video stream into self-contained segments without re-encoding: each segment
 * starts on a keyframe and ends before the first keyframe at least {@code segmentMillis} after its
 * start, so a segment holds one or more whole groups of pictures. The packets are copied into a
 * fresh MPEG-TS (H.264, HEVC, MPEG-4) or Matroska (MJPEG, VP8, VP9) container in memory, their
 * timestamps moved to start at zero.
 */
final class PacketSegments {

    private final String streamId;
    private final MediaCodec codec;
    private final String container;
    private final AVCodecParameters parameters;
    private final AVRational inputTimeBase;
    private final double frameRate;
    private final long segmentUs;
    private final Consumer<MediaRecord> out;
    private AVFormatContext muxer;
    private AVPacket copy;
    private long sequence;
    private long segmentCaptureUs;
    private long firstDts;
    private long lastPtsUs;
    private long firstPtsUs;

    /**
     * @param stream the source's video stream; its codec must be one the wire format carries ({@link #codecOf})
     * @param firstSequence the {@code argus.seq} of the first segment
     */
    PacketSegments(String streamId, AVStream stream, MediaCodec codec, double frameRate, long segmentMillis,
            long firstSequence, Consumer<MediaRecord> out) {
        this.streamId = streamId;
        this.codec = codec;
        this.container = containerFor(codec);
        this.parameters = stream.codecpar();
        this.inputTimeBase = stream.time_base();
        this.frameRate = frameRate > 0 && frameRate <= 240 ? frameRate : 25;
        this.segmentUs = segmentMillis * 1000;
        this.sequence = firstSequence;
        this.out = out;
    }

    /** The wire codec of an FFmpeg codec id, or null when the wire format cannot carry it as it is. */
    static MediaCodec codecOf(int codecId) {
        if (codecId == avcodec.AV_CODEC_ID_H264) {
            return MediaCodec.H264;
        }
        if (codecId == avcodec.AV_CODEC_ID_HEVC) {
            return MediaCodec.HEVC;
        }
        if (codecId == avcodec.AV_CODEC_ID_MPEG4) {
            return MediaCodec.MPEG4;
        }
        if (codecId == avcodec.AV_CODEC_ID_MJPEG) {
            return MediaCodec.MJPEG;
        }
        if (codecId == avcodec.AV_CODEC_ID_VP8) {
            return MediaCodec.VP8;
        }
        if (codecId == avcodec.AV_CODEC_ID_VP9) {
            return MediaCodec.VP9;
        }
        return null;
    }

    static String containerFor(MediaCodec codec) {
        return switch (codec) {
            case H264, HEVC, MPEG4 -> "mpegts";
            default -> "matroska";
        };
    }

    /**
     * Adds a packet of the video stream captured at {@code captureUs} (epoch microseconds).
     * Packets before the first keyframe are dropped: nothing could decode them. So is a packet
     * without any timestamp while no segment is open (an RTSP source's first packets can come before
     * the stream is timed): a segment cannot start at a time nobody knows. Inside an open segment such
     * a packet is copied and leaves the segment's times alone.
     *
     * @return false when the packet was dropped
     */
    boolean add(AVPacket packet, long captureUs) throws IOException {
        boolean key = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
        long ts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
        if (ts == AV_NOPTS_VALUE) {
            if (muxer == null) {
                return false;
            }
            write(packet);
            return true;
        }
        long ptsUs = micros(ts);
        if (muxer != null && key && ptsUs - firstPtsUs >= segmentUs - frameUs() / 2) {
            finish();
        }
        if (muxer == null) {
            if (!key) {
                return false;
            }
            open(packet, captureUs, ptsUs);
        }
        write(packet);
        lastPtsUs = Math.max(lastPtsUs, ptsUs);
        return true;
    }

    /** Ends the open segment, if any, and sends it. */
    void finish() throws IOException {
        if (muxer == null) {
            return;
        }
        AVFormatContext m = muxer;
        muxer = null;
        int ret = av_write_trailer(m);
        byte[] bytes = closeBuffer(m);
        avformat_free_context(m);
        if (ret < 0) {
            throw new IOException("cannot end a " + container + " segment of " + streamId + ": "
                    + FFmpegErrors.describe(ret));
        }
        long durationMs = Math.round((lastPtsUs - firstPtsUs + frameUs()) / 1000.0);
        out.accept(MediaRecord.video(streamId, codec, container, segmentCaptureUs / 1000, durationMs, sequence++,
                frameRate, bytes));
    }

    /** Drops the open segment, if any (its source was lost mid-segment), and frees native memory. */
    void close() {
        if (muxer != null) {
            closeBuffer(muxer);
            avformat_free_context(muxer);
            muxer = null;
        }
        if (copy != null) {
            av_packet_free(copy);
            copy = null;
        }
    }

    private void open(AVPacket packet, long captureUs, long ptsUs) throws IOException {
        AVFormatContext m = new AVFormatContext(null);
        int ret = avformat_alloc_output_context2(m, null, container, null);
        if (ret < 0) {
            throw new IOException("cannot make a " + container + " segment: " + FFmpegErrors.describe(ret));
        }
        AVStream st = avformat_new_stream(m, null);
        avcodec_parameters_copy(st.codecpar(), parameters);
        st.codecpar().codec_tag(0);
        st.time_base(inputTimeBase);
        AVIOContext pb = new AVIOContext(null);
        avio_open_dyn_buf(pb);
        m.pb(pb);
        ret = avformat_write_header(m, (AVDictionary) null);
        if (ret < 0) {
            closeBuffer(m);
            avformat_free_context(m);
            throw new IOException("cannot start a " + container + " segment of " + codec.wireName() + " for " + streamId
                    + ": " + FFmpegErrors.describe(ret));
        }
        if (copy == null) {
            copy = av_packet_alloc();
        }
        muxer = m;
        segmentCaptureUs = captureUs;
        firstDts = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
        firstPtsUs = ptsUs;
        lastPtsUs = ptsUs;
    }

    private void write(AVPacket packet) throws IOException {
        av_packet_ref(copy, packet);
        copy.stream_index(0);
        AVRational to = muxer.streams(0).time_base();
        if (copy.pts() != AV_NOPTS_VALUE) {
            copy.pts(av_rescale_q(copy.pts() - firstDts, inputTimeBase, to));
        }
        if (copy.dts() != AV_NOPTS_VALUE) {
            copy.dts(av_rescale_q(copy.dts() - firstDts, inputTimeBase, to));
        }
        copy.duration(av_rescale_q(copy.duration(), inputTimeBase, to));
        copy.pos(-1);
        int ret = av_write_frame(muxer, copy);
        av_packet_unref(copy);
        if (ret < 0) {
            throw new IOException("cannot copy a " + codec.wireName() + " packet of " + streamId + " into "
                    + container + ": " + FFmpegErrors.describe(ret));
        }
    }

    private static byte[] closeBuffer(AVFormatContext m) {
        BytePointer data = new BytePointer((Pointer) null);
        int size = avio_close_dyn_buf(m.pb(), data);
        m.pb(null);
        byte[] bytes = new byte[Math.max(0, size)];
        if (size > 0) {
            data.get(bytes);
        }
        av_free(data);
        return bytes;
    }

    private long micros(long ts) {
        return av_rescale_q(ts, inputTimeBase, MICROS);
    }

    private long frameUs() {
        return Math.round(1e6 / frameRate);
    }

    private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);
}
