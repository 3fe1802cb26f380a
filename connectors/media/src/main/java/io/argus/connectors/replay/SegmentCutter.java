package io.argus.connectors.replay;

import io.argus.connectors.media.FFmpegLogging;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
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
            FrameSegments video = grabber.hasVideo() && videoOut != null
                    ? new FrameSegments(options, streamId, baseTimeMs, firstVideoSequence, grabber.getImageWidth(),
                            grabber.getImageHeight(), grabber.getFrameRate(), videoOut) : null;
            PcmChunks audio = grabber.hasAudio() && audioOut != null
                    ? new PcmChunks(options, streamId, baseTimeMs, firstAudioSequence, grabber.getSampleRate(),
                            grabber.getAudioChannels(), audioOut) : null;
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
                    audio.add((ShortBuffer) frame.samples[0], mediaUs);
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
    static String reason(Exception e) {
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
}
