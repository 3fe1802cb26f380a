package io.argus.connectors.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S64;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8;
import static org.bytedeco.ffmpeg.global.avutil.av_get_bytes_per_sample;
import static org.bytedeco.ffmpeg.global.avutil.av_get_packed_sample_fmt;
import static org.bytedeco.ffmpeg.global.avutil.av_sample_fmt_is_planar;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.argus.connectors.media.FFmpegErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

/**
 * Decodes one stream of a live source, packet by packet: audio to interleaved 16-bit samples at
 * the source's own rate and channel count, video (only when it must be re-encoded) to BGR frames.
 */
final class PacketDecoder implements AutoCloseable {

    /** Receives decoded audio: interleaved samples and the media time of the first, in microseconds. */
    interface AudioSink {
        void samples(ShortBuffer interleaved, long ptsUs) throws IOException;
    }

    /** Receives decoded video frames and their media time in microseconds. */
    interface VideoSink {
        void frame(Frame frame, long ptsUs) throws IOException;
    }

    private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

    private final AVCodecContext context;
    private final AVRational timeBase;
    private final AVFrame frame;
    private final String what;
    private SwsContext scaler;
    private BytePointer bgr;
    private PointerPointer<BytePointer> bgrPlanes;
    private IntPointer bgrStride;
    private Frame image;

    /** @param what names the stream in errors, e.g. "audio of cam-1" */
    PacketDecoder(AVStream stream, String what) throws IOException {
        this.what = what;
        this.timeBase = stream.time_base();
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        if (codec == null) {
            throw new IOException("no decoder for the " + what + " (codec id " + stream.codecpar().codec_id() + ")");
        }
        context = avcodec_alloc_context3(codec);
        avcodec_parameters_to_context(context, stream.codecpar());
        context.pkt_timebase(stream.time_base());
        context.thread_count(1);
        int ret = avcodec_open2(context, codec, (AVDictionary) null);
        if (ret < 0) {
            avcodec_free_context(context);
            throw new IOException("cannot open the decoder of the " + what + ": " + FFmpegErrors.describe(ret));
        }
        frame = av_frame_alloc();
    }

    int sampleRate() {
        return context.sample_rate();
    }

    int channels() {
        return context.ch_layout().nb_channels();
    }

    int width() {
        return context.width();
    }

    int height() {
        return context.height();
    }

    /** Decodes an audio packet; the sink gets every frame it completes. */
    void decodeAudio(AVPacket packet, AudioSink sink) throws IOException {
        send(packet);
        while (receive()) {
            sink.samples(ShortBuffer.wrap(interleaved()), ptsUs());
        }
    }

    /** The frame's samples as interleaved 16-bit integers, from any of FFmpeg's sample formats. */
    private short[] interleaved() throws IOException {
        int channels = frame.ch_layout().nb_channels();
        int n = frame.nb_samples();
        int format = frame.format();
        boolean planar = av_sample_fmt_is_planar(format) != 0;
        int packed = av_get_packed_sample_fmt(format);
        int bytes = av_get_bytes_per_sample(format);
        short[] out = new short[n * channels];
        for (int c = 0; c < (planar ? channels : 1); c++) {
            int values = planar ? n : n * channels;
            ByteBuffer data = frame.extended_data(c).capacity((long) values * bytes).asByteBuffer()
                    .order(ByteOrder.nativeOrder());
            for (int i = 0; i < values; i++) {
                int at = planar ? i * channels + c : i;
                out[at] = sample(data, i * bytes, packed);
            }
        }
        return out;
    }

    private short sample(ByteBuffer data, int offset, int packedFormat) throws IOException {
        double v;
        if (packedFormat == AV_SAMPLE_FMT_S16) {
            return data.getShort(offset);
        } else if (packedFormat == AV_SAMPLE_FMT_FLT) {
            v = data.getFloat(offset);
        } else if (packedFormat == AV_SAMPLE_FMT_DBL) {
            v = data.getDouble(offset);
        } else if (packedFormat == AV_SAMPLE_FMT_S32) {
            return (short) (data.getInt(offset) >> 16);
        } else if (packedFormat == AV_SAMPLE_FMT_U8) {
            return (short) (((data.get(offset) & 0xff) - 128) << 8);
        } else if (packedFormat == AV_SAMPLE_FMT_S64) {
            return (short) (data.getLong(offset) >> 48);
        } else {
            throw new IOException("the " + what + " decodes to sample format " + packedFormat + ", not read");
        }
        double clipped = Math.max(-1.0, Math.min(1.0, v));
        return (short) Math.round(clipped * 32767.0);
    }

    /** Decodes a video packet; the sink gets every frame it completes, as BGR. */
    void decodeVideo(AVPacket packet, VideoSink sink) throws IOException {
        send(packet);
        while (receive()) {
            int w = frame.width();
            int h = frame.height();
            scaler = sws_getCachedContext(scaler, w, h, frame.format(), w, h, AV_PIX_FMT_BGR24, SWS_BILINEAR, null, null,
                    (DoublePointer) null);
            if (image == null || image.imageWidth != w || image.imageHeight != h) {
                if (bgr != null) {
                    bgr.close();
                }
                bgr = new BytePointer((long) w * h * 3);
                // sws_scale reads four plane pointers and four strides, even for a packed format
                bgrPlanes = new PointerPointer<BytePointer>(4).put(0, bgr);
                bgrStride = new IntPointer(new int[] {w * 3, 0, 0, 0});
                image = new Frame(w, h, Frame.DEPTH_UBYTE, 3, w * 3);
            }
            sws_scale(scaler, frame.data(), frame.linesize(), 0, h, bgrPlanes, bgrStride);
            ((ByteBuffer) image.image[0]).clear().put(bgr.position(0).limit((long) w * h * 3).asBuffer()).flip();
            sink.frame(image, ptsUs());
        }
    }

    private void send(AVPacket packet) throws IOException {
        int ret = avcodec_send_packet(context, packet);
        if (ret < 0 && ret != AVERROR_EAGAIN()) {
            throw new IOException("cannot decode the " + what + ": " + FFmpegErrors.describe(ret));
        }
    }

    private boolean receive() throws IOException {
        int ret = avcodec_receive_frame(context, frame);
        if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
            return false;
        }
        if (ret < 0) {
            throw new IOException("cannot decode the " + what + ": " + FFmpegErrors.describe(ret));
        }
        return true;
    }

    private long ptsUs() {
        long ts = frame.best_effort_timestamp();
        if (ts == AV_NOPTS_VALUE) {
            ts = frame.pts();
        }
        return ts == AV_NOPTS_VALUE ? Long.MIN_VALUE : av_rescale_q(ts, timeBase, MICROS);
    }

    @Override
    public void close() {
        if (scaler != null) {
            sws_freeContext(scaler);
            scaler = null;
        }
        av_frame_free(frame);
        avcodec_free_context(context);
        if (bgr != null) {
            bgr.close();
        }
    }
}
