package io.argus.connectors.replay;

import io.argus.connectors.media.MediaRecord;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes decoded video frames into self-contained segments of about {@code segmentMillis} of
 * media time, each starting on a keyframe: how {@code argus replay} cuts every file, and how
 * {@code argus ingest} cuts a live source whose codec the wire format does not carry.
 *
 * <p>Capture time of a segment = {@code baseTimeMs} + the media time of its first frame. A segment
 * ends once it spans {@code segmentMillis} of media time, so sources with a variable frame rate
 * keep their timing (frames keep their timestamps in the segment).
 */
public final class FrameSegments {

    private final SegmentOptions options;
    private final String streamId;
    private final long baseTimeMs;
    private final Consumer<MediaRecord> out;
    private final int width;
    private final int height;
    private final double fps;
    private final int framesPerSegment;
    private final long frameUs;
    private final long firstSequence;
    private FFmpegFrameRecorder recorder;
    private ByteArrayOutputStream buffer;
    private long segmentStartUs;
    private long sequence;
    private long lastRelativeUs;

    /**
     * @param frameRate the source's nominal rate; 25 when unknown or implausible
     * @param out receives each segment as it ends, numbered from {@code firstSequence}
     */
    public FrameSegments(SegmentOptions options, String streamId, long baseTimeMs, long firstSequence, int width,
            int height, double frameRate, Consumer<MediaRecord> out) {
        this.options = options;
        this.streamId = streamId;
        this.baseTimeMs = baseTimeMs;
        this.firstSequence = firstSequence;
        this.sequence = firstSequence;
        this.out = out;
        this.width = width;
        this.height = height;
        this.fps = frameRate > 0 && frameRate <= 240 ? frameRate : 25;
        this.framesPerSegment = Math.max(1, (int) Math.round(fps * options.segmentMillis() / 1000.0));
        this.frameUs = Math.round(1e6 / fps);
    }

    /** Adds a frame at {@code mediaUs} (microseconds after {@code baseTimeMs}). */
    public void add(Frame frame, long mediaUs) throws FrameRecorder.Exception {
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
    }

    /** Ends the open segment, if any; returns how many segments were written. */
    public int finish() throws FrameRecorder.Exception {
        if (recorder != null) {
            close(segmentStartUs + lastRelativeUs + frameUs);
        }
        return (int) (sequence - firstSequence);
    }

    /** The sequence number the next segment gets. */
    public long nextSequence() {
        return sequence;
    }

    private void open(long mediaUs) throws FrameRecorder.Exception {
        buffer = new ByteArrayOutputStream(64 * 1024);
        recorder = new FFmpegFrameRecorder(buffer, width, height, 0);
        recorder.setFormat(SegmentCutter.containerFor(options.videoCodec()));
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
        lastRelativeUs = -1;
    }

    /** Ends the segment; {@code endUs} is the media time just after its last frame. */
    private void close(long endUs) throws FrameRecorder.Exception {
        recorder.stop();
        recorder.release();
        recorder = null;
        long durationMs = Math.round((endUs - segmentStartUs) / 1000.0);
        out.accept(MediaRecord.video(streamId, options.videoCodec(), SegmentCutter.containerFor(options.videoCodec()),
                baseTimeMs + segmentStartUs / 1000, durationMs, sequence++, fps, buffer.toByteArray()));
    }
}
