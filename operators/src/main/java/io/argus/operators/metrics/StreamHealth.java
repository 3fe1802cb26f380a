package io.argus.operators.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Whether one stream is live, stalled or gone, as its per-stream operator sees it, and its gauges:
 *
 * <ul>
 *   <li>{@code state}: {@link #LIVE} (0) while media arrives, {@link #STALLED} (1) once none has
 *       arrived for the stall time (the job's {@code --idle-flush}), {@link #GONE} (2) once the
 *       stream was released after {@code --idle-release} of silence, until it comes back;
 *   <li>{@code lastMediaSeen}: wall clock of the stream's last media, epoch ms;
 *   <li>{@code secondsSinceMedia}: seconds since then, at the time of reading;
 *   <li>{@code lastCaptureTime}: the newest capture time the stream has sent, epoch ms;
 *   <li>{@code lateElements} and {@code clockJumps}: the stream's share of the operator's counters.
 * </ul>
 *
 * <p>Written on the task thread, read by the metric reporter's thread.
 */
public final class StreamHealth {

    public static final int LIVE = 0;
    public static final int STALLED = 1;
    public static final int GONE = 2;

    private final long stalledAfterMs;
    private volatile long lastArrivalMs = -1;
    private volatile long newestCaptureMs = -1;
    private volatile boolean released;
    private final Counter late;
    private final Counter clockJumps;

    /** The wall clock the gauges compare with (the operator's processing time). */
    @FunctionalInterface
    public interface Clock {
        long now();
    }

    public StreamHealth(MetricGroup group, long stalledAfterMs, Clock clock) {
        this.stalledAfterMs = stalledAfterMs;
        group.gauge("state", (Gauge<Integer>) () -> state(clock.now()));
        group.gauge("lastMediaSeen", (Gauge<Long>) () -> lastArrivalMs);
        group.gauge("secondsSinceMedia", (Gauge<Double>) () -> lastArrivalMs < 0 ? -1.0
                : (clock.now() - lastArrivalMs) / 1000.0);
        group.gauge("lastCaptureTime", (Gauge<Long>) () -> newestCaptureMs);
        late = group.counter("lateElements");
        clockJumps = group.counter("clockJumps");
    }

    /** Media captured at {@code captureMs} arrived at {@code nowMs}. */
    public void arrived(long captureMs, long nowMs) {
        lastArrivalMs = nowMs;
        if (captureMs > newestCaptureMs) {
            newestCaptureMs = captureMs;
        }
        released = false;
    }

    public void late() {
        late.inc();
    }

    /** The stream's clock jumped: its newest capture time starts over. */
    public void clockJumped(long captureMs) {
        clockJumps.inc();
        newestCaptureMs = captureMs;
    }

    /** The stream was released after going quiet. */
    public void released() {
        released = true;
    }

    /** {@link #LIVE}, {@link #STALLED} or {@link #GONE} at wall-clock time {@code nowMs}. */
    public int state(long nowMs) {
        if (released) {
            return GONE;
        }
        return lastArrivalMs >= 0 && nowMs - lastArrivalMs > stalledAfterMs ? STALLED : LIVE;
    }
}
