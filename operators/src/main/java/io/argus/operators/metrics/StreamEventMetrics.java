package io.argus.operators.metrics;

import io.argus.connectors.events.AnalyticsEvent;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * What an inference operator emitted for one stream: {@code eventsEmitted}, the
 * {@code captureToEventLagMs} of its latest window (wall clock of the decision minus the capture
 * time the window ends at) and, with a model that follows people, the {@code people} in it.
 */
public final class StreamEventMetrics {

    private final Counter events;
    private volatile long lagMs = -1;
    private volatile int people = -1;

    public StreamEventMetrics(MetricGroup group, boolean countsPeople) {
        events = group.counter("eventsEmitted");
        group.gauge("captureToEventLagMs", (Gauge<Long>) () -> lagMs);
        if (countsPeople) {
            group.gauge("people", (Gauge<Integer>) () -> people);
        }
    }

    /** One event was emitted; a window's own event (not a person's) sets the lag and people gauges. */
    public void emitted(AnalyticsEvent e) {
        events.inc();
        if (e.trackId != null) {
            return;
        }
        lagMs = e.inferredAtMs - e.windowEndMs;
        if (e.people != null) {
            people = e.people;
        }
    }
}
