package io.argus.jobs;

import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.StateOptions;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the analytics job: on a Flink cluster ({@code flink run argus-flink-jobs-*-job.jar
 * --bootstrap-servers ...}) or, run directly ({@code argus job}), on a local MiniCluster whose
 * checkpoints go to the data folder, to resume from after a crash. {@code --help} lists the options.
 */
public final class AnalyticsJob {

    static final String USAGE = "flink run argus-flink-jobs-<version>-job.jar [options]";
    static final String SUMMARY = "Decodes camera and microphone streams from Kafka, classifies windows of "
            + "them, and writes labelled events to Kafka.";

    private AnalyticsJob() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args, JobOptions.all());
        } catch (IllegalArgumentException e) {
            System.err.println("argus: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            CommandLine.printHelp(System.out, USAGE, SUMMARY, JobOptions.all());
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(pipelineConfig());
        Configuration conf = parsed.config();
        if (env instanceof LocalStreamEnvironment) { // argus job: state on this machine's disk, to resume from
            conf = JobState.withLocalDefaults(conf, JobState.defaultCheckpointDir(conf));
            System.out.println("argus job: checkpoints in " + conf.get(StateOptions.CHECKPOINT_DIR)
                    + "; after a crash, run again with --resume-from latest");
        }
        JobState.resumePath(conf).ifPresent(p -> System.out.println("argus job: resuming from " + p));
        run(env, conf);
    }

    /** Builds the job on an environment and runs it until it ends (bounded) or is cancelled. */
    public static JobExecutionResult run(StreamExecutionEnvironment env, Configuration conf) throws Exception {
        new AnalyticsPipeline(conf).build(env);
        return env.execute(conf.get(JobOptions.JOB_NAME));
    }

    /** Flink settings every Argus job runs with: no Kryo fallback for types Flink cannot analyse. */
    public static Configuration pipelineConfig() {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        return c;
    }
}
