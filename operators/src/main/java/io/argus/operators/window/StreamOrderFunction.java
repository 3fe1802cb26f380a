package io.argus.operators.window;

import io.argus.connectors.media.MediaKind;
import io.argus.connectors.status.StreamStatus;
import io.argus.operators.metrics.PerStreamMetrics;
import io.argus.operators.metrics.StreamHealth;
import java.time.Duration;
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
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every function that keeps state per stream (key): puts each stream's elements back
 * into capture-time order before a subclass sees them, judging lateness by the stream's own clock
 * so that cameras whose clocks disagree do not make each other's media late; starts a new run when
 * a stream's clock jumps; and forgets a stream that went away, so that state is bounded by the
 * streams that are live, not by every stream id ever seen.
 *
 * <p>Rules, per stream, with the times of a {@link StreamTiming}:
 *
 * <ul>
 *   <li>an element is held until an element at least {@code reorderBound} newer has arrived, then
 *       released in timestamp order. An element older than one already released is late: it is
 *       dropped and counted ({@code lateElements}). Two elements with the same timestamp are one
 *       (the later replaces the earlier), so a re-sent record is not counted twice;
 *   <li>with {@code inOrderRelease}, an element that starts where the last released one ended
 *       (within a millisecond: see {@link #endOf}) is released at once, and so are the held
 *       elements that continue it: nothing can arrive later that belongs between them, so a stream
 *       that arrives in order is not held at all, while one out of order is still sorted within
 *       {@code reorderBound}. Elements whose end is unknown are always held;
 *   <li>a stream silent for {@code idleFlush} of processing time has its held elements released,
 *       and so does the end of the input (the final watermark);
 *   <li>a stream silent for {@code idleRelease} is released: every piece of its state, the
 *       subclass's included ({@link #clearStreamState}), and its timers are dropped
 *       ({@code streamsReleased}, and a {@link StreamStatus#RELEASED} record on
 *       {@link #STREAM_STATUS}). Should it come back, it starts as a new stream;
 *   <li>an element more than {@code clockJump} older than the newest the stream has sent, or newer
 *       by more than {@code clockJump} plus the processing time since its last element, means the
 *       stream's clock jumped: the held elements of the old clock are released, the subclass starts
 *       over ({@link #clearStreamState}), and the element starts a new run
 *       ({@code clockJumps}, and a {@link StreamStatus#CLOCK_JUMP} record).
 * </ul>
 *
 * <p>Each stream has at most one processing-time timer, moved rather than added to, so timers do
 * not grow with the element rate either. All of it lives in keyed state and is checkpointed.
 *
 * <p>Per stream, the operator reports whether the stream is live, stalled (silent for
 * {@code idleFlush}) or gone (released, shown for at least another {@code idleRelease}, then removed),
 * when its last media arrived and its late elements and clock jumps ({@link StreamHealth}).
 */
public abstract class StreamOrderFunction<I, O> extends KeyedProcessFunction<String, I, O> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StreamOrderFunction.class);

    /** Clock jumps and released streams, for the status topic. */
    public static final OutputTag<StreamStatus> STREAM_STATUS =
            new OutputTag<>("stream-status", TypeInformation.of(StreamStatus.class));

    private final TypeInformation<I> elementType;
    private final MediaKind kind;
    private final StreamTiming timing;

    private transient MapState<Long, I> held;
    private transient ValueState<Long> newestSeen;
    private transient ValueState<Long> lastReleased;
    /** Where the media of the last released element ends, when its subclass knows it. */
    private transient ValueState<Long> releasedEnd;
    private transient ValueState<Long> lastArrivalWall;
    /** The stream's one pending processing-time timer. */
    private transient ValueState<Long> wakeUpAt;
    private transient Counter late;
    private transient Counter clockJumps;
    private transient Counter streamsReleased;
    private transient PerStreamMetrics<StreamHealth> health;

    protected StreamOrderFunction(TypeInformation<I> elementType, MediaKind kind, StreamTiming timing) {
        if (elementType == null || kind == null || timing == null) {
            throw new IllegalArgumentException("element type, media kind and stream timing are required");
        }
        this.elementType = elementType;
        this.kind = kind;
        this.timing = timing;
    }

    /** Capture time of an element, epoch milliseconds. */
    protected abstract long timestampOf(I element);

    /** Receives the stream's elements in capture-time order. */
    protected abstract void onOrdered(I element, Collector<O> out) throws Exception;

    /**
     * Capture time just after the media of an element ends, where the stream's next element would
     * start if nothing is missing between them; {@link Long#MIN_VALUE} when the element does not say
     * (then it is held for {@code reorderBound} whatever follows it).
     */
    protected long endOf(I element) {
        return Long.MIN_VALUE;
    }

    /** Creates the subclass's own state. */
    protected abstract void openState();

    /**
     * Clears the subclass's state of the current stream (key), so that what it sees next is
     * treated as the start of a new stream: called when the stream is released after
     * {@code idleRelease} of silence, and when its clock jumps. Every keyed state the subclass
     * declares must be cleared here, or it outlives the stream.
     */
    protected abstract void clearStreamState() throws Exception;

    public StreamTiming timing() {
        return timing;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        held = getRuntimeContext().getMapState(new MapStateDescriptor<>("held", Types.LONG, elementType));
        newestSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("newest-seen", Types.LONG));
        lastReleased = getRuntimeContext().getState(new ValueStateDescriptor<>("last-released", Types.LONG));
        releasedEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("released-end", Types.LONG));
        lastArrivalWall = getRuntimeContext().getState(new ValueStateDescriptor<>("last-arrival", Types.LONG));
        wakeUpAt = getRuntimeContext().getState(new ValueStateDescriptor<>("wake-up-at", Types.LONG));
        late = getRuntimeContext().getMetricGroup().counter("lateElements");
        clockJumps = getRuntimeContext().getMetricGroup().counter("clockJumps");
        streamsReleased = getRuntimeContext().getMetricGroup().counter("streamsReleased");
        // kept for twice the idle-release: a stream released after idle-release of silence shows as gone
        // (with its last media) for at least another idle-release before its metrics are removed
        health = new PerStreamMetrics<>(getRuntimeContext().getMetricGroup(),
                Duration.ofMillis(2 * timing.idleReleaseMs()),
                g -> new StreamHealth(g, timing.idleFlushMs(), System::currentTimeMillis));
        openState();
    }

    @Override
    public void processElement(I element, Context ctx, Collector<O> out) throws Exception {
        long ts = timestampOf(element);
        long now = ctx.timerService().currentProcessingTime();
        Long newest = newestSeen.value();
        StreamHealth stream = health.of(ctx.getCurrentKey(), now);
        if (newest != null && jumped(newest, ts, now)) {
            startNewRun(newest, ts, now, ctx, out);
            stream.clockJumped(ts);
            newest = null;
        }
        lastArrivalWall.update(now);
        stream.arrived(ts, now);
        wakeUpBy(now + timing.idleFlushMs(), ctx);
        Long released = lastReleased.value();
        if (released != null && ts <= released) {
            late.inc();
            stream.late();
            return;
        }
        held.put(ts, element);
        if (newest == null || ts > newest) {
            newestSeen.update(ts);
            newest = ts;
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // the end of input has passed already (a source that went idle let a finished one's final
            // watermark through): no timer would fire again, so nothing is held for order any longer
            release(Long.MAX_VALUE, out);
            return;
        }
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        release(newest - timing.reorderBoundMs(), out);
        if (timing.inOrderRelease()) {
            releaseContinuing(out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        health.expireIdle(ctx.timerService().currentProcessingTime());
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            release(Long.MAX_VALUE, out); // end of input
            return;
        }
        Long pending = wakeUpAt.value();
        Long arrival = lastArrivalWall.value();
        if ((pending != null && pending != timestamp) || arrival == null) {
            return; // a timer this stream no longer waits for
        }
        wakeUpAt.clear();
        if (timestamp < arrival + timing.idleFlushMs()) {
            wakeUpBy(arrival + timing.idleFlushMs(), ctx);
            return;
        }
        release(Long.MAX_VALUE, out); // the stream fell silent
        if (timestamp < arrival + timing.idleReleaseMs()) {
            wakeUpBy(arrival + timing.idleReleaseMs(), ctx);
            return;
        }
        releaseStream(timestamp - arrival, ctx);
    }

    /** Whether {@code ts}, arriving at processing time {@code now}, left the stream's clock at {@code newest}. */
    private boolean jumped(long newest, long ts, long now) throws Exception {
        if (ts < newest - timing.clockJumpMs()) {
            return true; // back in time: nothing explains it
        }
        Long arrival = lastArrivalWall.value();
        long silence = arrival == null ? 0 : Math.max(0, now - arrival);
        return ts - newest - silence > timing.clockJumpMs(); // ahead by more than the stream was away
    }

    /** Ends the stream's run on its old clock: releases what it held, and the subclass starts over. */
    private void startNewRun(long from, long to, long now, Context ctx, Collector<O> out) throws Exception {
        release(Long.MAX_VALUE, out);
        clearStreamState();
        newestSeen.clear();
        lastReleased.clear();
        releasedEnd.clear();
        clockJumps.inc();
        StreamStatus status = StreamStatus.clockJump(kind.wireName(), subtask(), ctx.getCurrentKey(), from, to, now);
        LOG.info("{}: a new run of windows starts from the new clock", status);
        ctx.output(STREAM_STATUS, status);
    }

    /** Drops every piece of the stream's state and its timers: it went away. */
    private void releaseStream(long silentMs, OnTimerContext ctx) throws Exception {
        Long newest = newestSeen.value();
        held.clear();
        newestSeen.clear();
        lastReleased.clear();
        releasedEnd.clear();
        lastArrivalWall.clear();
        wakeUpAt.clear();
        ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
        clearStreamState();
        streamsReleased.inc();
        health.of(ctx.getCurrentKey(), ctx.timerService().currentProcessingTime()).released();
        ctx.output(STREAM_STATUS, StreamStatus.released(kind.wireName(), subtask(), ctx.getCurrentKey(),
                newest == null ? 0 : newest, silentMs, ctx.timerService().currentProcessingTime()));
    }

    /** Makes sure the stream's one timer fires by {@code at}: moves it earlier, never adds a second one. */
    private void wakeUpBy(long at, Context ctx) throws Exception {
        Long pending = wakeUpAt.value();
        if (pending != null) {
            if (pending <= at) {
                return;
            }
            ctx.timerService().deleteProcessingTimeTimer(pending);
        }
        ctx.timerService().registerProcessingTimeTimer(at);
        wakeUpAt.update(at);
    }

    private int subtask() {
        return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
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
            emit(ts, out);
        }
    }

    /** Releases, one after another, the held elements that start where the last released one ended. */
    private void releaseContinuing(Collector<O> out) throws Exception {
        while (true) {
            Long end = releasedEnd.value();
            if (end == null) {
                return;
            }
            Long oldest = null;
            for (Long ts : held.keys()) {
                if (oldest == null || ts < oldest) {
                    oldest = ts;
                }
            }
            if (oldest == null || Math.abs(oldest - end) > 1) {
                return;
            }
            emit(oldest, out);
        }
    }

    private void emit(long ts, Collector<O> out) throws Exception {
        I element = held.get(ts);
        onOrdered(element, out);
        held.remove(ts);
        lastReleased.update(ts);
        long end = endOf(element);
        if (end == Long.MIN_VALUE) {
            releasedEnd.clear();
        } else {
            releasedEnd.update(end);
        }
    }
}
