package io.argus.jobs.eval;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * How long a recording plays, for progress output and time-left estimates: the end of its last
 * packet, found by demuxing (no decoding). The container's own duration is not used; some writers
 * get it wrong (a 20 s Matroska file can say 27.6 s).
 */
final class MediaDuration {

    private MediaDuration() {}

    /** Milliseconds of media, from the first packet's start to the last packet's end. */
    static long of(Path file) throws IOException {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            double end = 0;
            AVPacket packet;
            while ((packet = grabber.grabPacket()) != null) {
                AVRational base = grabber.getFormatContext().streams(packet.stream_index()).time_base();
                long pts = packet.pts() == org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE ? packet.dts() : packet.pts();
                end = Math.max(end, (pts + packet.duration()) * (double) base.num() / base.den());
                org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(packet);
            }
            grabber.stop();
            return Math.round(end * 1000);
        } catch (FrameGrabber.Exception e) {
            throw new IOException("FFmpeg cannot open " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
