package io.argus.operators.incidents;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The incident stage: one stream's events of both modalities (key = stream id) in, its incidents
 * out ({@link IncidentTracker}). Event time is the windows' media time: an event is held until the
 * watermark passes its window's end, and the events held are then fed in order of their windows'
 * ends, so that replay and live streams, and a run restored from a checkpoint, give the same
 * incidents. An event whose window the watermark passed already is fed at once ({@code lateEvents}).
 *
 * <p>Incidents still under way are closed when the input ends ({@code end-of-input}) and when the
 * stream sends nothing for {@code idleRelease} of processing time ({@code released}); the stream's
 * state is then dropped, so state is bounded by the live streams. Everything is keyed state.
 */
public final class IncidentFunction extends KeyedProcessFunction<String, AnalyticsEvent, Incident> {

    private static final long serialVersionUID = 1L;

    /** Feeds the events of one window end in one order, whatever order they arrived in. */
    static final Comparator<AnalyticsEvent> WINDOW_ORDER = Comparator
            .comparingLong((AnalyticsEvent e) -> e.windowEndMs)
            .thenComparingLong(e -> e.windowStartMs)
            .thenComparing(e -> e.kind)
            .thenComparing(e -> e.trackId == null ? -1 : e.trackId)
            .thenComparing(e -> e.label);

    private final IncidentSettings settings;
    private final long idleReleaseMs;

    private transient IncidentTracker tracker;
    private transient ValueState<IncidentState> state;
    private transient ListState<AnalyticsEvent> held;
    private transient ValueState<Long> lastArrival;
    private transient ValueState<Long> releaseAt;
    /** The stream's one pending gap timer: the earliest media time by which a run's modality must have spoken. */
    private transient ValueState<Long> gapAt;
    private transient Counter opened;
    private transient Counter closed;
    private transient Counter late;

    /**
     * @param idleRelease processing time without events after which a stream's incidents are closed
     *     and its state dropped (the job's {@code idle-release})
     */
    public IncidentFunction(IncidentSettings settings, Duration idleRelease) {
        if (settings == null || idleRelease == null || idleRelease.isNegative() || idleRelease.isZero()) {
            throw new IllegalArgumentException("incident settings and an idle release above 0 are required");
        }
        this.settings = settings;
        this.idleReleaseMs = idleRelease.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        tracker = new IncidentTracker(settings);
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("incidents", TypeInformation.of(IncidentState.class)));
        held = getRuntimeContext().getListState(
                new ListStateDescriptor<>("held-events", TypeInformation.of(AnalyticsEvent.class)));
        lastArrival = getRuntimeContext().getState(new ValueStateDescriptor<>("last-arrival", Types.LONG));
        releaseAt = getRuntimeContext().getState(new ValueStateDescriptor<>("release-at", Types.LONG));
        gapAt = getRuntimeContext().getState(new ValueStateDescriptor<>("gap-at", Types.LONG));
        opened = getRuntimeContext().getMetricGroup().counter("incidentsOpened");
        closed = getRuntimeContext().getMetricGroup().counter("incidentsClosed");
        late = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(AnalyticsEvent e, Context ctx, Collector<Incident> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        lastArrival.update(now);
        if (releaseAt.value() == null) {
            ctx.timerService().registerProcessingTimeTimer(now + idleReleaseMs);
            releaseAt.update(now + idleReleaseMs);
        }
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE); // the end of a bounded input
        if (e.windowEndMs <= ctx.timerService().currentWatermark()) {
            late.inc();
            IncidentState st = current();
            tracker.accept(st, e, now, emit(out));
            save(st, ctx);
            return;
        }
        held.add(e);
        ctx.timerService().registerEventTimeTimer(e.windowEndMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            onIdleCheck(timestamp, now, ctx, out);
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (watermark == Long.MAX_VALUE) {
            endStream(Incident.CLOSED_END_OF_INPUT, now, ctx, out);
            return;
        }
        IncidentState st = current();
        if (Long.valueOf(timestamp).equals(gapAt.value())) {
            gapAt.clear(); // fired
        }
        feedHeld(st, timestamp, now, out);
        tracker.closeQuiet(st, timestamp, now, emit(out));
        save(st, ctx);
    }

    private void onIdleCheck(long timestamp, long now, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        Long pending = releaseAt.value();
        Long arrival = lastArrival.value();
        if (pending == null || pending != timestamp || arrival == null) {
            return; // a timer of a stream released before
        }
        if (now < arrival + idleReleaseMs) {
            ctx.timerService().registerProcessingTimeTimer(arrival + idleReleaseMs);
            releaseAt.update(arrival + idleReleaseMs);
            return;
        }
        endStream(Incident.CLOSED_RELEASED, now, ctx, out);
    }

    /** Feeds everything held, closes what is under way as {@code reason}, and forgets the stream. */
    private void endStream(String reason, long now, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        IncidentState st = current();
        Iterable<AnalyticsEvent> waiting = held.get();
        if (waiting != null) {
            for (AnalyticsEvent e : waiting) {
                ctx.timerService().deleteEventTimeTimer(e.windowEndMs);
            }
        }
        feedHeld(st, Long.MAX_VALUE, now, out);
        tracker.closeAll(st, reason, now, emit(out));
        state.clear();
        held.clear();
        Long gap = gapAt.value();
        if (gap != null) {
            ctx.timerService().deleteEventTimeTimer(gap);
        }
        gapAt.clear();
        lastArrival.clear();
        Long pending = releaseAt.value();
        if (pending != null) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
        }
        releaseAt.clear();
        ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
    }

    /** Feeds the held events whose windows end by {@code upTo}, in window order; keeps the rest. */
    private void feedHeld(IncidentState st, long upTo, long now, Collector<Incident> out) throws Exception {
        List<AnalyticsEvent> due = new ArrayList<>();
        List<AnalyticsEvent> keep = new ArrayList<>();
        Iterable<AnalyticsEvent> all = held.get();
        if (all != null) {
            for (AnalyticsEvent e : all) {
                (e.windowEndMs <= upTo ? due : keep).add(e);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        due.sort(WINDOW_ORDER);
        Consumer<Incident> emit = emit(out);
        for (AnalyticsEvent e : due) {
            tracker.accept(st, e, now, emit);
        }
        held.update(keep);
    }

    private IncidentState current() throws Exception {
        IncidentState st = state.value();
        return st == null ? new IncidentState() : st;
    }

    /** Stores the stream's state and asks to be woken when a run's modality has been quiet too long. */
    private void save(IncidentState st, Context ctx) throws Exception {
        if (st.runs.isEmpty() && st.closed.isEmpty() && st.history.isEmpty() && st.combined.isEmpty()) {
            state.clear();
        } else {
            state.update(st);
        }
        Long next = st.runs.stream().map(tracker::quietDeadline).min(Long::compare).orElse(null);
        Long pending = gapAt.value();
        if (Objects.equals(next, pending)) {
            return;
        }
        if (pending != null) {
            ctx.timerService().deleteEventTimeTimer(pending);
        }
        if (next != null) {
            ctx.timerService().registerEventTimeTimer(next);
        }
        gapAt.update(next);
    }

    private Consumer<Incident> emit(Collector<Incident> out) {
        return i -> {
            (i.isOpen() ? opened : closed).inc();
            out.collect(i);
        };
    }
}
