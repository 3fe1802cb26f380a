package io.argus.operators.decode;

import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.media.FFmpegLogging;
import io.argus.connectors.media.MediaRecord;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes one self-contained video record (a segment or a single JPEG) with JavaCV/FFmpeg into
 * frames scaled by FFmpeg to the requested size and pixel layout: stretched to fill it, or, when
 * letterboxing, scaled to fit it with the picture's shape kept and the rest (right or bottom)
 * black, as a pose model needs people in their true proportions. One grabber per record, closed
 * before returning: no native memory outlives the call.
 */
public final class VideoSegmentDecoder {

    private final int width;
    private final int height;
    private final int channels;
    private final boolean letterbox;
    private final DecodeLimits limits;

    /**
     * @param channels 1 for grey, 3 for RGB
     */
    public VideoSegmentDecoder(int width, int height, int channels, DecodeLimits limits) {
        this(width, height, channels, false, limits);
    }

    /**
     * @param channels 1 for grey, 3 for RGB
     * @param letterbox keep the picture's shape (fit inside, pad right or bottom) rather than stretch it
     */
    public VideoSegmentDecoder(int width, int height, int channels, boolean letterbox, DecodeLimits limits) {
        FFmpegLogging.apply();
        if (width < 8 || height < 8 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException("frame size must be 8..4096 pixels a side: " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB): " + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.letterbox = letterbox;
        this.limits = limits;
    }

    public List<VideoFrame> decode(MediaRecord record) throws DecodeException {
        List<VideoFrame> frames = new ArrayList<>();
        String what = record.codec.wireName() + "/" + record.container + " segment";
        ByteArrayInputStream input = new ByteArrayInputStream(record.payload);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(input)) {
            grabber.setFormat(record.container);
            grabber.setImageWidth(width);
            grabber.setImageHeight(height);
            grabber.setPixelFormat(channels == 1 ? avutil.AV_PIX_FMT_GRAY8 : avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            if (!grabber.hasVideo()) {
                throw new DecodeException(DeadLetterReason.NO_MEDIA_STREAM, "no video stream in " + what);
            }
            checkDeclaredSize(grabber.getFormatContext(), what);
            Picture picture = picture(grabber);
            grabber.setImageWidth(picture.width());
            grabber.setImageHeight(picture.height());
            long firstUs = Long.MIN_VALUE;
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                if (frames.size() == limits.maxFramesPerSegment()) {
                    throw new DecodeException(DeadLetterReason.OVER_LIMIT,
                            what + " holds more than " + limits.maxFramesPerSegment() + " frames");
                }
                if (firstUs == Long.MIN_VALUE) {
                    firstUs = frame.timestamp;
                }
                long ts = record.captureTimeMs + Math.max(0, frame.timestamp - firstUs) / 1000;
                VideoFrame decoded = new VideoFrame(record.streamId, ts, width, height, channels,
                        pixels(frame, picture), System.currentTimeMillis());
                decoded.contentWidth = picture.width();
                decoded.contentHeight = picture.height();
                decoded.aspect = picture.aspect();
                frames.add(decoded);
            }
            grabber.stop();
        } catch (FrameGrabber.Exception e) {
            throw DecodeException.undecodable(what, e, input);
        }
        if (frames.isEmpty()) {
            throw new DecodeException(DeadLetterReason.NO_MEDIA_DECODED, "no frames decoded from " + what);
        }
        return frames;
    }

    /** Refuses a stream whose declared frame size exceeds the limit, before any frame is decoded. */
    private void checkDeclaredSize(AVFormatContext format, String what) throws DecodeException {
        for (int i = 0; i < format.nb_streams(); i++) {
            AVCodecParameters p = format.streams(i).codecpar();
            if (p.codec_type() == avutil.AVMEDIA_TYPE_VIDEO
                    && (long) p.width() * p.height() > limits.maxPixelsPerFrame()) {
                throw new DecodeException(DeadLetterReason.OVER_LIMIT,
                        what + " declares frames of " + p.width() + "x" + p.height()
                        + ", over the limit of " + limits.maxPixelsPerFrame() + " pixels");
            }
        }
    }

    /** Where the camera's picture goes in the frame, and its shape as it is meant to be shown. */
    private record Picture(int width, int height, float aspect) {}

    private Picture picture(FFmpegFrameGrabber grabber) {
        int[] size = videoSize(grabber);
        double sar = grabber.getAspectRatio() > 0 ? grabber.getAspectRatio() : 1;
        float aspect = size[0] > 0 && size[1] > 0 ? (float) (size[0] * sar / size[1]) : (float) width / height;
        if (!letterbox || size[0] <= 0 || size[1] <= 0) {
            return new Picture(width, height, aspect);
        }
        double scale = Math.min((double) width / aspect, height);
        int w = Math.max(2, Math.min(width, (int) Math.round(scale * aspect)));
        int h = Math.max(2, Math.min(height, (int) Math.round(scale)));
        return new Picture(w, h, aspect);
    }

    /** The video stream's coded size, or zeros when the container does not say. */
    private static int[] videoSize(FFmpegFrameGrabber grabber) {
        AVFormatContext format = grabber.getFormatContext();
        for (int i = 0; i < format.nb_streams(); i++) {
            AVCodecParameters p = format.streams(i).codecpar();
            if (p.codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                return new int[] {p.width(), p.height()};
            }
        }
        return new int[2];
    }

    /**
     * Copies the frame out of FFmpeg's buffer into the top-left of a frame of the decoder's size, a
     * row at a time when rows are padded or the picture is letterboxed.
     */
    private byte[] pixels(Frame frame, Picture picture) {
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        int rowBytes = width * channels;
        int pictureRowBytes = picture.width() * channels;
        byte[] out = new byte[rowBytes * height];
        if (frame.imageStride == rowBytes && picture.width() == width && picture.height() == height) {
            src.position(0);
            src.get(out);
        } else {
            for (int y = 0; y < picture.height(); y++) {
                src.position(y * frame.imageStride);
                src.get(out, y * rowBytes, pictureRowBytes);
            }
        }
        return out;
    }
}
