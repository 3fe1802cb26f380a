package io.argus.jobs.config;

import static java.util.Map.entry;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The values every numeric option accepts, checked by {@link CommandLine#parse} before a command
 * does anything and shown by {@code --help}. One table for all commands, keyed by option name: an
 * option name means the same thing in every command that has it ({@code --epochs},
 * {@code --seed}, ...). A numeric option missing here is a programming error that {@code --help}
 * and parsing report at once (a test runs every command's {@code --help}).
 */
public final class OptionRanges {

    /**
     * A closed or half-open interval of numbers (milliseconds for durations), with single values
     * it also accepts ({@code -1} for "the default", {@code 0} for "off").
     */
    public record Range(double min, boolean minOpen, double max, boolean maxOpen, double[] also) {

        static final Range ANY = new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false,
                new double[0]);

        static Range atLeast(double min) {
            return new Range(min, false, Double.POSITIVE_INFINITY, false, new double[0]);
        }

        static Range between(double min, double max) {
            return new Range(min, false, max, false, new double[0]);
        }

        /** Strictly between. */
        static Range inside(double min, double max) {
            return new Range(min, true, max, true, new double[0]);
        }

        /** Also accepts {@code value} (the option's description says what it means: off, the default, ...). */
        Range or(double value) {
            double[] more = java.util.Arrays.copyOf(also, also.length + 1);
            more[also.length] = value;
            return new Range(min, minOpen, max, maxOpen, more);
        }

        boolean accepts(double v) {
            for (double a : also) {
                if (v == a) {
                    return true;
                }
            }
            boolean aboveMin = minOpen ? v > min : v >= min;
            boolean belowMax = maxOpen ? v < max : v <= max;
            return aboveMin && belowMax;
        }

        /** In words, e.g. "at least 1 or -1"; durations in ms or s. */
        String describe(boolean duration) {
            String lo = number(min, duration);
            String hi = number(max, duration);
            String interval;
            if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) {
                interval = "any";
            } else if (min == max) {
                interval = lo;
            } else if (max == Double.POSITIVE_INFINITY) {
                interval = (minOpen ? "above " : "at least ") + lo;
            } else if (minOpen || maxOpen) {
                interval = (minOpen ? "above " : "at least ") + lo + " and " + (maxOpen ? "below " : "at most ") + hi;
            } else {
                interval = lo + " to " + hi;
            }
            StringBuilder sb = new StringBuilder(interval);
            for (double a : also) {
                sb.append(" or ").append(number(a, duration));
            }
            return sb.toString();
        }

        private static String number(double v, boolean duration) {
            if (duration) {
                long ms = (long) v;
                if (ms != 0 && ms % 3_600_000 == 0) {
                    return ms / 3_600_000 + " h";
                }
                if (ms >= 120_000 && ms % 60_000 == 0) {
                    return ms / 60_000 + " min";
                }
                return ms != 0 && ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
            }
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }

    private static final double MS_PER_HOUR = 3_600_000;

    /** Every numeric option of every command, by name. */
    private static final Map<String, Range> BY_KEY = Map.ofEntries(
            // the analytics job
            entry("parallelism", Range.atLeast(1).or(-1)),
            entry("checkpoint-interval", Range.atLeast(10).or(0)),
            entry("max-payload-bytes", Range.between(1, 1 << 30)),
            entry("reorder-bound", Range.between(0, MS_PER_HOUR)),
            entry("idle-flush", Range.between(1, MS_PER_HOUR)),
            entry("idle-release", Range.between(1000, 7 * 24 * MS_PER_HOUR)),
            entry("clock-jump", Range.between(1000, 7 * 24 * MS_PER_HOUR)),
            entry("model-max-non-finite", Range.between(1, 1_000_000)),
            entry("top-k", Range.between(1, 100)),
            entry("model-poll-interval", Range.between(100, MS_PER_HOUR)),
            entry("shadow-max-lag", Range.between(1, 24 * MS_PER_HOUR)),
            entry("if-agreement", Range.between(0, 1).or(-1)),
            entry("min-windows", Range.between(1, 1_000_000_000)),
            entry("max-batch", Range.between(1, 4096)),
            entry("max-batch-wait", Range.between(0, 60_000)),
            entry("video-width", Range.between(8, 4096)),
            entry("video-height", Range.between(8, 4096)),
            entry("video-channels", Range.between(1, 1).or(3)),
            entry("video-fps", Range.between(0.1, 120)),
            entry("video-window-frames", Range.between(1, 512)),
            entry("video-window-stride", Range.between(1, 512)),
            entry("video-max-gap", Range.between(1, MS_PER_HOUR)),
            entry("motion-threshold", Range.inside(0, 1)),
            entry("pose-min-person-score", Range.between(0, 1)),
            entry("audio-window", Range.between(50, 60_000)),
            entry("audio-hop", Range.between(1, 60_000)),
            entry("audio-max-gap", Range.between(0, MS_PER_HOUR)),
            entry("silence-dbfs", Range.between(-200, 0)),
            entry("loud-dbfs", Range.between(-200, 0)),
            entry("metrics-port", Range.between(1, 65535).or(0)),
            entry("incident-min-duration", Range.between(0, MS_PER_HOUR)),
            entry("incident-close-after", Range.between(1, MS_PER_HOUR)),
            entry("incident-max-gap", Range.between(1, MS_PER_HOUR)),
            entry("incident-min-score", Range.between(0, 1)),
            entry("incident-tolerance", Range.between(0, MS_PER_HOUR)),
            // Kafka
            entry("kafka-timeout", Range.between(100, 10 * 60_000).or(0)),
            // replay
            entry("loop", Range.atLeast(0)),
            entry("base-time", Range.between(0, 32_503_680_000_000L)),
            entry("segment", Range.between(100, 60_000)),
            // ingest
            entry("read-timeout", Range.between(100, 10 * 60_000)),
            entry("reconnect-initial", Range.between(10, 10 * 60_000)),
            entry("reconnect-max", Range.between(10, MS_PER_HOUR)),
            entry("max-attempts", Range.atLeast(0)),
            entry("buffer-bytes", Range.between(1 << 20, 1L << 34)),
            entry("status-interval", Range.between(100, MS_PER_HOUR)),
            entry("max-drift", Range.between(100, MS_PER_HOUR)),
            entry("stop-after", Range.atLeast(1000).or(0)),
            // evaluate, benchmark
            entry("progress-interval", Range.between(100, MS_PER_HOUR)),
            entry("streams", Range.between(1, 1000)),
            entry("repeat", Range.between(1, 1000)),
            entry("cameras", Range.between(1, 1000)),
            entry("cameras-max", Range.between(1, 1000)),
            entry("trial-length", Range.between(10_000, 24 * MS_PER_HOUR)),
            entry("warmup", Range.between(0, MS_PER_HOUR)),
            entry("latency-bound", Range.between(1, MS_PER_HOUR)),
            entry("soak", Range.between(0, 24 * MS_PER_HOUR)),
            entry("audio-chunk", Range.between(10, 60_000)),
            // training, fine-tuning, datasets
            entry("epochs", Range.between(1, 10_000)),
            entry("batch-size", Range.between(1, 4096)),
            entry("learning-rate", Range.inside(0, 10)),
            entry("patience", Range.between(1, 10_000)),
            entry("per-class", Range.between(1, 1_000_000)),
            entry("validation-per-class", Range.between(1, 1_000_000)),
            entry("clips-per-class", Range.between(1, 1_000_000)),
            entry("eval-crops-per-source", Range.between(1, 1000)),
            entry("per-label", Range.between(1, 1_000_000)),
            entry("test-fold", Range.between(0, 99)),
            entry("min-agreement", Range.between(0.01, 1)),
            entry("stride", Range.between(1, 512)),
            entry("validation-fraction", Range.inside(0, 1)),
            // train-pose-action
            entry("input-width", Range.between(128, 640)),
            entry("input-height", Range.between(128, 640)),
            entry("fps", Range.between(0.5, 30)),
            entry("window-frames", Range.between(2, 64)),
            entry("real-validation-share", Range.inside(0, 1)),
            entry("min-moving-speed", Range.inside(0, 100)),
            entry("max-still-speed", Range.between(0, 100)),
            entry("real-repeats", Range.between(1, 1000)),
            entry("seed", Range.ANY));

    private OptionRanges() {}

    /** The range of a numeric option; empty for options that are not numbers. */
    public static Optional<Range> of(ConfigOption<?> option) {
        if (!isNumeric(option)) {
            return Optional.empty();
        }
        Range r = BY_KEY.get(option.key());
        if (r == null) {
            throw new IllegalStateException("numeric option --" + option.key() + " has no range; declare one in "
                    + OptionRanges.class.getSimpleName());
        }
        return Optional.of(r);
    }

    /** The range in words for --help, or null for options that are not numbers or take any value. */
    static String describe(ConfigOption<?> option) {
        return of(option).filter(r -> r != Range.ANY).map(r -> r.describe(isDuration(option))).orElse(null);
    }

    /** Fails with "option --NAME: VALUE is out of range (...)" for the first value outside its range. */
    static void check(Configuration conf, Iterable<ConfigOption<?>> options) {
        for (ConfigOption<?> option : options) {
            Optional<Range> range = of(option);
            Object value = range.isPresent() ? conf.get(option) : null;
            if (value == null) {
                continue;
            }
            double v = value instanceof Duration d ? d.toMillis() : ((Number) value).doubleValue();
            if (!range.get().accepts(v) || (value instanceof Duration d && d.isNegative())) {
                String shown = value instanceof Duration d ? Range.number(d.toMillis(), true) : value.toString();
                throw new IllegalArgumentException(String.format(Locale.ROOT, "option --%s: %s is out of range (%s)",
                        option.key(), shown, range.get().describe(isDuration(option))));
            }
        }
    }

    static boolean isNumeric(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return false; // the project's numeric options all have defaults; the type is read from it
        }
        Object d = option.defaultValue();
        return d instanceof Number || d instanceof Duration;
    }

    private static boolean isDuration(ConfigOption<?> option) {
        return option.hasDefaultValue() && option.defaultValue() instanceof Duration;
    }
}
