package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.IncidentOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StateOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.eval.Evaluation;
import io.argus.jobs.eval.GroundTruth;
import io.argus.jobs.eval.IncidentScores;
import io.argus.jobs.eval.Report;
import io.argus.jobs.eval.Scores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus evaluate --recordings FILES|DIR --labels FILE}: replays labelled recordings through
 * the job (embedded broker and MiniCluster, or a given Kafka and Flink cluster), once per model set, and writes the scores as JSON and
 * an HTML report (see {@code docs/evaluation.md}).
 */
public final class EvaluateCommand {

    public static final ConfigOption<List<String>> RECORDINGS = key("recordings").stringType().asList().noDefaultValue()
            .withDescription("Recordings (files, or directories of them) separated by ';'; each is replayed as the "
                    + "stream named by its file name without extension (required).");
    public static final ConfigOption<String> LABELS = key("labels").stringType().noDefaultValue()
            .withDescription("Ground truth: CSV of stream,kind,start,end,label (required; docs/evaluation.md).");
    public static final ConfigOption<List<String>> ACTION_MODELS = key("action-models").stringType().asList()
            .defaultValues(VideoOptions.ACTION_MODEL.defaultValue())
            .withDescription("Action models to compare, separated by ';' (as --action-model: bundled:NAME, "
                    + "registry:NAME, registry:NAME@VERSION, a directory, motion-energy).");
    public static final ConfigOption<List<String>> AUDIO_MODELS = key("audio-models").stringType().asList()
            .defaultValues(AudioOptions.MODEL.defaultValue())
            .withDescription("Audio models to compare, separated by ';' (as --audio-model). Run i uses the i-th "
                    + "action and the i-th audio model (the last one when a list is shorter).");
    public static final ConfigOption<String> OUT = key("out").stringType().defaultValue("evaluation")
            .withDescription("Directory evaluation.json and report.html are written to.");

    public static final ConfigOption<Boolean> REALTIME = key("realtime").booleanType().defaultValue(false)
            .withDescription("Replay every recording at its own pace, all at once, into a job that runs unbounded as "
                    + "in production (live latency; not repeatable to the window). By default the recordings are "
                    + "replayed as fast as possible and the job runs bounded over them, one window per batch "
                    + "(repeatable: the same labels, scores equal to a few parts in 10^7).");
    public static final ConfigOption<Duration> PROGRESS_INTERVAL = key("progress-interval").durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How often progress (segments sent, events read, media decided, time left) is printed.");

    public static final ConfigOption<Duration> INCIDENT_TOLERANCE = key("incident-tolerance").durationType()
            .defaultValue(Duration.ofMillis(Report.DEFAULT_INCIDENT_TOLERANCE_MS))
            .withDescription("How far a closed incident's start and end may each lie from a labelled segment's "
                    + "(same stream and label) for the incident to match it.");

    public static final ConfigOption<String> JOBMANAGER = key("jobmanager").stringType().noDefaultValue()
            .withDescription("Flink cluster to run the jobs on: its JobManager's REST address, host:port "
                    + "(as flink run -m). Default: a MiniCluster in this process.");
    public static final ConfigOption<String> JOB_JAR = key("job-jar").stringType().noDefaultValue()
            .withDescription("With --jobmanager: the Argus job jar sent to the cluster (default: the "
                    + "argus-flink-jobs-*-job.jar beside the job's classes this command runs with).");
    public static final ConfigOption<String> SAVEPOINT_DIR = key("savepoint-dir").stringType().noDefaultValue()
            .withDescription("With --jobmanager and --realtime: where the cluster writes the savepoint that drains "
                    + "each run (a path every JobManager can write to); default: the cluster's own.");

    /** Options of the job that an evaluation passes on (topics, group, models and boundedness are its own). */
    private static final List<ConfigOption<?>> JOB_TUNING = JobOptions.all().stream()
            .filter(o -> !KafkaOptions.CONNECTION.contains(o) && !KafkaOptions.INPUT_TOPICS.contains(o)
                    && !List.of(KafkaOptions.EVENTS_TOPIC, KafkaOptions.INCIDENTS_TOPIC, KafkaOptions.DEAD_LETTER_TOPIC,
                            JobOptions.GROUP_ID,
                            JobOptions.BOUNDED, JobOptions.JOB_NAME, JobOptions.TRANSACTIONAL_ID_PREFIX,
                            VideoOptions.ACTION_MODEL, AudioOptions.MODEL, StateOptions.RESUME_FROM,
                            StateOptions.DATA_DIR).contains(o))
            .toList();

