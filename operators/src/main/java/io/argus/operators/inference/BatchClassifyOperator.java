package io.argus.operators.inference;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.status.ModelStatus;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.ModelInput;
import io.argus.operators.metrics.PerStreamMetrics;
import io.argus.operators.metrics.StreamEventMetrics;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies windows in batches across streams and emits one {@link AnalyticsEvent} per window,
 * naming the model and version that decided. The same operator serves video and audio.
 *
 * <p>Windows are batched as every {@link BatchingOperator} batches: a batch runs when it holds
 * {@code maxBatch} windows or when its oldest window has waited {@code maxWait}, and always before
 * a checkpoint barrier, a watermark or the end of input. The classifier
 * (one per parallel instance, so one per task slot) is created in {@code open()} and closed in
 * {@code close()}.
 *
 * <p><b>Hot reload.</b> When the {@link ModelSource} is watched, every {@code poll} a background
 * thread asks it which version should serve ({@link VersionCheck}, which decides and loads); a new one is loaded and admitted there (see
 * {@link ModelSource#load}), beside the serving model, which goes on classifying. The next poll on
 * the task thread swaps it in between two batches: the pending batch is classified by the old model
 * first, so every batch, and every event, is wholly one version's. A candidate that fails a check is
 * reported as {@link ModelStatus#REJECTED} with its reason on {@link #STATUS}, recorded as refused
 * by the source when the package itself is at fault, and not tried again; the old model keeps
 * serving. A version the source names but that was refused before (by this job or another) is
 * passed over for the last good one. The version serving is checkpointed, so a restart resumes with
 * it (if it no longer loads, with the source's current one, or the last good one).
 *
 * <p><b>Non-finite scores.</b> No event carries a score that is not a finite number. A window whose
 * scores are not all finite becomes a dead letter on {@link #DEAD_LETTERS} (stage {@code classify},
 * code {@code NON_FINITE_SCORE}, the would-be event as its value) and counts in the
 * {@code nonFiniteScores} metric; the first one of a version is reported as
 * {@link ModelStatus#NON_FINITE}. After a swap the operator keeps the previous version loaded, so it
 * classifies such a window again with it and the window still gets its event. Once the serving
 * version has given {@code maxNonFinite} windows non-finite scores, the operator returns to the
 * previous version by itself (or loads the source's last good one), records the bad version as
 * refused and reports {@link ModelStatus#REVERTED}.
 *
 * <p><b>Metrics.</b> Besides the counters and histograms of the operator, per stream the events it
 * emitted, the capture-to-event lag and people of its latest window ({@link StreamEventMetrics}),
 * removed once the stream has had no event for the builder's {@code streamMetricsIdle}, and per
 * model version it served a gauge {@code serving} in groups {@code model=<name>},
 * {@code version=<version>}: 1 while that version serves, 0 after.
 *
 * <p><b>Shadow.</b> When the watched source names a shadow version ({@link ModelSource#shadow()}),
 * it is loaded and checked off the task thread exactly as a candidate to serve is (refused and
 * reported the same way) and then classifies every batch the serving version classified, after
 * the serving version's events are out; its events go to {@link #SHADOW}, marked as shadow and
 * carrying the serving version's label and score of the same window. It never delays serving: a
 * batch whose oldest window was decoded more than {@code shadowMaxLag} ago (the operator is behind)
 * is not given to the shadow and counts in {@code shadowSkipped}; a shadow that throws is stopped
 * and never tried again in this run, reported as {@link ModelStatus#SHADOW_STOPPED}, and serving
 * goes on as if it had never run. A shadow's windows with non-finite scores count in
 * {@code shadowFailures} and get no shadow event. The gauge {@code shadowCpuShare} is the shadow's
 * share of the operator's inference CPU time (task thread) since it started, in percent. Nothing of
 * the shadow is checkpointed: after a restore it is loaded again in {@code open()}.
 */
public final class BatchClassifyOperator<I extends ModelInput> extends BatchingOperator<I, AnalyticsEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchClassifyOperator.class);

    /** Reports of model swaps and refusals. */
    public static final OutputTag<ModelStatus> STATUS = new OutputTag<>("model-status",
            TypeInformation.of(ModelStatus.class));

    /** Windows whose classification could not become an event (non-finite scores). */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("classify-dead-letters",
            TypeInformation.of(DeadLetter.class));

    /** The shadow version's events, one per window it classified (and per person). */
    public static final OutputTag<AnalyticsEvent> SHADOW = new OutputTag<>("shadow-events",
            TypeInformation.of(AnalyticsEvent.class));

    /** Makes the thread that loads and checks candidates (a direct executor in tests). */
    @FunctionalInterface
    public interface LoaderThreads extends Serializable {
        ExecutorService create(String name);
    }

    private final ModelSource<I> source;
    private final String eventKind;
    private final int topK;
    private final long pollMs;
    private final int maxNonFinite;
    private final long streamMetricsIdleMs;
    private final LoaderThreads loaderThreads;
    private final long shadowMaxLagMs;

    private transient Classifier<I> classifier;
    private transient String serving;
    /** The version that served before the current one, kept loaded to fall back on; null when none. */
    private transient Classifier<I> fallback;
    private transient String fallbackVersion;
    private transient String restored;
    private transient ListState<String> servingState;
    private transient ExecutorService loader;
    /** Decides off the task thread which versions should serve and run as a shadow, and loads them. */
    private transient VersionCheck<I> versionCheck;
    private transient AtomicReference<VersionCheck.Outcome<I>> ready;
    private transient boolean checking;
    /** Versions refused in this run, never tried again, with the reason. */
    private transient Map<String, String> rejected;
    /** Windows the serving version gave non-finite scores. */
    private transient int nonFinite;
    /** Reports made in {@code open()}, emitted at the first poll. */
    private transient List<ModelStatus> startupReports;
    private transient Counter events;
    private transient Counter reloads;
    private transient Counter rejections;
    private transient Counter nonFiniteScores;
    private transient Counter reverts;
    private transient Histogram batchSizes;
    private transient Histogram inferenceMicros;
    private transient PerStreamMetrics<StreamEventMetrics> streams;
    /** name@version of the model serving, for the serving gauges; read by the reporter's thread. */
    private transient volatile String servingModel;
    private transient Set<String> servingGauges;
    /** The version running as a shadow, or null while none runs. */
    private transient ShadowVersion<I> shadow;
    private transient AtomicReference<VersionCheck.Outcome<I>> shadowReady;
    private transient Counter shadowWindows;
    private transient Counter shadowSkipped;
    private transient Counter shadowFailures;
    /** The shadow's share of the inference CPU time, for the gauge; read by the reporter's thread. */
    private transient volatile double shadowCpuShare;

    private BatchClassifyOperator(Builder<I> b) {
        super(b.maxBatch, b.maxWait.toMillis());
        this.source = b.source;
        this.eventKind = b.eventKind;
        this.topK = b.topK;
        this.pollMs = b.poll.toMillis();
        this.maxNonFinite = b.maxNonFinite;
        this.streamMetricsIdleMs = b.streamMetricsIdle.toMillis();
        this.loaderThreads = b.loaderThreads;
        this.shadowMaxLagMs = b.shadowMaxLag.toMillis();
    }

    /** An operator classifying windows of {@code eventKind} ({@code action}, {@code audio}) with the source's model. */
    public static <I extends ModelInput> Builder<I> builder(ModelSource<I> source, String eventKind) {
        return new Builder<>(source, eventKind);
    }

    /** Settings of a {@link BatchClassifyOperator}; {@link #build()} checks them and names the bad one. */
    public static final class Builder<I extends ModelInput> {
        public static final int DEFAULT_MAX_NON_FINITE = 3;
        public static final Duration DEFAULT_SHADOW_MAX_LAG = Duration.ofSeconds(3);

        private final ModelSource<I> source;
        private final String eventKind;
        private int topK = 3;
        private int maxBatch = 8;
        private Duration maxWait = Duration.ofMillis(50);
        private Duration poll = Duration.ofSeconds(10);
        private int maxNonFinite = DEFAULT_MAX_NON_FINITE;
        private Duration streamMetricsIdle = Duration.ofMinutes(5);
        private LoaderThreads loaderThreads = BatchClassifyOperator::daemonThread;
        private Duration shadowMaxLag = DEFAULT_SHADOW_MAX_LAG;

        private Builder(ModelSource<I> source, String eventKind) {
            this.source = source;
            this.eventKind = eventKind;
        }

        /** Labels with scores in each event. */
        public Builder<I> topK(int k) {
            this.topK = k;
            return this;
        }

        /** Windows classified together at most. */
        public Builder<I> maxBatch(int n) {
            this.maxBatch = n;
            return this;
        }

        /** How long the oldest window of an incomplete batch waits. */
        public Builder<I> maxWait(Duration d) {
            this.maxWait = d;
            return this;
        }

        /** How often a watched source is asked which version should serve. */
        public Builder<I> poll(Duration d) {
            this.poll = d;
            return this;
        }

        /** Windows with non-finite scores a version may give before the operator stops serving it. */
        public Builder<I> maxNonFinite(int n) {
            this.maxNonFinite = n;
            return this;
        }

        /** How long a stream may send nothing before its per-stream metrics are removed (the job's idle-release). */
        public Builder<I> streamMetricsIdle(Duration d) {
            this.streamMetricsIdle = d;
            return this;
        }

        /** The thread candidates are loaded and checked on. */
        public Builder<I> loaderThreads(LoaderThreads threads) {
            this.loaderThreads = threads;
            return this;
        }

        /**
         * How long ago the oldest window of a batch may have been decoded for a shadow to classify the
         * batch too; beyond it the operator is behind and the shadow skips the batch.
         */
        public Builder<I> shadowMaxLag(Duration d) {
            this.shadowMaxLag = d;
            return this;
        }

        public BatchClassifyOperator<I> build() {
            require(topK >= 1, "top-k", topK + ", need at least 1");
            require(maxBatch >= 1, "max-batch", maxBatch + ", need at least 1");
            require(!maxWait.isNegative(), "max-batch-wait", maxWait + ", need 0 or more");
            require(poll.toMillis() >= 1, "model-poll-interval", poll + ", need at least 1 ms");
            require(maxNonFinite >= 1, "model-max-non-finite", maxNonFinite + ", need at least 1");
            require(streamMetricsIdle.toMillis() >= 1, "idle-release", streamMetricsIdle + ", need at least 1 ms");
            require(shadowMaxLag.toMillis() >= 1, "shadow-max-lag", shadowMaxLag + ", need at least 1 ms");
            return new BatchClassifyOperator<>(this);
        }

        private static void require(boolean ok, String setting, String got) {
            if (!ok) {
                throw new IllegalArgumentException("classify operator: " + setting + " is " + got);
            }
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
        rejected = new HashMap<>();
        startupReports = new ArrayList<>();
        events = getMetricGroup().counter("eventsEmitted");
        reloads = getMetricGroup().counter("modelReloads");
        rejections = getMetricGroup().counter("modelRejections");
        nonFiniteScores = getMetricGroup().counter("nonFiniteScores");
        reverts = getMetricGroup().counter("modelReverts");
        batchSizes = getMetricGroup().histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        inferenceMicros = getMetricGroup().histogram("inferenceMicros", new DescriptiveStatisticsHistogram(1000));
        boolean people = AnalyticsEvent.KIND_ACTION.equals(eventKind);
        streams = new PerStreamMetrics<>(getMetricGroup(), Duration.ofMillis(streamMetricsIdleMs),
                g -> new StreamEventMetrics(g, people));
        servingGauges = new HashSet<>();
        shadowWindows = getMetricGroup().counter("shadowWindows");
        shadowSkipped = getMetricGroup().counter("shadowSkipped");
        shadowFailures = getMetricGroup().counter("shadowFailures");
        getMetricGroup().gauge("shadowCpuShare", (Gauge<Double>) () -> shadowCpuShare);
        versionCheck = new VersionCheck<>(source, "job operator classify-" + eventKind + " subtask "
                + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        loadFirst();
        markServing();
        if (source.watched()) {
            loadShadowFirst();
            ready = new AtomicReference<>();
            shadowReady = new AtomicReference<>();
            loader = loaderThreads.create("model-loader " + source.describe());
            schedulePoll();
        }
    }

    /**
     * Loads the first version that passes: the checkpoint's (a watched source only: a fixed one
     * ignores it, the job may have been restarted with another model), the one the source names,
     * then the source's fallbacks; versions refused before are passed over.
     */
    private void loadFirst() throws Exception {
        Set<String> preferred = new LinkedHashSet<>();
        if (restored != null && source.watched()) {
            preferred.add(restored);
        }
        preferred.add(source.serving());
        Exception first = tryLoad(preferred);
        if (classifier == null) {
            Exception later = tryLoad(source.fallbacks());
            first = first != null ? first : later;
        }
        if (classifier == null) {
            throw first != null ? first : new IllegalStateException(source.describe() + ": versions " + preferred
                    + " were refused before, and no other version serves");
        }
        startupReports.forEach(r -> r.serving = serving);
    }

    /** Loads the shadow the source names, if any, so that a restored job has it from its first window on. */
    private void loadShadowFirst() {
        String v = null;
        long t0 = System.nanoTime();
        try {
            v = source.shadow();
            if (v == null || v.equals(serving) || rejected.containsKey(v)) {
                return;
            }
            String earlier = source.refusal(v);
            if (earlier != null) {
                rejected.put(v, earlier);
                startupReports.add(status(ModelStatus.REJECTED, v, "as a shadow: refused before: " + earlier, 0));
                return;
            }
            shadow = new ShadowVersion<>(v, source.load(v));
            startupReports.add(status(ModelStatus.SHADOW, v, null, (System.nanoTime() - t0) / 1_000_000));
        } catch (Exception | LinkageError e) {
            if (v == null) {
                LOG.warn("{}: cannot read which version should run as a shadow: {}", source.describe(), reason(e));
                return;
            }
            rejected.put(v, reason(e));
            versionCheck.recordRefusal(v, e, "refused as a shadow when the job started");
            startupReports.add(status(ModelStatus.REJECTED, v, "as a shadow: " + reason(e),
                    (System.nanoTime() - t0) / 1_000_000));
            LOG.warn("{}: version {} refused as a shadow at start: {}", source.describe(), v, reason(e));
        }
    }

    /** Loads the first of {@code versions} that passes into {@link #classifier}; returns the first failure. */
    private Exception tryLoad(Collection<String> versions) throws Exception {
        Exception first = null;
        for (String v : versions) {
            if (classifier != null) {
                break;
            }
            if (rejected.containsKey(v)) {
                continue;
            }
            String earlier = source.watched() ? source.refusal(v) : null;
            if (earlier != null) {
                rejected.put(v, earlier);
                startupReports.add(status(ModelStatus.REJECTED, v, "refused before: " + earlier, 0));
                continue;
            }
            long t0 = System.nanoTime();
            try {
                classifier = source.load(v);
                serving = v;
            } catch (Exception e) {
                first = first == null ? e : first;
                String reason = reason(e);
                rejected.put(v, reason);
                versionCheck.recordRefusal(v, e, "refused when the job started");
                startupReports.add(status(ModelStatus.REJECTED, v, reason, (System.nanoTime() - t0) / 1_000_000));
                LOG.warn("{}: version {} refused at start: {}", source.describe(), v, reason);
            }
        }
        return first;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        servingState.update(List.of(serving));
    }

    @Override
    public void close() throws Exception {
        try {
            if (loader != null) {
                loader.shutdownNow();
                loader.awaitTermination(10, TimeUnit.SECONDS); // a load under way finishes
                for (VersionCheck.Outcome<I> late : List.of(Objects.requireNonNullElse(ready.getAndSet(null),
                        VersionCheck.Outcome.<I>nothingNew()), Objects.requireNonNullElse(shadowReady.getAndSet(null),
                        VersionCheck.Outcome.<I>nothingNew()))) {
                    late.discard();
                }
            }
            if (shadow != null) {
                shadow.close();
            }
            if (fallback != null) {
                fallback.close();
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

    /** The version running as a shadow now, or null. */
    String shadowVersion() {
        return shadow == null ? null : shadow.version();
    }

    private void schedulePoll() {
        long due = getProcessingTimeService().getCurrentProcessingTime() + pollMs;
        getProcessingTimeService().registerTimer(due, t -> {
            poll();
            schedulePoll();
        });
    }

    /** On the task thread: acts on what the last check found, then starts the next check. */
    private void poll() throws Exception {
        startupReports.forEach(r -> output.collect(STATUS, new StreamRecord<>(r)));
        startupReports.clear();
        VersionCheck.Outcome<I> c = ready.getAndSet(null);
        if (c != null) {
            checking = false;
            VersionCheck.Outcome<I> s = shadowReady.getAndSet(null); // posted before c
            if (c.version() != null) {
                swapOrRefuse(c);
            }
            if (s != null) {
                startOrRefuseShadow(s);
            }
        }
        if (!checking) {
            checking = true;
            String current = serving;
            String currentShadow = shadowVersion();
            Map<String, String> refused = Map.copyOf(rejected);
            loader.execute(() -> {
                VersionCheck.Outcome<I> s = versionCheck.shadow(current, currentShadow, refused);
                if (s != null) {
                    shadowReady.set(s); // before ready: the task thread reads ready first
                }
                ready.set(versionCheck.serving(current, refused));
            });
        }
    }

    private void swapOrRefuse(VersionCheck.Outcome<I> c) throws Exception {
        if (c.classifier() == null) {
            rejected.put(c.version(), c.reason());
            rejections.inc();
            report(ModelStatus.REJECTED, c.version(), c.reason(), c.loadMs());
            LOG.warn("{}: version {} refused, {} keeps serving: {}", source.describe(), c.version(), serving,
                    c.reason());
            return;
        }
        String old = serving;
        if (!old.equals(c.from())) { // the operator left that version by itself meanwhile: check again
            c.classifier().close();
            return;
        }
        flush(); // the pending batch is the old model's
        if (c.replacing() != null) {
            rejected.putIfAbsent(old, c.replacing());
        }
        if (fallback != null) {
            fallback.close();
        }
        if (rejected.containsKey(old)) {
            classifier.close();
            fallback = null;
            fallbackVersion = null;
        } else {
            fallback = classifier;
            fallbackVersion = old;
        }
        classifier = c.classifier();
        serving = c.version();
        nonFinite = 0;
        markServing();
        if (c.replacing() != null) {
            reverts.inc();
            report(ModelStatus.REVERTED, old, c.replacing(), c.loadMs());
            LOG.warn("{}: stopped serving version {} ({}); now serving {}", source.describe(), old, c.replacing(),
                    serving);
        } else {
            reloads.inc();
            report(ModelStatus.SERVING, serving, null, c.loadMs());
            LOG.info("{}: now serving version {} (loaded and checked in {} ms)", source.describe(), serving,
                    c.loadMs());
        }
        if (serving.equals(shadowVersion())) {
            stopShadow("it serves now");
        }
    }

    /**
     * On the task thread: acts on what the last shadow check found. A candidate with no version stops
     * the shadow; a refused one stops any shadow too (the source no longer names it).
     */
    private void startOrRefuseShadow(VersionCheck.Outcome<I> s) throws Exception {
        if (s.version() == null) {
            stopShadow("the source names no shadow");
            return;
        }
        if (s.classifier() == null) {
            rejected.put(s.version(), s.reason());
            rejections.inc();
            stopShadow("replaced by version " + s.version() + ", refused");
            report(ModelStatus.REJECTED, s.version(), "as a shadow: " + s.reason(), s.loadMs());
            LOG.warn("{}: version {} refused as a shadow: {}", source.describe(), s.version(), s.reason());
            return;
        }
        if (s.version().equals(serving) || rejected.containsKey(s.version())) {
            s.classifier().close();
            return;
        }
        stopShadow("replaced by version " + s.version());
        shadow = new ShadowVersion<>(s.version(), s.classifier());
        report(ModelStatus.SHADOW, s.version(), null, s.loadMs());
        LOG.info("{}: version {} runs as a shadow beside {} (loaded and checked in {} ms)", source.describe(),
                s.version(), serving, s.loadMs());
    }

    private void stopShadow(String why) {
        if (shadow == null) {
            return;
        }
        String version = shadow.version();
        try {
            shadow.close();
        } catch (Exception | LinkageError e) {
            LOG.warn("{}: closing shadow version {}: {}", source.describe(), version, reason(e));
        }
        report(ModelStatus.SHADOW_STOPPED, version, why, 0);
        LOG.info("{}: shadow version {} stopped ({}); it took {}% of the inference CPU time", source.describe(),
                version, why, String.format(java.util.Locale.ROOT, "%.1f", shadow.cpuSharePercent()));
        shadow = null;
        shadowCpuShare = 0;
    }

    @Override
    protected void process(List<StreamRecord<I>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        batch.forEach(r -> inputs.add(r.getValue()));
        long t0 = System.nanoTime();
        long cpu0 = shadow == null ? 0 : ShadowVersion.cpuNanos();
        List<Classification> results = classifier.classify(inputs);
        inferenceMicros.update((System.nanoTime() - t0) / 1000);
        batchSizes.update(inputs.size());
        ModelInfo model = classifier.info();
        List<Classification> second = again(inputs, results);
        long servingCpu = shadow == null ? 0 : ShadowVersion.cpuNanos() - cpu0;
        ModelInfo secondModel = fallback == null ? null : fallback.info();
        List<List<AnalyticsEvent>> served = new ArrayList<>(inputs.size());
        int bad = 0;
        String firstBad = null;
        for (int i = 0; i < inputs.size(); i++) {
            StreamRecord<I> in = batch.get(i);
            Classification c = results.get(i);
            if (NonFiniteScores.none(c)) {
                served.add(emit(in, Events.of(inputs.get(i), c.topK(topK), model, eventKind)));
                continue;
            }
            bad++;
            DeadLetter d = NonFiniteScores.deadLetter(inputs.get(i), c, model, eventKind, topK);
            firstBad = firstBad == null ? d.reason : firstBad;
            output.collect(DEAD_LETTERS, new StreamRecord<>(d));
            Classification rescue = second.get(i);
            if (rescue != null && NonFiniteScores.none(rescue)) {
                served.add(emit(in, Events.of(inputs.get(i), rescue.topK(topK), secondModel, eventKind)));
                continue;
            }
            served.add(List.of());
            if (rescue != null) {
                output.collect(DEAD_LETTERS, new StreamRecord<>(NonFiniteScores.deadLetter(inputs.get(i), rescue,
                        secondModel, eventKind, topK)));
            }
        }
        shadow(batch, inputs, served, servingCpu);
        if (bad > 0) {
            nonFiniteScores.inc(bad);
            onNonFinite(bad, firstBad);
        }
    }

    /**
     * Gives the batch to the shadow, if one runs and the operator is not behind, and emits its events
     * on {@link #SHADOW} beside the serving ones ({@code served}, per window). A shadow that throws is
     * stopped; serving never sees it.
     */
    private void shadow(List<StreamRecord<I>> batch, List<I> inputs, List<List<AnalyticsEvent>> served,
            long servingCpu) {
        if (shadow == null) {
            return;
        }
        if (ShadowVersion.behind(inputs, getProcessingTimeService().getCurrentProcessingTime(), shadowMaxLagMs)) {
            shadowSkipped.inc(inputs.size());
            return;
        }
        List<List<AnalyticsEvent>> results;
        try {
            results = shadow.classify(inputs, served, servingCpu, topK, eventKind);
        } catch (Exception | LinkageError e) {
            shadowFailures.inc(inputs.size());
            rejected.put(shadow.version(), "failed as a shadow: " + reason(e));
            LOG.warn("{}: shadow version {} failed on a batch of {} windows; stopping it: {}", source.describe(),
                    shadow.version(), inputs.size(), reason(e));
            stopShadow("failed: " + reason(e));
            return;
        }
        shadowCpuShare = shadow.cpuSharePercent();
        for (int i = 0; i < inputs.size(); i++) {
            if (results.get(i) == null) {
                shadowFailures.inc(); // non-finite scores
                continue;
            }
            for (AnalyticsEvent e : results.get(i)) {
                output.collect(SHADOW, derived(batch.get(i), e));
            }
            shadowWindows.inc();
        }
    }

    /**
     * The fallback's classification of each input whose first one has a non-finite score (null
     * elsewhere, and everywhere when there is no fallback).
     */
    private List<Classification> again(List<I> inputs, List<Classification> results) {
        List<Classification> out = new ArrayList<>(inputs.size());
        List<I> redo = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            out.add(null);
            if (fallback != null && !NonFiniteScores.none(results.get(i))) {
                redo.add(inputs.get(i));
            }
        }
        if (redo.isEmpty()) {
            return out;
        }
        List<Classification> redone = fallback.classify(redo);
        for (int i = 0, k = 0; i < inputs.size(); i++) {
            if (!NonFiniteScores.none(results.get(i))) {
                out.set(i, redone.get(k++));
            }
        }
        return out;
    }

    /** Emits a window's events (its own, then one per person it follows) with the window's timestamp. */
    private List<AnalyticsEvent> emit(StreamRecord<I> in, List<AnalyticsEvent> es) {
        for (AnalyticsEvent e : es) {
            output.collect(derived(in, e));
            events.inc();
            streams.of(e.streamId, getProcessingTimeService().getCurrentProcessingTime()).emitted(e);
        }
        return es;
    }

    /** Points the serving gauges at the model serving now, registering one for a version served first. */
    private void markServing() {
        ModelInfo info = classifier.info();
        String key = info.name() + "@" + info.version();
        if (servingGauges.add(key)) {
            getMetricGroup().addGroup("model", info.name()).addGroup("version", info.version())
                    .gauge("serving", (Gauge<Integer>) () -> key.equals(servingModel) ? 1 : 0);
        }
        servingModel = key;
    }

    /** Counts the serving version's non-finite windows; reports the first and returns to the last good at the limit. */
    private void onNonFinite(int bad, String example) {
        String version = serving;
        if (nonFinite == 0) {
            report(ModelStatus.NON_FINITE, version, example, 0);
        }
        nonFinite += bad;
        LOG.warn("{}: version {} gave {} window(s) non-finite scores ({} so far, limit {}): {}", source.describe(),
                version, bad, nonFinite, maxNonFinite, example);
        if (nonFinite < maxNonFinite || !source.watched() || rejected.containsKey(version)) {
            return;
        }
        String reason = "gave " + nonFinite + " windows non-finite scores (limit " + maxNonFinite + ", "
                + "--model-max-non-finite), e.g. " + example;
        rejected.put(version, reason);
        loader.execute(() -> versionCheck.refuse(version, reason, "refused while serving"));
        if (fallback == null) {
            // the next check loads the source's last good version; until then windows are dead-lettered
            LOG.warn("{}: version {} refused while serving; loading the last good version", source.describe(), version);
            return;
        }
        classifier.close();
        classifier = fallback;
        serving = fallbackVersion;
        fallback = null;
        fallbackVersion = null;
        nonFinite = 0;
        markServing();
        reverts.inc();
        report(ModelStatus.REVERTED, version, reason, 0);
        LOG.warn("{}: stopped serving version {} ({}); back to {}", source.describe(), version, reason, serving);
    }

    private ModelStatus status(String status, String version, String reason, long loadMs) {
        return ModelStatus.of(eventKind, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), status,
                source.describe(), version, serving, reason, loadMs);
    }

    private void report(String status, String version, String reason, long loadMs) {
        output.collect(STATUS, new StreamRecord<>(status(status, version, reason, loadMs)));
    }

    private static String reason(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
