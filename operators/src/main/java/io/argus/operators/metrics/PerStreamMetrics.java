package io.argus.operators.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;

/**
 * An operator's metrics of each stream (camera or microphone), in a subgroup {@code stream=<id>}
 * of the operator's group, so that a Prometheus reporter labels them {@code stream="<id>"}.
 *
 * <p>Bounded with any number of streams: a stream not used for {@code forgetAfter} (the job's
 * {@code --idle-release}, after which the stream's state is released too) has its group closed,
 * which removes its metrics from every reporter, as Flink's source readers do with a finished
 * split's. (Flink's parent group keeps the emptied group object, a few hundred bytes, until the
 * same stream id is registered again: memory grows with the distinct ids a subtask has ever seen,
 * not with the metrics.) Idle streams are looked for at most every quarter of {@code forgetAfter}, on the task
 * thread, when a stream is used or {@link #expireIdle} is called. At most {@link #MAX_STREAMS}
 * streams have metrics of their own per operator instance at a time: streams beyond it are
 * processed as usual, share metrics that are reported nowhere, and are counted in
 * {@code streamMetricsDropped}.
 *
 * <p>Created in {@code open()}; used on the task thread. The holders' values are read by the
 * reporter's thread, so they keep them in volatile fields or Flink's counters.
 *
 * @param <S> the operator's holder of one stream's metrics
 */
public final class PerStreamMetrics<S> {

    /** The group key, and so the label name, of a stream's metrics. */
    public static final String STREAM = "stream";
    /** Streams given metrics of their own per operator instance. */
    public static final int MAX_STREAMS = 1000;

    /** One stream's holder, its group and when it was last used. */
    private final class Entry {
        final MetricGroup group;
        final S holder;
        long usedMs;

        Entry(MetricGroup group) {
            this.group = group;
            this.holder = create.apply(group);
        }
    }

    private final MetricGroup operator;
    private final Function<MetricGroup, S> create;
    private final long forgetAfterMs;
    private final int maxStreams;
    private final Map<String, Entry> byStream = new HashMap<>();
    private final Counter withoutMetrics;
    private long nextSweepMs = Long.MIN_VALUE;
    private S overflow;

    public PerStreamMetrics(MetricGroup operator, Duration forgetAfter, Function<MetricGroup, S> create) {
        this(operator, forgetAfter, create, MAX_STREAMS);
    }

    PerStreamMetrics(MetricGroup operator, Duration forgetAfter, Function<MetricGroup, S> create, int maxStreams) {
        if (forgetAfter.toMillis() < 1) {
            throw new IllegalArgumentException("forgetAfter " + forgetAfter + ", need at least 1 ms");
        }
        this.operator = operator;
        this.create = create;
        this.forgetAfterMs = forgetAfter.toMillis();
        this.maxStreams = maxStreams;
        this.withoutMetrics = operator.counter("streamMetricsDropped");
    }

    /** The metrics of a stream used at wall-clock time {@code nowMs}, registered if it has none. */
    public S of(String streamId, long nowMs) {
        expireIdle(nowMs);
        Entry e = byStream.get(streamId);
        if (e == null) {
            if (byStream.size() >= maxStreams) {
                withoutMetrics.inc();
                if (overflow == null) {
                    overflow = create.apply(new UnregisteredMetricsGroup());
                }
                return overflow;
            }
            e = new Entry(operator.addGroup(STREAM, streamId));
            byStream.put(streamId, e);
        }
        e.usedMs = nowMs;
        return e.holder;
    }

    /** Removes the metrics of streams not used for {@code forgetAfter}, if it is time to look. */
    public void expireIdle(long nowMs) {
        if (nowMs < nextSweepMs) {
            return;
        }
        nextSweepMs = nowMs + Math.max(1, forgetAfterMs / 4);
        for (Iterator<Entry> it = byStream.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (nowMs - e.usedMs >= forgetAfterMs) {
                close(e.group);
                it.remove();
            }
        }
    }

    /** Streams with metrics of their own. */
    public int size() {
        return byStream.size();
    }

    private static void close(MetricGroup group) {
        if (group instanceof AbstractMetricGroup g) {
            g.close(); // unregisters its metrics from the reporters
        }
    }
}
