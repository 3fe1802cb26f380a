package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.AnalyticsJob;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * A job on the in-process MiniCluster that was given no checkpoint folder ({@code argus evaluate},
 * the benchmarks) still completes checkpoints of more state than Flink's default, the JobManager's
 * memory, accepts (5 MB per operator: the frame windows of about 30 cameras in one task). Before,
 * every checkpoint of such a job failed and the job restarted without end, so no event was ever
 * committed: the capacity benchmark lost 64 cameras that way while the CPU was half idle.
 */
class CheckpointStorageIT {

    private static final int KEYS = 8;
    private static final int BYTES_PER_KEY = 1 << 20;

    // the MiniCluster runs in this JVM: the function reports through statics
    private static final CountDownLatch COMPLETED = new CountDownLatch(1);
    private static final AtomicLong FULL_SNAPSHOT = new AtomicLong(Long.MAX_VALUE);

    @Test
    void aJobWithoutACheckpointFolderCheckpointsMoreThanTheJobManagersMemoryTakes() throws Exception {
        StreamExecutionEnvironment env = AnalyticsJob.localEnvironment(1, new Configuration());
        env.enableCheckpointing(200);
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(i -> i, Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(200), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
                .keyBy(i -> i % KEYS, Types.LONG)
                .process(new HoldAMegabytePerKey())
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("checkpoint-storage");
        try {
            assertThat(COMPLETED.await(60, TimeUnit.SECONDS))
                    .as("a checkpoint of %d MB of keyed state completed", KEYS * BYTES_PER_KEY >> 20)
                    .isTrue();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** Keeps a megabyte per key; notes the first checkpoint taken with all of them, and its completion. */
    private static final class HoldAMegabytePerKey extends KeyedProcessFunction<Long, Long, Long>
            implements CheckpointedFunction, CheckpointListener {

        private transient ValueState<byte[]> held;
        private transient int keysHeld;

        @Override
        public void initializeState(FunctionInitializationContext context) {
            held = context.getKeyedStateStore().getState(new ValueStateDescriptor<>("held", byte[].class));
        }

        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
            if (held.value() == null) {
                byte[] megabyte = new byte[BYTES_PER_KEY];
                java.util.Arrays.fill(megabyte, (byte) value.intValue()); // not all zeros, whatever the backend
                held.update(megabyte);
                keysHeld++;
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (keysHeld == KEYS) {
                FULL_SNAPSHOT.compareAndSet(Long.MAX_VALUE, context.getCheckpointId());
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (checkpointId >= FULL_SNAPSHOT.get()) {
                COMPLETED.countDown();
            }
        }
    }
}
