package io.argus.connectors.media;

import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Sets FFmpeg's own log level once per JVM (FFmpeg prints every opened stream at its default
 * level). The level comes from the system property {@value #PROPERTY}: quiet, panic, fatal, error
 * (the default), warning, info, verbose or debug.
 */
public final class FFmpegLogging {

    public static final String PROPERTY = "argus.ffmpeg.log-level";

    private static volatile boolean applied;

    private FFmpegLogging() {}

    /** Applies the configured level; cheap after the first call. */
    public static void apply() {
        if (applied) {
            return;
        }
        synchronized (FFmpegLogging.class) {
            if (!applied) {
                avutil.av_log_set_level(level(System.getProperty(PROPERTY, "error")));
                applied = true;
            }
        }
    }

    static int level(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "quiet" -> avutil.AV_LOG_QUIET;
            case "panic" -> avutil.AV_LOG_PANIC;
            case "fatal" -> avutil.AV_LOG_FATAL;
            case "warning" -> avutil.AV_LOG_WARNING;
            case "info" -> avutil.AV_LOG_INFO;
            case "verbose" -> avutil.AV_LOG_VERBOSE;
            case "debug" -> avutil.AV_LOG_DEBUG;
            default -> avutil.AV_LOG_ERROR;
        };
    }
}
