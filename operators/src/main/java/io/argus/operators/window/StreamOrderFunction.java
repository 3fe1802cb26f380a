package io.argus.operators.window;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts each stream's elements back into capture-time order before a subclass sees them, judging
 * lateness by the stream's own clock, so that cameras whose clocks disagree do not make each
 * other's media late.
 *
 * <p>Rules, per stream (key): an element is held until an element at least {@code reorderBoundMs}
 * newer has arrived, then released in timestamp order. An element older than one already
 * released is late: it is dropped and counted ({@code lateElements}). Two elements with the same
 * timestamp are one (the later replaces the earlier), so a re-sent record is not counted twice.
 * Held elements are released when the stream falls silent for {@code idleFlushMs} of processing
 * time and when the input ends (the final watermark). All of it lives in keyed state and is
 * checkpointed.
 */
public abstract class StreamOrderFunction<I, O> extends KeyedProcessFunction<String, I, O> {

    private static final long serialVersionUID = 1L;

    private final TypeInformation<I> elementType;
    private final long reorderBoundMs;
    private final long idleFlushMs;

    private transient MapState<Long, I> held;
    private transient ValueState<Long> newestSeen;
    private transient ValueState<Long> lastReleased;
    private transient ValueState<Long> lastArrivalWall;
    private transient Counter late;

    protected StreamOrderFunction(TypeInformation<I> elementType, long reorderBoundMs, long idleFlushMs) {
        if (reorderBoundMs < 0 || idleFlushMs <= 0) {
            throw new IllegalArgumentException("reorder bound must be >= 0 and idle flush > 0 ms");
        }
        this.elementType = elementType;
        this.reorderBoundMs = reorderBoundMs;
        this.idleFlushMs = idleFlushMs;
    }

    /** Capture time of an element, epoch milliseconds. */
    protected abstract long timestampOf(I element);

    /** Receives the stream's elements in capture-time order. */
    protected abstract void onOrdered(I element, Collector<O> out) throws Exception;

    /** Creates the subclass's own state. */
    protected abstract void openState();

    @Override
    public void open(OpenContext openContext) throws Exception {
        held = getRuntimeContext().getMapState(new MapStateDescriptor<>("held", Types.LONG, elementType));
        newestSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("newest-seen", Types.LONG));
        lastReleased = getRuntimeContext().getState(new ValueStateDescriptor<>("last-released", Types.LONG));
        lastArrivalWall = getRuntimeContext().getState(new ValueStateDescriptor<>("last-arrival", Types.LONG));
        late = getRuntimeContext().getMetricGroup().counter("lateElements");
        openState();
    }

    @Override
    public void processElement(I element, Context ctx, Collector<O> out) throws Exception {
        long ts = timestampOf(element);
        Long released = lastReleased.value();
        if (released != null && ts <= released) {
            late.inc();
            return;
        }
        held.put(ts, element);
        Long newest = newestSeen.value();
        if (newest == null || ts > newest) {
            newestSeen.update(ts);
            newest = ts;
        }
        long now = ctx.timerService().currentProcessingTime();
        lastArrivalWall.update(now);
        ctx.timerService().registerProcessingTimeTimer(now + idleFlushMs);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        release(newest - reorderBoundMs, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.EVENT_TIME) {
            release(Long.MAX_VALUE, out); // end of input
            return;
        }
        Long arrival = lastArrivalWall.value();
        if (arrival != null && timestamp >= arrival + idleFlushMs) {
            release(Long.MAX_VALUE, out); // the stream fell silent
        }
    }

    private void release(long upTo, Collector<O> out) throws Exception {
        List<Long> due = new ArrayList<>();
        for (Long ts : held.keys()) {
            if (ts <= upTo) {
                due.add(ts);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        Collections.sort(due);
        for (Long ts : due) {
            onOrdered(held.get(ts), out);
            held.remove(ts);
        }
        lastReleased.update(due.get(due.size() - 1));
    }
}
