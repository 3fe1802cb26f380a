package io.argus.operators.window;

import java.io.Serializable;
import java.time.Duration;

/**
 * The times by which a {@link StreamOrderFunction} orders each stream's media and decides that a
 * stream fell silent, went away, or had its clock jump. Built with {@link #builder()}, which checks
 * the settings against each other and names the one that is wrong.
 *
 * <ul>
 *   <li>{@code reorderBound}: how far out of capture-time order media may arrive (job option
 *       {@code reorder-bound});
 *   <li>{@code idleFlush}: processing time without media after which a stream's held media is
 *       processed ({@code idle-flush});
 *   <li>{@code idleRelease}: processing time without media after which all of a stream's state is
 *       released; if it comes back it starts as a new stream ({@code idle-release});
 *   <li>{@code clockJump}: a capture time further than this behind the stream's clock, or further
 *       ahead of it than the time since its last record explains, starts a new run of windows
 *       ({@code clock-jump});
 *   <li>{@code inOrderRelease}: media that continues exactly where the stream's last processed
 *       media ended is processed at once instead of waiting for {@code reorderBound}
 *       ({@code in-order-release}).
 * </ul>
 */
public final class StreamTiming implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long reorderBoundMs;
    private final long idleFlushMs;
    private final long idleReleaseMs;
    private final long clockJumpMs;
    private final boolean inOrderRelease;

    private StreamTiming(Builder b) {
        this.reorderBoundMs = b.reorderBound.toMillis();
        this.idleFlushMs = b.idleFlush.toMillis();
        this.idleReleaseMs = b.idleRelease.toMillis();
        this.clockJumpMs = b.clockJump.toMillis();
        this.inOrderRelease = b.inOrderRelease;
    }

    /** Defaults: reorder bound 1 s, idle flush 5 s, idle release 5 min, clock jump 1 min, in-order release on. */
    public static Builder builder() {
        return new Builder();
    }

    public long reorderBoundMs() {
        return reorderBoundMs;
    }

    public long idleFlushMs() {
        return idleFlushMs;
    }

    public long idleReleaseMs() {
        return idleReleaseMs;
    }

    public long clockJumpMs() {
        return clockJumpMs;
    }

    public boolean inOrderRelease() {
        return inOrderRelease;
    }

    @Override
    public String toString() {
        return "reorder-bound " + reorderBoundMs + " ms, idle-flush " + idleFlushMs + " ms, idle-release "
                + idleReleaseMs + " ms, clock-jump " + clockJumpMs + " ms, in-order release " + (inOrderRelease ? "on" : "off");
    }

    /** Builds a {@link StreamTiming}; {@link #build()} validates. */
    public static final class Builder {

        private Duration reorderBound = Duration.ofSeconds(1);
        private Duration idleFlush = Duration.ofSeconds(5);
        private Duration idleRelease = Duration.ofMinutes(5);
        private Duration clockJump = Duration.ofMinutes(1);
        private boolean inOrderRelease = true;

        private Builder() {}

        public Builder reorderBound(Duration d) {
            this.reorderBound = d;
            return this;
        }

        public Builder idleFlush(Duration d) {
            this.idleFlush = d;
            return this;
        }

        public Builder idleRelease(Duration d) {
            this.idleRelease = d;
            return this;
        }

        public Builder clockJump(Duration d) {
            this.clockJump = d;
            return this;
        }

        public Builder inOrderRelease(boolean on) {
            this.inOrderRelease = on;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting when one is missing, negative, or
         *     contradicts another
         */
        public StreamTiming build() {
            require(reorderBound, "reorder-bound", false);
            require(idleFlush, "idle-flush", true);
            require(idleRelease, "idle-release", true);
            require(clockJump, "clock-jump", true);
            if (idleRelease.compareTo(idleFlush) < 0) {
                throw new IllegalArgumentException("idle-release (" + ms(idleRelease) + ") must be at least idle-flush ("
                        + ms(idleFlush) + "): a stream's held media is processed before its state is released");
            }
            if (clockJump.compareTo(reorderBound) <= 0) {
                throw new IllegalArgumentException("clock-jump (" + ms(clockJump) + ") must be longer than reorder-bound ("
                        + ms(reorderBound) + "), or media merely out of order would count as a clock jump");
            }
            return new StreamTiming(this);
        }

        private static void require(Duration d, String name, boolean positive) {
            if (d == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            if (d.isNegative() || (positive && d.isZero())) {
                throw new IllegalArgumentException(name + " must be " + (positive ? "positive" : "zero or more")
                        + ": " + ms(d));
            }
        }

        private static String ms(Duration d) {
            return d.toMillis() + " ms";
        }
    }
}