    private static final List<ConfigOption<?>> OPTIONS = options();

    private static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(RECORDINGS, LABELS, ACTION_MODELS, AUDIO_MODELS, OUT,
                REALTIME, PROGRESS_INTERVAL, INCIDENT_TOLERANCE, KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.KAFKA_PROPERTIES,
                KafkaOptions.KAFKA_PROPERTIES_FILE, KafkaOptions.KAFKA_TIMEOUT, JOBMANAGER, JOB_JAR, SAVEPOINT_DIR));
        all.addAll(JOB_TUNING);
        return all;
    }

    private EvaluateCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus evaluate --recordings FILES|DIR --labels FILE [options]",
                    "Replays labelled recordings through the analytics job (an embedded broker and MiniCluster, or "
                            + "the Kafka and Flink cluster given; on a given Kafka it creates topics named "
                            + "argus.evaluate.ID.* and deletes them at the end), "
                            + "once per model set, and writes per-class precision, recall, F1, macro-F1, the "
                            + "confusion matrix, coverage, latency and throughput as evaluation.json and report.html.",
                    OPTIONS, Map.of(KafkaOptions.BOOTSTRAP_SERVERS, "an embedded broker",
                            JobOptions.PARALLELISM, Integer.toString(Evaluation.PARALLELISM),
                            JobOptions.CHECKPOINT_INTERVAL, Evaluation.CHECKPOINT_INTERVAL.toSeconds() + " s",
                            InferenceOptions.MAX_BATCH, Evaluation.REPLAY_MAX_BATCH + "; with --realtime "
                                    + InferenceOptions.MAX_BATCH.defaultValue()));
            return;
        }
        try {
            run(parsed.config(), System.out);
        } catch (GroundTruth.InvalidGroundTruthException e) {
            throw new IllegalArgumentException("option --labels: " + e.getMessage(), e);
        }
    }

    /** Runs the evaluation; returns the report written. */
    public static Report run(Configuration conf, PrintStream out) throws Exception {
        CommandLine.require(conf, RECORDINGS, LABELS);
        String labelsFile = conf.get(LABELS);
        GroundTruth.Lenient labels = GroundTruth.parseLenient(Path.of(labelsFile));
        GroundTruth truth = labels.truth();
        labels.problems().forEach(p -> out.println("argus evaluate: left out of the labels: " + p));
        Map<String, Path> recordings = recordings(conf.get(RECORDINGS));
        for (String stream : truth.streams()) {
            if (!recordings.containsKey(stream)) {
                out.println("argus evaluate: the labels name stream " + stream + " but no recording is called so; "
                        + "its labels are not scored");
            }
        }
        for (String stream : recordings.keySet()) {
            if (!truth.streams().contains(stream)) {
                out.println("argus evaluate: no labels for stream " + stream + "; replayed, not scored");
            }
        }
        List<String> action = conf.get(ACTION_MODELS);
        List<String> audio = conf.get(AUDIO_MODELS);
        List<String[]> sets = new ArrayList<>();
        for (int i = 0; i < Math.max(action.size(), audio.size()); i++) {
            sets.add(new String[] {action.get(Math.min(i, action.size() - 1)), audio.get(Math.min(i, audio.size() - 1))});
        }
        if (conf.get(REALTIME) && conf.contains(JobOptions.CHECKPOINT_INTERVAL)
                && conf.get(JobOptions.CHECKPOINT_INTERVAL).isZero()) {
            throw new IllegalArgumentException("option --realtime: a real-time run ends once its checkpoints have "
                    + "committed all of the input; --checkpoint-interval 0 disables them");
        }
        Configuration jobOptions = new Configuration();
        for (ConfigOption<?> o : JOB_TUNING) {
            copy(conf, jobOptions, o);
        }
        Evaluation evaluation = new Evaluation(out).realtime(conf.get(REALTIME))
                .progressEvery(conf.get(PROGRESS_INTERVAL));
        if (conf.contains(KafkaOptions.BOOTSTRAP_SERVERS)) {
            KafkaOptions.preflight(conf); // a broker answers; the topics are the evaluation's own, created as it goes
            jobOptions.set(KafkaOptions.KAFKA_PROPERTIES, conf.get(KafkaOptions.KAFKA_PROPERTIES));
            copy(conf, jobOptions, KafkaOptions.KAFKA_PROPERTIES_FILE);
            evaluation.kafka(KafkaOptions.clientConfig(conf));
        }
        if (conf.contains(JOBMANAGER)) {
            Path jar = conf.contains(JOB_JAR) ? Path.of(conf.get(JOB_JAR)) : defaultJobJar();
            evaluation.cluster(conf.get(JOBMANAGER), jar, conf.get(SAVEPOINT_DIR));
        }
        Evaluation.Result result = evaluation.run(recordings, sets, jobOptions);
        Report report = new Report(truth, Path.of(labelsFile).getFileName().toString(), labels.problems(), result,
                conf.get(INCIDENT_TOLERANCE).toMillis(), IncidentOptions.ignoredLabels(jobOptions));
        Path dir = Path.of(conf.get(OUT));
        report.write(dir);
        for (String kind : GroundTruth.KINDS) {
            if (truth.labels(kind).isEmpty()) {
                continue;
            }
            for (int r = 0; r < result.runs().size(); r++) {
                Scores s = report.scores(r, kind);
                Evaluation.Run run = result.runs().get(r);
                out.printf(Locale.ROOT, "%-6s run %d %-28s accuracy %.3f  macro-F1 %.3f  over %d windows, "
                        + "coverage %.0f%%%n", kind, r + 1, kind.equals("action") ? run.actionModel() : run.audioModel(),
                        s.confusion().accuracy(), report.macroF1(s), s.scored(), 100 * s.coverage());
                IncidentScores.Counts c = report.incidentScores(r, kind).total();
                out.printf(Locale.ROOT, "%-6s run %d incidents: precision %.3f  recall %.3f  F1 %.3f  (%d of %d "
                        + "segments matched, %d incidents)%n", kind, r + 1, c.precision(), c.recall(), c.f1(),
                        c.truePositives(), c.truePositives() + c.falseNegatives(), c.truePositives() + c.falsePositives());
            }
        }
        for (int r = 0; r < result.runs().size(); r++) {
            Evaluation.Run run = result.runs().get(r);
            long[] lat = Report.latency(run);
            out.printf(Locale.ROOT, "run %d: %d events in %.1f s (%.1f events/s), capture to Kafka p50 %d ms, "
                    + "p95 %d ms, p99 %d ms%n", r + 1, run.events().size(), run.seconds(), run.events().size() / run.seconds(),
                    lat[0], lat[1], lat[2]);
        }
        out.println("argus evaluate: wrote " + dir.resolve("report.html") + " and " + dir.resolve("evaluation.json"));
        return report;
    }

    private static <T> void copy(Configuration from, Configuration to, ConfigOption<T> option) {
        if (from.contains(option)) {
            to.set(option, from.get(option));
        }
    }

    /** The shaded job jar Maven builds (and installs) beside the job's plain jar, or its classes. */
    private static Path defaultJobJar() throws IOException {
        Path self;
        try {
            self = Path.of(AnalyticsJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path dir = self.getParent(); // target/ for both target/classes and the jar
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("argus-flink-jobs-.*-job\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(
                            "option --job-jar: no argus-flink-jobs-*-job.jar in " + dir + "; give the job jar's path"));
        }
    }

    /** Stream id to file, in the order given; directories contribute their regular files, sorted. */
    static Map<String, Path> recordings(List<String> paths) throws IOException {
        Map<String, Path> byStream = new LinkedHashMap<>();
        for (String p : paths) {
            Path path = Path.of(p.strip());
            List<Path> files;
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    files = list.filter(Files::isRegularFile).sorted().toList();
                }
            } else if (Files.isRegularFile(path)) {
                files = List.of(path);
            } else {
                throw new IllegalArgumentException("option --recordings: no such file or directory: " + path);
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                String stream = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
                if (byStream.put(stream, f) != null) {
                    throw new IllegalArgumentException("option --recordings: two recordings for stream " + stream);
                }
            }
        }
        return byStream;
    }
}
