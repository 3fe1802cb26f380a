package io.argus.jobs.cli;

import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.CommandErrors;
import io.argus.jobs.demo.Demo;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code argus} command: one entry point for the demo, the job and the tools. A command that
 * fails prints one line saying why ({@link CommandErrors}) and exits with 1 (it failed), 2 (its
 * command line or input is wrong) or 3 (Kafka cannot be used).
 */
public final class ArgusCli {

    private ArgusCli() {}

    public static void main(String[] args) {
        int code = run(args, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command; returns its exit code. Failures are reported on {@code err}. */
    public static int run(String[] args, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage();
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "demo" -> Demo.main(rest);
                case "job" -> AnalyticsJob.launch(rest);
                case "replay" -> ReplayCommand.main(rest);
                case "ingest" -> IngestCommand.main(rest);
                case "generate-clip" -> GenerateClipCommand.main(rest);
                case "train-action" -> TrainActionCommand.main(rest);
                case "train-pose-action" -> TrainPoseActionCommand.main(rest);
                case "train-audio" -> TrainAudioCommand.main(rest);
                case "finetune" -> FinetuneCommand.main(rest);
                case "export-audio-clips" -> ExportAudioClipsCommand.main(rest);
                case "evaluate-audio" -> EvaluateAudioCommand.main(rest);
                case "evaluate" -> EvaluateCommand.main(rest);
                case "benchmark" -> BenchmarkCommand.main(rest);
                case "models" -> ModelsCommand.main(rest);
                case "status" -> StatusCommand.main(rest);
                default -> {
                    err.println("argus: unknown command '" + args[0] + "' (argus --help lists them)");
                    return CommandErrors.USAGE;
                }
            }
            return 0;
        } catch (Exception e) {
            String command = args[0].equals("models") && rest.length > 0 ? "models " + rest[0] : args[0];
            return CommandErrors.report("argus " + command, e, err);
        }
    }

    private static void usage() {
        System.out.println("""
                usage: argus <command> [options]   (argus <command> --help for its options)

                commands:
                  demo           run the job on an embedded Kafka broker and Flink MiniCluster, replay a
                                 recording through it and print the events
                  job            run the analytics job (locally on a MiniCluster; on a cluster use
                                 flink run flink-jobs/target/argus-flink-jobs-<version>-job.jar)
                  replay         cut a recording into media records and publish it to Kafka
                  ingest         read live cameras and microphones (RTSP, HTTP, UDP, devices) into Kafka,
                                 reconnecting when a source drops
                  generate-clip  write the synthetic clip with known content that the demo replays
                  train-action   train the CNN-LSTM action classifier on rendered scenes
                  train-pose-action
                                 train the keypoint LSTM of the pose action model (people followed by a
                                 pose CNN) on synthetic keypoint tracks and real footage
                  finetune       fine-tune an action model to new labels from a folder of labelled clips
                  train-audio    train the log-mel CNN audio classifier on recordings from Debian packages
                  evaluate       replay labelled recordings through the job, score one or more models, and
                                 write a JSON and an HTML report
                  evaluate-audio score an audio model on the audio dataset, per class and per source package
                  export-audio-clips
                                 write held-out audio clips per label (the audio tests' fixtures)
                  benchmark      measure frames/s of decoding, inference and the whole job
                  status         per camera and microphone live, stalled or gone, and the model versions
                                 serving, from a running job's metrics (--metrics-port)
                  models         the model registry (list, show, publish, promote, rollback), shadow
                                 versions on live traffic (shadow, compare), package signing (keygen,
                                 sign) and admission (verify, golden)

                exit codes: 0 done, 1 failed, 2 wrong command line or input, 3 Kafka cannot be used
                """);
    }
}
