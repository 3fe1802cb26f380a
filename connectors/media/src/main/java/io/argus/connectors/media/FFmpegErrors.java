package io.argus.connectors.media;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** FFmpeg's error numbers in its own words ("Connection refused", "Invalid data found ..."). */
public final class FFmpegErrors {

    private FFmpegErrors() {}

    /** FFmpeg's text for {@code error} (a negative AVERROR), or "FFmpeg error N" when it has none. */
    public static String describe(int error) {
        String text = text(error);
        return text != null ? text : "FFmpeg error " + error;
    }

    /** FFmpeg's text for {@code error}, or {@code fallback} with the number when it has none. */
    public static String describe(int error, String fallback) {
        String text = text(error);
        return text != null ? text : fallback + " (error " + error + ")";
    }

    private static String text(int error) {
        try (BytePointer text = new BytePointer(256)) {
            if (avutil.av_strerror(error, text, 256) != 0) {
                return null;
            }
            // getString() reads the whole buffer, not up to the NUL that ends FFmpeg's text
            String all = text.getString();
            int end = all.indexOf('\0');
            return end < 0 ? all : all.substring(0, end);
        }
    }
}
