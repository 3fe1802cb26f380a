package io.argus.operators.inference;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.status.ModelStatus;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.ModelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies windows in batches across streams and emits one {@link AnalyticsEvent} per window,
 * naming the model and version that decided. The same operator serves video and audio.
 *
 * <p>A batch runs when it holds {@code maxBatch} windows or when its oldest window has waited
 * {@code maxWaitMs} of processing time, and always before a checkpoint barrier, a watermark or the
 * end of input; so buffered windows never need to be checkpointed and none is lost. The classifier
 * (one per parallel instance, so one per task slot) is created in {@code open()} and closed in
 * {@code close()}.
 *
 * <p><b>Hot reload.</b> When the {@link ModelSource} is watched, every {@code pollMs} a background
 * thread asks it which version should serve; a new one is loaded, checked and warmed up there,
 * beside the serving model, which goes on classifying. The next poll on the task thread swaps it
 * in between two batches: the pending batch is classified by the old model first, so every batch,
 * and every event, is wholly one version's. A candidate that fails a check is reported as
 * {@link ModelStatus#REJECTED} with its reason on {@link #STATUS} and not tried again until the
 * source names another version; the old model keeps serving. The version serving is checkpointed,
 * so a restart resumes with it (if it no longer loads, with the source's current one).
 */
public final class BatchClassifyOperator<I extends ModelInput> extends AbstractStreamOperator<AnalyticsEvent>
        implements OneInputStreamOperator<I, AnalyticsEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchClassifyOperator.class);

    /** Reports of model swaps and refusals. */
    public static final OutputTag<ModelStatus> STATUS = new OutputTag<>("model-status",
            TypeInformation.of(ModelStatus.class));

    private final ModelSource<I> source;
    private final String eventKind;
    private final int topK;
    private final int maxBatch;
    private final long maxWaitMs;
    private final long pollMs;

    private transient Classifier<I> classifier;
    private transient String serving;
    private transient String restored;
    private transient ListState<String> servingState;
    private transient List<StreamRecord<I>> pending;
    private transient long batchGeneration;
    private transient ExecutorService loader;
    private transient AtomicReference<Candidate<I>> ready;
    private transient boolean checking;
    private transient String rejected;
    private transient Counter events;
    private transient Counter reloads;
    private transient Counter rejections;
    private transient Histogram batchSizes;
    private transient Histogram inferenceMicros;

    public BatchClassifyOperator(ModelSource<I> source, String eventKind, int topK, int maxBatch, long maxWaitMs,
            long pollMs) {
        if (topK < 1 || maxBatch < 1 || maxWaitMs < 0 || pollMs < 1) {
            throw new IllegalArgumentException("need top-k >= 1, max batch >= 1, max wait >= 0, poll >= 1 ms; got "
                    + topK + ", " + maxBatch + ", " + maxWaitMs + ", " + pollMs);
        }
        this.source = source;
        this.eventKind = eventKind;
        this.topK = topK;
        this.maxBatch = maxBatch;
        this.maxWaitMs = maxWaitMs;
        this.pollMs = pollMs;
    }

    /**
     * The outcome of a check off the task thread: a loaded candidate, a refused one (no classifier,
     * a reason), or nothing new (no version).
     */
    private record Candidate<I extends ModelInput>(String version, Classifier<I> classifier, String reason,
            long loadMs) {

        static <I extends ModelInput> Candidate<I> nothingNew() {
            return new Candidate<>(null, null, null, 0);
        }
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        servingState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("model-serving", Types.STRING));
        if (context.isRestored()) {
            for (String v : servingState.get()) {
                restored = v;
                break;
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new ArrayList<>(maxBatch);
        events = getMetricGroup().counter("eventsEmitted");
        reloads = getMetricGroup().counter("modelReloads");
        rejections = getMetricGroup().counter("modelRejections");
        batchSizes = getMetricGroup().histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        inferenceMicros = getMetricGroup().histogram("inferenceMicros", new DescriptiveStatisticsHistogram(1000));
        // a fixed source ignores what a checkpoint says: the job may have been restarted with another model
        serving = restored != null && source.watched() ? restored : source.serving();
        try {
            classifier = source.load(serving);
        } catch (Exception e) {
            if (restored == null || restored.equals(source.serving())) {
                throw e;
            }
            LOG.warn("{}: version {} from the checkpoint no longer loads ({}); serving {}", source.describe(),
                    restored, e.getMessage(), source.serving());
            serving = source.serving();
            classifier = source.load(serving);
        }
        if (source.watched()) {
            ready = new AtomicReference<>();
            loader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "model-loader " + source.describe());
                t.setDaemon(true);
                return t;
            });
            schedulePoll();
        }
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
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        servingState.update(List.of(serving));
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (loader != null) {
                loader.shutdownNow();
                loader.awaitTermination(10, TimeUnit.SECONDS); // a load under way finishes
                Candidate<I> late = ready.getAndSet(null);
                if (late != null && late.classifier() != null) {
                    late.classifier().close();
                }
            }
            if (classifier != null) {
                classifier.close();
            }
        } finally {
            super.close();
        }
    }

    /** The version serving now. */
    String serving() {
        return serving;
    }

    private void schedulePoll() {
        long due = getProcessingTimeService().getCurrentProcessingTime() + pollMs;
        getProcessingTimeService().registerTimer(due, t -> {
            poll();
            schedulePoll();
        });
    }

    /** On the task thread: acts on what the last check found, then starts the next check. */
    private void poll() {
        Candidate<I> c = ready.getAndSet(null);
        if (c != null) {
            checking = false;
            if (c.version() != null) {
                swapOrRefuse(c);
            }
        }
        if (!checking) {
            checking = true;
            String current = serving;
            String refused = rejected;
            loader.execute(() -> check(current, refused));
        }
    }

    private void swapOrRefuse(Candidate<I> c) {
        if (c.classifier() == null) {
            rejected = c.version();
            rejections.inc();
            report(ModelStatus.REJECTED, c);
            LOG.warn("{}: version {} refused, {} keeps serving: {}", source.describe(), c.version(), serving,
                    c.reason());
            return;
        }
        flush(); // the pending batch is the old model's
        Classifier<I> old = classifier;
        classifier = c.classifier();
        serving = c.version();
        rejected = null;
        old.close();
        reloads.inc();
        report(ModelStatus.SERVING, c);
        LOG.info("{}: now serving version {} (loaded and checked in {} ms)", source.describe(), serving, c.loadMs());
    }

    /** Off the task thread: loads the version the source names if it is new; always posts an outcome. */
    private void check(String current, String refused) {
        String version = null;
        long t0 = System.nanoTime();
        try {
            version = source.serving();
            if (version.equals(current) || version.equals(refused)) {
                ready.set(Candidate.nothingNew());
                return;
            }
            ready.set(new Candidate<>(version, source.load(version), null, (System.nanoTime() - t0) / 1_000_000));
        } catch (Exception | LinkageError e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            if (version == null) {
                LOG.warn("{}: cannot read which version should serve: {}", source.describe(), reason);
                ready.set(Candidate.nothingNew());
                return;
            }
            ready.set(new Candidate<>(version, null, reason, (System.nanoTime() - t0) / 1_000_000));
        }
    }

    private void report(String status, Candidate<I> c) {
        output.collect(STATUS, new StreamRecord<>(ModelStatus.of(eventKind,
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), status, source.describe(), c.version(),
                serving, c.reason(), c.loadMs())));
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
            StreamRecord<I> in = pending.get(i);
            for (AnalyticsEvent e : Events.of(inputs.get(i), results.get(i).topK(topK), model, eventKind)) {
                output.collect(in.hasTimestamp() ? new StreamRecord<>(e, in.getTimestamp()) : new StreamRecord<>(e));
                events.inc();
            }
        }
        pending.clear();
    }
}
