package io.argus.operators.inference;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gathers elements into batches for a model: a batch runs when it holds {@code maxBatch} elements
 * or when its oldest has waited {@code maxWaitMs} of processing time, and always before a
 * checkpoint barrier, a watermark or the end of input, so that buffered elements never need to be
 * checkpointed and none is lost.
 */
public abstract class BatchingOperator<I, O> extends AbstractStreamOperator<O> implements OneInputStreamOperator<I, O> {

    private static final long serialVersionUID = 1L;

    private final int maxBatch;
    private final long maxWaitMs;
    private transient List<StreamRecord<I>> pending;
    private transient long batchGeneration;

    protected BatchingOperator(int maxBatch, long maxWaitMs) {
        if (maxBatch < 1 || maxWaitMs < 0) {
            throw new IllegalArgumentException("need max batch >= 1 and max wait >= 0 ms; got " + maxBatch + ", "
                    + maxWaitMs);
        }
        this.maxBatch = maxBatch;
        this.maxWaitMs = maxWaitMs;
    }

    /** Runs the model on a batch and emits what it gives; {@code batch} is reused after the call. */
    protected abstract void process(List<StreamRecord<I>> batch) throws Exception;

    @Override
    public void open() throws Exception {
        super.open();
        pending = new ArrayList<>(maxBatch);
    }

    @Override
    public void processElement(StreamRecord<I> element) throws Exception {
        pending.add(element);
        if (pending.size() >= maxBatch) {
            flush();
        } else if (pending.size() == 1) {
            long generation = batchGeneration;
            long due = getProcessingTimeService().getCurrentProcessingTime() + maxWaitMs;
            getProcessingTimeService().registerTimer(due, t -> {
                if (generation == batchGeneration) {
                    flush();
                }
            });
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /** Runs the pending batch now, if there is one. */
    protected final void flush() throws Exception {
        if (pending.isEmpty()) {
            return;
        }
        batchGeneration++;
        process(pending);
        pending.clear();
    }

    /** Emits {@code value} with the timestamp of the element it came from. */
    protected final <T> StreamRecord<T> derived(StreamRecord<?> from, T value) {
        return from.hasTimestamp() ? new StreamRecord<>(value, from.getTimestamp()) : new StreamRecord<>(value);
    }
}
