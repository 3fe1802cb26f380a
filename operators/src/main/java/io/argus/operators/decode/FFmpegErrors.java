package io.argus.operators.decode;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** FFmpeg's error codes as words. */
final class FFmpegErrors {

    private FFmpegErrors() {}

    /** FFmpeg's text for {@code code} (a negative AVERROR), or {@code fallback} with the code when it has none. */
    static String describe(int code, String fallback) {
        try (BytePointer text = new BytePointer(256)) {
            if (avutil.av_strerror(code, text, 256) == 0) {
                return text.getString();
            }
        }
        return fallback + " (error " + code + ")";
    }
}
