package io.argus.connectors.kafka;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaSource} whose split enumerator (the part on the JobManager, which lists the topic's
 * partitions and their offsets with a Kafka admin client) is kept on a short leash:
 *
 * <ul>
 *   <li>a bounded source closes the enumerator's Kafka client as soon as every reader has been told
 *       that no more splits will come, before the last reader can finish. Flink closes operator
 *       coordinators asynchronously after a job ends, and may release the job's class loader
 *       first (FLINK-24680, unfixed); a Kafka client still closing then fails to load the classes
 *       it needs ({@code NoClassDefFoundError: org/apache/kafka/common/network/Selector$CloseMode}
 *       on a session cluster's JobManager) and leaves its connections open;</li>
 *   <li>when the enumerator cannot reach Kafka (no broker answers, a topic is gone), the failure
 *       that restarts the job is one line naming the source, the topic, the brokers and the cause,
 *       counted in the metric {@value #KAFKA_ERRORS}, instead of a wall of stack traces; the full
 *       trace is logged at debug level.</li>
 * </ul>
 *
 * Readers, splits and checkpoints are the Kafka source's own; it wraps the
 * {@link ResumableKafkaSource}, so a bounded job also ends after a resume.
 */
public final class GuardedKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    /** Enumerator failures to reach Kafka, per source, since the job started on this JobManager. */
    public static final String KAFKA_ERRORS = "kafkaErrors";

    private static final Logger LOG = LoggerFactory.getLogger(GuardedKafkaSource.class);

    /**
     * One counter per source and job: the enumerator is created again on every restart, and a
     * metric group keeps the first counter registered under a name. Keyed by the counter's full
     * metric identifier (host, job, operator); on a cluster this class, and so the map, belongs
     * to the job's class loader.
     */
    private static final Map<String, Counter> ERRORS = new ConcurrentHashMap<>();

    private final ResumableKafkaSource<T> kafka;
    private final String what;

    /**
     * @param what the topic and brokers, for messages: "topic argus.video on Kafka at kafka-1:9092"
     */
    public GuardedKafkaSource(ResumableKafkaSource<T> kafka, String what) {
        this.kafka = kafka;
        this.what = what;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext readerContext) throws Exception {
        return kafka.createReader(readerContext);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        GuardedContext guarded = new GuardedContext(context);
        return guarded.guard(kafka.createEnumerator(guarded));
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState checkpoint) throws Exception {
        GuardedContext guarded = new GuardedContext(context);
        return guarded.guard(kafka.restoreEnumerator(guarded, checkpoint));
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    /** The one line a failure to reach Kafka becomes, e.g. "... (TimeoutException: Timed out waiting ...)". */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("");
        return root.getClass().getSimpleName() + message;
    }

    /**
     * The context the Kafka enumerator sees: Flink's, watching two things, the readers told that
     * no more splits will come, and the results of the enumerator's calls to Kafka.
     */
    private final class GuardedContext implements SplitEnumeratorContext<KafkaPartitionSplit> {

        private final SplitEnumeratorContext<KafkaPartitionSplit> flink;
        private final Counter errors;
        private final Set<Integer> done = new HashSet<>();
        private SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator;
        private boolean kafkaClosed;

        GuardedContext(SplitEnumeratorContext<KafkaPartitionSplit> flink) {
            this.flink = flink;
            SplitEnumeratorMetricGroup group = flink.metricGroup();
            this.errors = ERRORS.computeIfAbsent(group.getMetricIdentifier(KAFKA_ERRORS),
                    k -> group.counter(KAFKA_ERRORS));
        }

        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> guard(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafkaEnumerator) {
            this.enumerator = kafkaEnumerator;
            return new GuardedEnumerator(kafkaEnumerator, this);
        }

        /**
         * Closes the enumerator's Kafka client once the last reader is about to hear that no more
         * splits will come: a bounded enumerator needs Kafka no longer, and the job cannot end
         * before that reader has heard it.
         */
        @Override
        public void signalNoMoreSplits(int subtask) {
            done.add(subtask);
            if (!kafkaClosed && done.size() >= flink.currentParallelism()) {
                closeKafka();
            }
            flink.signalNoMoreSplits(subtask);
        }

        void closeKafka() {
            if (kafkaClosed) {
                return;
            }
            kafkaClosed = true;
            try {
                enumerator.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: closing the split enumerator's Kafka client failed: {}", what, describe(e));
            }
        }

        @Override
        public <R> void callAsync(Callable<R> callable, BiConsumer<R, Throwable> handler) {
            flink.callAsync(callable, guardResult(handler));
        }

        @Override
        public <R> void callAsync(Callable<R> callable, BiConsumer<R, Throwable> handler, long initialDelay,
                long period) {
            flink.callAsync(callable, guardResult(handler), initialDelay, period);
        }

        /** A failed call to Kafka fails the job, as before, with one counted line instead of a stack trace. */
        private <R> BiConsumer<R, Throwable> guardResult(BiConsumer<R, Throwable> handler) {
            return (result, failure) -> {
                if (failure == null) {
                    handler.accept(result, null);
                    return;
                }
                errors.inc();
                String line = what + ": the split enumerator cannot use Kafka (" + describe(failure) + "); "
                        + "Kafka error " + errors.getCount() + " of this source, failing the job";
                LOG.warn(line);
                LOG.debug("{}: the Kafka client's error", what, failure);
                throw new KafkaUnavailableException(line);
            };
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return flink.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            flink.sendEventToSourceReader(subtaskId, event);
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
            flink.sendEventToSourceReader(subtaskId, attemptNumber, event);
        }

        @Override
        public int currentParallelism() {
            return flink.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return flink.registeredReaders();
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return flink.registeredReadersOfAttempts();
        }

        @Override
        public void assignSplits(SplitsAssignment<KafkaPartitionSplit> newSplitAssignments) {
            flink.assignSplits(newSplitAssignments);
        }

        @Override
        public void assignSplit(KafkaPartitionSplit split, int subtask) {
            flink.assignSplit(split, subtask);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            flink.runInCoordinatorThread(runnable);
        }

        @Override
        public void setIsProcessingBacklog(boolean isProcessingBacklog) {
            flink.setIsProcessingBacklog(isProcessingBacklog);
        }
    }

    /** The Kafka enumerator, whose Kafka client its guard may already have closed. */
    private static final class GuardedEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {

        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka;
        private final GuardedKafkaSource<?>.GuardedContext context;

        GuardedEnumerator(SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafka,
                GuardedKafkaSource<?>.GuardedContext context) {
            this.kafka = kafka;
            this.context = context;
        }

        @Override
        public void start() {
            kafka.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            kafka.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            kafka.addSplitsBack(splits, subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            kafka.addReader(subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return kafka.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            kafka.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            kafka.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() {
            context.closeKafka();
        }
    }
}
