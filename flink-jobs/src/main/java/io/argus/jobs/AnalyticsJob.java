package io.argus.jobs;

import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.CommandErrors;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.IncidentOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StateOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.metrics.LocalMetrics;
import io.argus.jobs.models.ModelRef;
import io.argus.models.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the analytics job: on a Flink cluster ({@code flink run argus-flink-jobs-*-job.jar
 * --bootstrap-servers ...}) or, run directly ({@code argus job}), on a local MiniCluster whose
 * checkpoints go to the data folder, to resume from after a crash. {@code --help} lists the options.
 */
public final class AnalyticsJob {

    static final String USAGE = "argus job [options]   (on a cluster: flink run argus-flink-jobs-<version>-job.jar "
            + "[options])";
    static final String SUMMARY = "Decodes camera and microphone streams from Kafka, classifies windows of "
            + "them, and writes labelled events to Kafka.";

    private AnalyticsJob() {}

    /** {@code flink run}'s entry point: a failure is one line on standard error and a non-zero exit. */
    public static void main(String[] args) {
        try {
            launch(args);
        } catch (Exception e) {
            System.exit(CommandErrors.report("argus job", e, System.err));
        }
    }

    /**
     * Parses the options, builds the job (which checks the options and models), checks that Kafka
     * answers and holds the job's topics, and runs the job until it ends or is cancelled.
     */
    public static void launch(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, JobOptions.all());
        if (parsed.help()) {
            CommandLine.printHelp(System.out, USAGE, SUMMARY, JobOptions.all());
            return;
        }
        Configuration conf = parsed.config();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(pipelineConfig());
        if (env instanceof LocalStreamEnvironment) { // argus job: state on this machine's disk, to resume from
            conf = JobState.withLocalDefaults(conf, JobState.defaultCheckpointDir(conf));
            System.out.println("argus job: checkpoints in " + conf.get(StateOptions.CHECKPOINT_DIR)
                    + "; after a crash, run again with --resume-from latest");
            env = environment(conf); // built with the checkpoint folder known, so none is made up for it
        } else {
            JobState.missingCheckpointFolder(conf, env.getConfiguration())
                    .ifPresent(warning -> System.err.println("argus job: warning: " + warning));
        }
        JobState.resumePath(conf).ifPresent(p -> System.out.println("argus job: resuming from " + p));
        new AnalyticsPipeline(conf).build(env);
        KafkaOptions.preflight(conf, topics(conf));
        env.execute(conf.get(JobOptions.JOB_NAME));
    }

    /** Builds the job on an environment and runs it until it ends (bounded) or is cancelled. */
    public static JobExecutionResult run(StreamExecutionEnvironment env, Configuration conf) throws Exception {
        new AnalyticsPipeline(conf).build(env);
        return env.execute(conf.get(JobOptions.JOB_NAME));
    }

    /** The topics a job with these options reads and writes. */
    @SuppressWarnings("unchecked")
    static ConfigOption<String>[] topics(Configuration conf) {
        List<ConfigOption<String>> topics = new ArrayList<>();
        if (conf.get(VideoOptions.ENABLED)) {
            topics.add(KafkaOptions.VIDEO_TOPIC);
        }
        if (conf.get(AudioOptions.ENABLED)) {
            topics.add(KafkaOptions.AUDIO_TOPIC);
        }
        topics.add(KafkaOptions.EVENTS_TOPIC);
        if (conf.contains(KafkaOptions.LIVE_EVENTS_TOPIC)) {
            topics.add(KafkaOptions.LIVE_EVENTS_TOPIC);
        }
        if (conf.get(IncidentOptions.ENABLED)) {
            topics.add(KafkaOptions.INCIDENTS_TOPIC);
        }
        topics.add(KafkaOptions.DEAD_LETTER_TOPIC);
        topics.add(KafkaOptions.STATUS_TOPIC); // every job reports its streams' clock jumps and releases
        if (followsRegistry(conf, VideoOptions.ENABLED, VideoOptions.ACTION_MODEL)
                || followsRegistry(conf, AudioOptions.ENABLED, AudioOptions.MODEL)) {
            topics.add(KafkaOptions.SHADOW_TOPIC); // where a shadow version's events go
        }
        return topics.toArray(ConfigOption[]::new);
    }

    /** Whether the path is on and its model is {@code registry:NAME} (not pinned to a version). */
    private static boolean followsRegistry(Configuration conf, ConfigOption<Boolean> enabled,
            ConfigOption<String> model) {
        return conf.get(enabled) && ModelRef.parse(conf.get(model), null) instanceof ModelRef.Registry r && r.follows();
    }

    /** Flink settings every Argus job runs with: no Kryo fallback for types Flink cannot analyse. */
    public static Configuration pipelineConfig() {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        return c;
    }

    /**
     * The environment {@code main} runs on: {@code flink run}'s cluster, or else a MiniCluster in
     * this process whose servers listen on {@link JobOptions#LOCAL_BIND_ADDRESS}.
     */
    static StreamExecutionEnvironment environment(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(pipelineConfig());
        if (!(env instanceof LocalStreamEnvironment)) {
            return env;
        }
        Configuration summary = new Configuration();
        LocalMetrics.addSummary(summary, conf, "argus job");
        return localEnvironment(-1, conf, summary);
    }

    /**
     * A MiniCluster in this process for the job with these options: its REST endpoint and blob
     * server listen on {@link JobOptions#LOCAL_BIND_ADDRESS} (loopback unless told otherwise), so
     * that no one else on the network can submit to, cancel or read the job.
     *
     * @param parallelism the default parallelism; -1 for the number of cores
     */
    public static StreamExecutionEnvironment localEnvironment(int parallelism, Configuration conf) {
        return localEnvironment(parallelism, conf, new Configuration());
    }

    /**
     * As {@link #localEnvironment(int, Configuration)}, with more cluster settings; the Prometheus
     * endpoint of {@link JobOptions#METRICS_PORT} is added here, and its address printed.
     */
    static StreamExecutionEnvironment localEnvironment(int parallelism, Configuration conf, Configuration more) {
        Configuration c = pipelineConfig();
        String address = conf.get(JobOptions.LOCAL_BIND_ADDRESS);
        c.set(RestOptions.BIND_ADDRESS, address);
        c.set(JobManagerOptions.BIND_HOST, address); // the blob server's
        c.set(TaskManagerOptions.BIND_HOST, address);
        c.addAll(more);
        JobState.useTemporaryCheckpoints(c, conf);
        // The MiniCluster's tasks run in this JVM: PyTorch's native libraries are loaded here, before the
        // job is submitted, rather than in the classify operators' open() while their sources already read
        // (argus evaluate --realtime in a cold process, two runs: the classify tasks ran 0.5-1.2 s sooner).
        DjlRuntime.pytorch();
        String metrics = LocalMetrics.addEndpoint(c, conf);
        if (metrics != null) {
            System.out.println("argus: metrics at " + metrics + " (argus status reads them)");
        }
        return parallelism > 0 ? StreamExecutionEnvironment.createLocalEnvironment(parallelism, c)
                : StreamExecutionEnvironment.createLocalEnvironment(c);
    }
}
