package io.argus.connectors.ingest;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter: the n-th wait in a row is a random time between half
 * and all of {@code min(initial * 2^(n-1), max)}, so that cameras that dropped together do not
 * all come back at the same moment. {@link #reset()} after a connection that delivered media.
 */
final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempt;

    /** @param random uniform in [0, 1) */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("reconnect delays: initial (" + initial.toMillis()
                    + " ms) must be positive and at most the maximum (" + max.toMillis() + " ms)");
        }
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /** The wait before the next attempt. */
    long nextDelayMs() {
        int shift = Math.min(attempt, 30);
        attempt++;
        long cap = Math.min(maxMs, initialMs << shift);
        if (cap <= 0) {
            cap = maxMs;
        }
        return cap / 2 + (long) (random.getAsDouble() * (cap - cap / 2));
    }

    /** Failed attempts since the last reset. */
    int attempts() {
        return attempt;
    }

    void reset() {
        attempt = 0;
    }
}
