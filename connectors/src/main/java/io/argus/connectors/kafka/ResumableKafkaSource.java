package io.argus.connectors.kafka;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * A {@link KafkaSource} whose bounded form also ends when its job resumes from a checkpoint or a
 * savepoint. The connector's enumerator, recreated from state with every partition already
 * assigned, finds no new partition and so never tells the readers that no more splits will come
 * (FLINK-31006, FLINK-33466; still so in 4.0.1-2.0): they reach their stopping offsets and wait
 * for ever. Here the restored enumerator's context notices that its one partition discovery
 * scheduled no split assignment, and then tells every reader, now and as it registers, itself.
 * Everything else, the serializers included, is the wrapped source's, so checkpoints and
 * savepoints are interchangeable with those of a plain {@link KafkaSource}.
 */
public final class ResumableKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> source;

    public ResumableKafkaSource(KafkaSource<T> source) {
        this.source = source;
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
        return source.createReader(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws IOException {
        if (source.getBoundedness() != Boundedness.BOUNDED) {
            return source.restoreEnumerator(context, state);
        }
        EndingContext ending = new EndingContext(context);
        return new EndingEnumerator(source.restoreEnumerator(ending, state), ending);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return source.getProducedType();
    }

    /**
     * The context handed to the restored enumerator: counts its asynchronous calls, so that when
     * the handler of its partition discovery returns without scheduling split initialisation (no
     * new partition), the readers are told that no more splits will come.
     */
    private static final class EndingContext implements SplitEnumeratorContext<KafkaPartitionSplit> {

        private final SplitEnumeratorContext<KafkaPartitionSplit> context;
        private int asyncCalls;
        private boolean noMoreSplits;

        EndingContext(SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.context = context;
        }

        @Override
        public <R> void callAsync(Callable<R> callable, BiConsumer<R, Throwable> handler) {
            boolean discovery = asyncCalls++ == 0;
            context.callAsync(callable, !discovery ? handler : (result, error) -> {
                int before = asyncCalls;
                handler.accept(result, error);
                if (error == null && asyncCalls == before) { // no new partition: nothing more to assign
                    noMoreSplits = true;
                    registeredReaders().keySet().forEach(context::signalNoMoreSplits);
                }
            });
        }

        /** Tells a reader that registers after discovery, once its restored splits are its own. */
        void readerAdded(int subtask) {
            if (noMoreSplits) {
                context.signalNoMoreSplits(subtask);
            }
        }

        @Override
        public <R> void callAsync(Callable<R> callable, BiConsumer<R, Throwable> handler, long initialDelayMs,
                long periodMs) {
            asyncCalls++;
            context.callAsync(callable, handler, initialDelayMs, periodMs);
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, event);
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, attemptNumber, event);
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return context.registeredReaders();
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return context.registeredReadersOfAttempts();
        }

        @Override
        public void assignSplits(SplitsAssignment<KafkaPartitionSplit> assignment) {
            context.assignSplits(assignment);
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            context.runInCoordinatorThread(runnable);
        }

        @Override
        public void setIsProcessingBacklog(boolean isProcessingBacklog) {
            context.setIsProcessingBacklog(isProcessingBacklog);
        }
    }

    /** The restored enumerator, which also tells readers registering late that no more splits will come. */
    private static final class EndingEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {

        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator;
        private final EndingContext context;

        EndingEnumerator(SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator, EndingContext context) {
            this.enumerator = enumerator;
            this.context = context;
        }

        @Override
        public void start() {
            enumerator.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            enumerator.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            enumerator.addSplitsBack(splits, subtaskId);
            if (context.registeredReaders().containsKey(subtaskId)) {
                context.readerAdded(subtaskId); // it got them back at once
            }
        }

        @Override
        public void addReader(int subtaskId) {
            enumerator.addReader(subtaskId);
            context.readerAdded(subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return enumerator.snapshotState(checkpointId);
        }

        @Override
        public void close() throws IOException {
            enumerator.close();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            enumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent event) {
            enumerator.handleSourceEvent(subtaskId, event);
        }
    }
}
