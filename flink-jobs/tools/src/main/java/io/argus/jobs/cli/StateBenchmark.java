package io.argus.jobs.cli;

import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.JobState;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StateOptions;
import io.argus.operators.decode.VideoFrame;
import io.argus.operators.window.FrameWindowFunction;
import io.argus.operators.window.StreamTiming;
import io.argus.operators.window.WindowSpec;
import io.argus.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStatsSummarySnapshot;
import org.apache.flink.runtime.checkpoint.StatsSummarySnapshot;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * {@code argus benchmark --path state}, once per state backend, on a MiniCluster (parallelism 2)
 * with checkpoints on disk every second: the frame windower alone on synthetic decoded frames
 * (frames/s: what the backend costs per frame), then the whole job (video and audio) over the same
 * replayed streams: its time and Flink's statistics of its checkpoints (how many, how long end to
 * end, how large). A measurement to choose by, not a test.
 */
final class StateBenchmark {

    private StateBenchmark() {}

    /** Streams and frames per stream of the windower-alone run: 64x64 grey frames at 25 fps. */
    private static final int ALONE_STREAMS = 32;
    private static final int ALONE_FRAMES = 1500;

    static void run(Path dir, Path clip, Configuration options, int streams, int repeat) throws Exception {
        System.out.printf("window-video alone: %d streams x %d decoded frames (64x64 grey, 25 fps), a warm-up "
                + "and %d run(s) per backend, in turn%n", ALONE_STREAMS, ALONE_FRAMES, repeat);
        for (int r = 0; r <= repeat; r++) {
            for (StateOptions.Backend backend : StateOptions.Backend.values()) {
                double fps = windowsAlone(backend, dir.resolve("alone-" + backend + "-" + r));
                System.out.printf(Locale.ROOT, "%-8s %8.0f frames/s%s   (load %s)%n", backend, fps,
                        r == 0 ? " (warm-up)" : "", loadAverage());
            }
        }
        System.out.printf("whole job (video and audio): %d streams x the 20 s clip, checkpoints every second on "
                + "disk, %d run(s) per backend, in turn%n", streams, repeat);
        for (int r = 0; r < repeat; r++) {
            for (StateOptions.Backend backend : StateOptions.Backend.values()) {
                Path checkpoints = dir.resolve("checkpoints-" + backend + "-" + r);
                Measured m = measure(clip, options, streams, backend, checkpoints);
                System.out.printf(Locale.ROOT, "%-8s job %5.1f s; %3d checkpoints, end to end mean %4d ms, max %5d ms; "
                        + "state mean %6.1f KB, max %6.1f KB   (load %s)%n", backend, m.seconds(), m.checkpoints(),
                        m.duration().getAverage(), m.duration().getMaximum(), m.size().getAverage() / 1024.0,
                        m.size().getMaximum() / 1024.0, loadAverage());
            }
        }
    }

    /** The 1-minute load average, to judge how quiet the machine was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static double windowsAlone(StateOptions.Backend backend, Path checkpoints) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateOptions.CHECKPOINT_DIR, checkpoints.toString());
        conf.set(StateOptions.STATE_BACKEND, backend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                AnalyticsJob.pipelineConfig());
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        env.configure(JobState.flinkSettings(conf));
        long frames = (long) ALONE_STREAMS * ALONE_FRAMES;
        env.fromSequence(0, frames - 1).setParallelism(1) // one source: each stream's frames in order
                .map(StateBenchmark::frame).returns(TypeInformation.of(VideoFrame.class)).setParallelism(1)
                .keyBy(f -> f.streamId, Types.STRING)
                .process(new FrameWindowFunction(new WindowSpec(16, 8, 8.0, 2000), StreamTiming.builder().build()))
                .sinkTo(new DiscardingSink<>());
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
        cluster.start();
        try {
            long t0 = System.nanoTime();
            JobID id = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
            JobResult result = cluster.requestJobResult(id).get();
            if (!result.isSuccess()) {
                throw new IllegalStateException("the windower on " + backend + " failed",
                        result.getSerializedThrowable().map(t -> (Throwable) t).orElse(null));
            }
            return frames / ((System.nanoTime() - t0) / 1e9);
        } finally {
            cluster.close();
        }
    }

    /** Frame {@code i / streams} of stream {@code i % streams}, at 25 fps. */
    private static VideoFrame frame(long i) {
        int stream = (int) (i % ALONE_STREAMS);
        long ts = BenchmarkCommand.BASE + (i / ALONE_STREAMS) * 40;
        byte[] pixels = new byte[64 * 64];
        java.util.Arrays.fill(pixels, (byte) i);
        return new VideoFrame("cam-" + stream, ts, 64, 64, 1, pixels, ts);
    }

    private record Measured(double seconds, long checkpoints, StatsSummarySnapshot duration,
            StatsSummarySnapshot size) {}

    private static Measured measure(Path clip, Configuration options, int streams, StateOptions.Backend backend,
            Path checkpoints) throws Exception {
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
        cluster.start();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Configuration conf = new Configuration();
            conf.addAll(options);
            conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.BOUNDED, true);
            conf.set(JobOptions.PARALLELISM, 2);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            conf.set(StateOptions.CHECKPOINT_DIR, checkpoints.toString());
            conf.set(StateOptions.STATE_BACKEND, backend);
            kafka.createTopics(2, conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC),
                    conf.get(KafkaOptions.EVENTS_TOPIC), conf.get(KafkaOptions.INCIDENTS_TOPIC),
                conf.get(KafkaOptions.DEAD_LETTER_TOPIC),
                    conf.get(KafkaOptions.STATUS_TOPIC));
            try (ReplayProducer p = new ReplayProducer(KafkaClientConfig.of(kafka.bootstrapServers()),
                    conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC))) {
                for (int s = 0; s < streams; s++) {
                    p.replay(clip, "cam-" + s, ReplayOptions.asFastAsPossible(BenchmarkCommand.BASE), null);
                }
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    AnalyticsJob.pipelineConfig());
            new AnalyticsPipeline(conf).build(env);
            long t0 = System.nanoTime();
            JobID id = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
            JobResult result = cluster.requestJobResult(id).get();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!result.isSuccess()) {
                throw new IllegalStateException("the job on " + backend + " failed",
                        result.getSerializedThrowable().map(t -> (Throwable) t).orElse(null));
            }
            CheckpointStatsSnapshot stats = cluster.getArchivedExecutionGraph(id).get().getCheckpointStatsSnapshot();
            CompletedCheckpointStatsSummarySnapshot summary = stats.getSummaryStats();
            return new Measured(seconds, stats.getCounts().getNumberOfCompletedCheckpoints(),
                    summary.getEndToEndDurationStats(), summary.getStateSizeStats());
        } finally {
            cluster.close();
        }
    }
}
