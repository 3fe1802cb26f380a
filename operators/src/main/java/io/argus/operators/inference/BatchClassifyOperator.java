package io.argus.operators.inference;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ClassifierFactory;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.ModelInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Classifies windows in batches across streams and emits one {@link AnalyticsEvent} per window,
 * naming the model and version that decided. The same operator serves video and audio.
 *
 * <p>A batch runs when it holds {@code maxBatch} windows or when its oldest window has waited
 * {@code maxWaitMs} of processing time, and always before a checkpoint barrier, a watermark or the
 * end of input; so buffered windows never need to be checkpointed and none is lost. The classifier
 * (one per parallel instance, so one per task slot) is created in {@code open()} and closed in
 * {@code close()}.
 */
public final class BatchClassifyOperator<I extends ModelInput> extends AbstractStreamOperator<AnalyticsEvent>
        implements OneInputStreamOperator<I, AnalyticsEvent> {

    private static final long serialVersionUID = 1L;

    private final ClassifierFactory<I> factory;
    private final String eventKind;
    private final int topK;
    private final int maxBatch;
    private final long maxWaitMs;

    private transient Classifier<I> classifier;
    private transient List<StreamRecord<I>> pending;
    private transient long batchGeneration;
    private transient Counter events;
    private transient Histogram batchSizes;
    private transient Histogram inferenceMicros;

    public BatchClassifyOperator(ClassifierFactory<I> factory, String eventKind, int topK, int maxBatch,
            long maxWaitMs) {
        if (topK < 1 || maxBatch < 1 || maxWaitMs < 0) {
            throw new IllegalArgumentException("need top-k >= 1, max batch >= 1, max wait >= 0; got " + topK + ", "
                    + maxBatch + ", " + maxWaitMs);
        }
        this.factory = factory;
        this.eventKind = eventKind;
        this.topK = topK;
        this.maxBatch = maxBatch;
        this.maxWaitMs = maxWaitMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        classifier = factory.create();
        pending = new ArrayList<>(maxBatch);
        events = getMetricGroup().counter("eventsEmitted");
        batchSizes = getMetricGroup().histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        inferenceMicros = getMetricGroup().histogram("inferenceMicros", new DescriptiveStatisticsHistogram(1000));
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

    @Override
    public void close() throws Exception {
        try {
            if (classifier != null) {
                classifier.close();
            }
        } finally {
            super.close();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        batchGeneration++;
        List<I> inputs = new ArrayList<>(pending.size());
        pending.forEach(r -> inputs.add(r.getValue()));
        long t0 = System.nanoTime();
        List<Classification> results = classifier.classify(inputs);
        inferenceMicros.update((System.nanoTime() - t0) / 1000);
        batchSizes.update(inputs.size());
        ModelInfo model = classifier.info();
        for (int i = 0; i < inputs.size(); i++) {
            AnalyticsEvent e = Events.of(inputs.get(i), results.get(i).topK(topK), model, eventKind);
            StreamRecord<I> in = pending.get(i);
            output.collect(in.hasTimestamp() ? new StreamRecord<>(e, in.getTimestamp()) : new StreamRecord<>(e));
        }
        events.inc(inputs.size());
        pending.clear();
    }
}
