package io.argus.connectors.ingest;

import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_BAD_REQUEST;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import io.argus.connectors.media.FFmpegErrors;
import io.argus.connectors.media.FFmpegLogging;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open connection to a live source, read packet by packet with FFmpeg's demuxers. Every
 * blocking call (opening, probing, reading) runs under a deadline that FFmpeg's interrupt callback
 * checks, so a source that stops sending makes a read fail with {@link StalledException} after the
 * read timeout instead of hanging its thread; {@link #abort()} ends a blocked call from another
 * thread.
 */
final class LiveInput implements AutoCloseable {

    /** A source that sent nothing for the read timeout. */
    static final class StalledException extends IOException {
        private static final long serialVersionUID = 1L;

        StalledException(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LiveInput.class);
    /** {@code AVERROR(EPROTONOSUPPORT)}: what FFmpeg returns when an RTSP server answers 461 to every transport offered. */
    private static final int AVERROR_PROTOCOL_NOT_SUPPORTED = -93;
    private static final AtomicLong TOKENS = new AtomicLong();
    private static final Map<Long, LiveInput> OPEN = new ConcurrentHashMap<>();
    /**
     * One callback for every input (JavaCPP allows few callback instances per class): it finds its
     * input by the token in {@code opaque}.
     */
    private static final Interrupt INTERRUPT = new Interrupt();

    private final SourceSpec source;
    private final long readTimeoutNanos;
    /** Native memory whose address identifies this input to the interrupt callback. */
    private final LongPointer token;
    private final long tokenValue;
    private AVFormatContext context;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean aborted;
    private long openedAtMs;
    private int videoStream = -1;
    private int audioStream = -1;

    private LiveInput(SourceSpec source, Duration readTimeout) {
        this.source = source;
        this.readTimeoutNanos = readTimeout.toNanos();
        this.token = new LongPointer(1).put(TOKENS.incrementAndGet());
        this.tokenValue = token.address();
    }

    /**
     * Opens a source and finds its video and audio streams, within {@code readTimeout} for each
     * step.
     *
     * @throws StalledException when the source does not answer in time
     * @throws IOException with FFmpeg's reason when it cannot be opened or holds neither video nor audio
     */
    static LiveInput open(SourceSpec source, Duration readTimeout) throws IOException {
        FFmpegLogging.apply();
        LiveInput input = new LiveInput(source, readTimeout);
        OPEN.put(input.tokenValue, input);
        try {
            input.start();
            return input;
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    private void start() throws IOException {
        AVInputFormat format = null;
        if (source.inputFormat() != null) {
            format = av_find_input_format(source.inputFormat());
            if (format == null) {
                throw new IOException("this FFmpeg build has no " + source.inputFormat() + " input, needed for "
                        + source.display());
            }
        }
        boolean rtsp = source.url().startsWith("rtsp");
        int ret = openWith(format, rtsp ? "tcp" : null);
        if (rtsp && refusedTcp(ret) && !aborted) {
            // a server that carries RTP over UDP only (e.g. Debian's rtsp-server-perl) answers the
            // interleaved SETUP with 400 or 461: read it over UDP rather than not at all
            LOG.info("{}: the RTSP server refused RTP over TCP ({}); reading it over UDP", source,
                    FFmpegErrors.describe(ret));
            ret = openWith(format, "udp");
        }
        if (ret < 0) {
            throw failure("cannot open", ret);
        }
        arm();
        ret = avformat_find_stream_info(context, (PointerPointer<?>) null);
        if (ret < 0) {
            throw failure("cannot read the streams of", ret);
        }
        videoStream = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        audioStream = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
        if (videoStream < 0 && audioStream < 0) {
            throw new IOException(source.display() + " holds neither video nor audio");
        }
        disarm();
    }

    /**
     * Opens the source, over {@code rtspTransport} ({@code tcp} or {@code udp}) when it is RTSP;
     * sets {@link #context} and returns 0, or FFmpeg's error (it frees the context it was given
     * when it fails).
     */
    private int openWith(AVInputFormat format, String rtspTransport) {
        AVFormatContext ctx = avformat_alloc_context();
        AVIOInterruptCB cb = ctx.interrupt_callback();
        cb.callback(INTERRUPT);
        cb.opaque(token);
        AVDictionary options = new AVDictionary(null);
        long timeoutUs = readTimeoutNanos / 1000;
        if (rtspTransport != null) {
            av_dict_set(options, "rtsp_transport", rtspTransport, 0);
            av_dict_set(options, "timeout", Long.toString(timeoutUs), 0);
        }
        if (source.kind() == SourceSpec.Kind.NETWORK) {
            av_dict_set(options, "rw_timeout", Long.toString(timeoutUs), 0);
        }
        arm();
        int ret = avformat_open_input(ctx, source.url(), format, options);
        av_dict_free(options);
        if (ret >= 0) {
            context = ctx;
            openedAtMs = System.currentTimeMillis();
        }
        return ret;
    }

    /** Whether an RTSP server's answer to a SETUP over TCP says it does not carry RTP over TCP. */
    private static boolean refusedTcp(int ret) {
        return ret == AVERROR_HTTP_BAD_REQUEST || ret == AVERROR_PROTOCOL_NOT_SUPPORTED;
    }

    /**
     * Reads the next packet of any stream into {@code packet}.
     *
     * @return false at the end of the source (a recording's end, a server closing the stream)
     * @throws StalledException when nothing came for the read timeout
     */
    boolean read(AVPacket packet) throws IOException {
        arm();
        int ret = av_read_frame(context, packet);
        disarm();
        if (ret == AVERROR_EOF) {
            return false;
        }
        if (ret < 0) {
            throw failure("lost", ret);
        }
        return true;
    }

    /** The video stream, or null when the source has none. */
    AVStream video() {
        return videoStream < 0 ? null : context.streams(videoStream);
    }

    /** The audio stream, or null when the source has none. */
    AVStream audio() {
        return audioStream < 0 ? null : context.streams(audioStream);
    }

    int videoIndex() {
        return videoStream;
    }

    int audioIndex() {
        return audioStream;
    }

    /**
     * When the source was opened, epoch ms: a live source sends from then on (RTSP: PLAY), so its
     * first packet was captured about then, however long probing its streams held it back.
     */
    long openedAtMs() {
        return openedAtMs;
    }

    /** Makes a blocked call return at once, from any thread. */
    void abort() {
        aborted = true;
    }

    @Override
    public void close() {
        aborted = true;
        if (context != null) {
            avformat_close_input(context);
            context = null;
        }
        OPEN.remove(tokenValue);
        token.close();
    }

    private void arm() {
        deadlineNanos = System.nanoTime() + readTimeoutNanos;
    }

    private void disarm() {
        deadlineNanos = Long.MAX_VALUE;
    }

    private boolean interrupted() {
        return aborted || System.nanoTime() > deadlineNanos;
    }

    private IOException failure(String what, int ret) {
        if (aborted) {
            return new IOException("reading " + source.display() + " was stopped");
        }
        if (System.nanoTime() > deadlineNanos) {
            return new StalledException("no data from " + source.display() + " for "
                    + Duration.ofNanos(readTimeoutNanos).toMillis() + " ms (" + what + ")");
        }
        return new IOException(what + " " + source.display() + ": " + FFmpegErrors.describe(ret));
    }

    /** FFmpeg's interrupt callback: non-zero ends the blocking call in progress. */
    private static final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
        Interrupt() {
            super();
        }

        @Override
        public int call(Pointer opaque) {
            if (opaque == null || opaque.isNull()) {
                return 0;
            }
            LiveInput input = OPEN.get(opaque.address());
            return input != null && input.interrupted() ? 1 : 0;
        }
    }
}
