package io.argus.connectors.replay;

import io.argus.connectors.media.FFmpegLogging;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Cuts a recorded file into Argus media records with JavaCV/FFmpeg, keeping media time: video
 * becomes self-contained segments (MPEG-TS, or Matroska for MJPEG) that each start on a keyframe,
 * audio becomes 16-bit PCM chunks at the file's own rate and channel count.
 *
 * <p>Capture time of a record = {@code baseTimeMs} + the media timestamp of its first frame or
 * sample relative to the start of the file.
 */
public final class SegmentCutter {

    /**
     * The container of the video segments the cutter writes: MPEG-TS for H.264 and MPEG-4; Matroska
     * for MJPEG, which FFmpeg's MPEG-TS muxer writes as a private stream that demuxers do not read.
     */
    public static String containerFor(MediaCodec codec) {
        return codec == MediaCodec.MJPEG ? "matroska" : "mpegts";
    }

    private final SegmentOptions options;

    public SegmentCutter(SegmentOptions options) {
        FFmpegLogging.apply();
        this.options = options;
    }

    /** What a cut produced. */
    public record Summary(int videoSegments, int audioChunks, long durationMs) {}

    /** Which kinds of media a file holds. */
    public record Streams(boolean video, boolean audio) {}

    /**
     * Opens a file as FFmpeg would to cut it, without decoding.
     *
     * @throws IOException saying why FFmpeg cannot read it, or that it holds neither video nor audio
     */
    public static Streams probe(Path file) throws IOException {
        FFmpegLogging.apply();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            Streams streams = new Streams(grabber.hasVideo(), grabber.hasAudio());
            grabber.stop();
            if (!streams.video() && !streams.audio()) {
                throw new IOException(file + " holds neither video nor audio");
            }
            return streams;
        } catch (FrameGrabber.Exception e) {
            throw new IOException("FFmpeg cannot read " + file + " as media: " + reason(e), e);
        }
    }

    /**
     * Cuts one file; its records are numbered from 0.
     *
     * @param videoOut receives video records in order; may be null to skip video
     * @param audioOut receives audio records in order; may be null to skip audio
     */
    public Summary cut(Path file, String streamId, long baseTimeMs, Consumer<MediaRecord> videoOut,
            Consumer<MediaRecord> audioOut) throws IOException {
        return cut(file, streamId, baseTimeMs, 0, 0, videoOut, audioOut);
    }

    /**
     * Cuts one file, numbering its video and audio records ({@code argus.seq}) from the given
     * values, so that passes over the same file continue each stream's sequence.
     */
    public Summary cut(Path file, String streamId, long baseTimeMs, long firstVideoSequence, long firstAudioSequence,
            Consumer<MediaRecord> videoOut, Consumer<MediaRecord> audioOut) throws IOException {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
            grabber.start();
            VideoSegments video = grabber.hasVideo() && videoOut != null
                    ? new VideoSegments(streamId, baseTimeMs, firstVideoSequence, grabber, videoOut) : null;
            AudioChunks audio = grabber.hasAudio() && audioOut != null
                    ? new AudioChunks(streamId, baseTimeMs, firstAudioSequence, grabber, audioOut) : null;
            long firstTs = -1;
            long lastTs = 0;
            Frame frame;
            while ((frame = grabber.grab()) != null) {
                if (firstTs < 0) {
                    firstTs = frame.timestamp;
                }
                long mediaUs = frame.timestamp - firstTs;
                lastTs = Math.max(lastTs, mediaUs);
                if (frame.image != null && video != null) {
                    video.add(frame, mediaUs);
                } else if (frame.samples != null && audio != null) {
                    audio.add(frame, mediaUs);
                }
            }
            int segments = video == null ? 0 : video.finish();
            int chunks = audio == null ? 0 : audio.finish();
            return new Summary(segments, chunks, lastTs / 1000);
        } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
            throw new IOException("cannot cut " + file + ": " + reason(e), e);
        }
    }

    private static final java.util.regex.Pattern FFMPEG_ERROR = java.util.regex.Pattern.compile("error (-\\d+)");

    /**
     * What FFmpeg said, in its own words where JavaCV gives only the error number
     * ({@code avformat_open_input() error -1094995529: ...} becomes "Invalid data found when
     * processing input").
     */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        java.util.regex.Matcher m = FFMPEG_ERROR.matcher(message);
        if (m.find()) {
            byte[] text = new byte[256];
            if (avutil.av_strerror(Integer.parseInt(m.group(1)), text, text.length) == 0) {
                int end = 0;
                while (end < text.length && text[end] != 0) {
                    end++;
                }
                return new String(text, 0, end, java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return message.replace(" (Has setFormat() been called?)", "");
    }

    /** Re-encodes video frames into segments of about {@code segmentMillis}. */
    private final class VideoSegments {
        private final String streamId;
        private final long baseTimeMs;
        private final Consumer<MediaRecord> out;
        private final int width;
        private final int height;
        private final double fps;
        private final int framesPerSegment;
        private FFmpegFrameRecorder recorder;
        private ByteArrayOutputStream buffer;
        private long segmentStartUs;
        private final long firstSequence;
        private long sequence;
        private int framesInSegment;
        private long lastRelativeUs;
        private final long frameUs;

        VideoSegments(String streamId, long baseTimeMs, long firstSequence, FFmpegFrameGrabber grabber,
                Consumer<MediaRecord> out) {
            this.streamId = streamId;
            this.baseTimeMs = baseTimeMs;
            this.firstSequence = firstSequence;
            this.sequence = firstSequence;
            this.out = out;
            this.width = grabber.getImageWidth();
            this.height = grabber.getImageHeight();
            double rate = grabber.getFrameRate();
            this.fps = rate > 0 && rate <= 240 ? rate : 25;
            this.framesPerSegment = Math.max(1, (int) Math.round(fps * options.segmentMillis() / 1000.0));
            this.frameUs = Math.round(1e6 / fps);
        }

        /**
         * Adds a frame; a segment ends once it spans {@code segmentMillis} of media time, so files
         * with a variable frame rate keep their timing (frames keep their timestamps in the segment).
         */
        void add(Frame frame, long mediaUs) throws FrameRecorder.Exception {
            if (recorder != null && mediaUs - segmentStartUs >= options.segmentMillis() * 1000 - frameUs / 2) {
                close(mediaUs);
            }
            if (recorder == null) {
                open(mediaUs);
            }
            long relativeUs = mediaUs - segmentStartUs;
            if (relativeUs > lastRelativeUs) {
                recorder.setTimestamp(relativeUs); // keeps gaps of variable-rate sources
            }
            recorder.record(frame);
            lastRelativeUs = relativeUs > lastRelativeUs ? relativeUs : lastRelativeUs + frameUs;
            framesInSegment++;
        }

        int finish() throws FrameRecorder.Exception {
            if (recorder != null) {
                close(segmentStartUs + lastRelativeUs + frameUs);
            }
            return (int) (sequence - firstSequence);
        }

        private void open(long mediaUs) throws FrameRecorder.Exception {
            buffer = new ByteArrayOutputStream(64 * 1024);
            recorder = new FFmpegFrameRecorder(buffer, width, height, 0);
            recorder.setFormat(containerFor(options.videoCodec()));
            recorder.setFrameRate(fps);
            recorder.setGopSize(framesPerSegment);
            switch (options.videoCodec()) {
                case H264 -> {
                    recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                    recorder.setVideoBitrate(Math.max(200_000, width * height * 4));
                }
                case MPEG4 -> {
                    recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                    recorder.setVideoQuality(4);
                }
                case MJPEG -> {
                    recorder.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
                    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
                    recorder.setVideoQuality(4);
                }
                default -> throw new IllegalStateException(options.videoCodec().toString());
            }
            recorder.start();
            segmentStartUs = mediaUs;
            framesInSegment = 0;
            lastRelativeUs = -1;
        }

        /** Ends the segment; {@code endUs} is the media time just after its last frame. */
        private void close(long endUs) throws FrameRecorder.Exception {
            recorder.stop();
            recorder.release();
            recorder = null;
            long durationMs = Math.round((endUs - segmentStartUs) / 1000.0);
            out.accept(MediaRecord.video(
                    streamId, options.videoCodec(), containerFor(options.videoCodec()), baseTimeMs + segmentStartUs / 1000,
                    durationMs, sequence++, fps, buffer.toByteArray()));
        }
    }

    /** Collects interleaved 16-bit samples into PCM chunks of {@code audioChunkMillis}. */
    private final class AudioChunks {
        private final String streamId;
        private final long baseTimeMs;
        private final Consumer<MediaRecord> out;
        private final int sampleRate;
        private final int channels;
        private final short[] chunk;
        private int filled;
        private long chunkStartUs = -1;
        private final long firstSequence;
        private long sequence;

        AudioChunks(String streamId, long baseTimeMs, long firstSequence, FFmpegFrameGrabber grabber,
                Consumer<MediaRecord> out) {
            this.streamId = streamId;
            this.baseTimeMs = baseTimeMs;
            this.firstSequence = firstSequence;
            this.sequence = firstSequence;
            this.out = out;
            this.sampleRate = grabber.getSampleRate();
            this.channels = grabber.getAudioChannels();
            this.chunk = new short[(int) (sampleRate * options.audioChunkMillis() / 1000) * channels];
        }

        void add(Frame frame, long mediaUs) {
            ShortBuffer samples = ((ShortBuffer) frame.samples[0]).duplicate();
            long consumed = 0;
            while (samples.hasRemaining()) {
                if (chunkStartUs < 0) {
                    chunkStartUs = mediaUs + consumed * 1_000_000L / ((long) sampleRate * channels);
                }
                int n = Math.min(samples.remaining(), chunk.length - filled);
                samples.get(chunk, filled, n);
                filled += n;
                consumed += n;
                if (filled == chunk.length) {
                    emit();
                }
            }
        }

        int finish() {
            if (filled > 0) {
                emit();
            }
            return (int) (sequence - firstSequence);
        }

        private void emit() {
            ByteBuffer pcm = ByteBuffer.allocate(filled * 2).order(ByteOrder.LITTLE_ENDIAN);
            pcm.asShortBuffer().put(chunk, 0, filled);
            long durationMs = Math.round((double) filled / channels * 1000.0 / sampleRate);
            out.accept(MediaRecord.audio(
                    streamId, MediaCodec.PCM_S16LE, MediaRecordFormat.RAW, baseTimeMs + chunkStartUs / 1000,
                    durationMs, sequence++, sampleRate, channels, pcm.array()));
            filled = 0;
            chunkStartUs = -1;
        }
    }
}
