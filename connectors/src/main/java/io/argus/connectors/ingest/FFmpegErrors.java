package io.argus.connectors.ingest;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg's error numbers in its own words ("Connection refused", "Invalid data found ..."). */
final class FFmpegErrors {

    private FFmpegErrors() {}

    static String describe(int error) {
        byte[] text = new byte[256];
        if (avutil.av_strerror(error, text, text.length) != 0) {
            return "FFmpeg error " + error;
        }
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
    }
}
