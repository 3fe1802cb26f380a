package io.argus.operators.decode;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts decoded pictures to the job's frame size and pixel layout with FFmpeg's scaler
 * (bilinear, as JavaCV's grabber did): stretched to fill the frame, or, when letterboxing, fitted
 * into it with the picture's shape kept and the rest (right or bottom) black. One scaler serves
 * every stream of a decoder: the conversion context is rebuilt only when the source changes, and
 * the output is written once into native memory and copied once into the frame's own array.
 */
final class FrameScaler implements AutoCloseable {

    private final int width;
    private final int height;
    private final int channels;
    private final boolean letterbox;
    private final BytePointer out;
    private final PointerPointer<BytePointer> outPlanes;
    private final IntPointer outStride;
    private SwsContext sws;
    /** The source the context was made for, and where the picture lies in the frame. */
    private int srcWidth = -1;
    private int srcHeight = -1;
    private int srcFormat = -1;
    private double srcSar = -1;
    private Picture picture;

    /** Where the camera's picture goes in the frame, and its shape as it is meant to be shown. */
    record Picture(int width, int height, float aspect) {}

    FrameScaler(int width, int height, int channels, boolean letterbox) {
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
        this.out = new BytePointer((long) width * height * channels);
        Pointer.memset(out, 0, out.capacity());
        this.outPlanes = new PointerPointer<>(1);
        this.outPlanes.put(0, out);
        this.outStride = new IntPointer(1);
        this.outStride.put(0, width * channels);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    int channels() {
        return channels;
    }

    /**
     * Where a picture of {@code srcWidth x srcHeight} with sample aspect ratio {@code sar} (0 when
     * unknown) lands in the frame.
     */
    Picture place(int srcWidth, int srcHeight, double sar) {
        double s = sar > 0 ? sar : 1;
        float aspect = srcWidth > 0 && srcHeight > 0 ? (float) (srcWidth * s / srcHeight) : (float) width / height;
        if (!letterbox || srcWidth <= 0 || srcHeight <= 0) {
            return new Picture(width, height, aspect);
        }
        double scale = Math.min((double) width / aspect, height);
        int w = Math.max(2, Math.min(width, (int) Math.round(scale * aspect)));
        int h = Math.max(2, Math.min(height, (int) Math.round(scale)));
        return new Picture(w, h, aspect);
    }

    /** Converts a decoded picture into a new array of the frame's size; {@link #picture()} says where it lies. */
    byte[] convert(AVFrame frame, double sar) {
        if (frame.width() != srcWidth || frame.height() != srcHeight || frame.format() != srcFormat
                || sar != srcSar) {
            reconfigure(frame.width(), frame.height(), frame.format(), sar);
        }
        swscale.sws_scale(sws, frame.data(), frame.linesize(), 0, srcHeight, outPlanes, outStride);
        byte[] pixels = new byte[width * height * channels];
        out.position(0).get(pixels);
        return pixels;
    }

    /** Where the last converted picture lies in its frame. */
    Picture picture() {
        return picture;
    }

    private void reconfigure(int w, int h, int format, double sar) {
        Picture p = place(w, h, sar);
        sws = swscale.sws_getCachedContext(sws, w, h, format, p.width(), p.height(),
                channels == 1 ? avutil.AV_PIX_FMT_GRAY8 : avutil.AV_PIX_FMT_RGB24, swscale.SWS_BILINEAR, null, null,
                (DoublePointer) null);
        if (sws == null) {
            throw new IllegalStateException("FFmpeg cannot convert " + w + "x" + h + " pictures of pixel format "
                    + format + " to " + p.width() + "x" + p.height());
        }
        if (picture != null && (picture.width() != p.width() || picture.height() != p.height())) {
            Pointer.memset(out, 0, out.capacity()); // the black around the picture moved
        }
        srcWidth = w;
        srcHeight = h;
        srcFormat = format;
        srcSar = sar;
        picture = p;
    }

    @Override
    public void close() {
        if (sws != null) {
            swscale.sws_freeContext(sws);
            sws = null;
        }
        outPlanes.close();
        outStride.close();
        out.close();
    }
}
