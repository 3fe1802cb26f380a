package io.argus.jobs.demo;

import io.argus.connectors.deadletter.DeadLetterFormat;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.incidents.Incident;
import io.argus.connectors.incidents.IncidentFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.JobState;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.IncidentOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StateOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.models.ActionModelRef;
import io.argus.models.packaging.ModelTrust;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded default: an in-process Kafka broker (KRaft), a Flink MiniCluster, a recording
 * replayed into the input topics, the analytics job, and its events printed as they arrive.
 * Nothing outside this process is needed; the broker's data and the checkpoints stay in the data
 * folder until the next demo, to resume a killed one from.
 */
public final class Demo {

    public static final ConfigOption<String> FILE = ConfigOptions.key("file")
            .stringType()
            .noDefaultValue()
            .withDescription("Recording to replay (any file FFmpeg reads); default: a generated clip with "
                    + "known content.");

    public static final ConfigOption<String> STREAM = ConfigOptions.key("stream")
            .stringType()
            .defaultValue("demo-cam-1")
            .withDescription("Stream id the recording is replayed as.");

    static final String USAGE = "argus demo [--file RECORDING] [--resume-from latest] [job options]";
    static final String SUMMARY = "Runs the analytics job on an embedded Kafka broker and Flink MiniCluster, "
            + "replays a recording through it and prints the events, then the incidents.";

    private static final String CHECKPOINTS = "checkpoints";
    /** Job options the demo runs with unless given: two parallel instances, checkpoints every second. */
    static final int PARALLELISM = 2;
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    private final PrintStream out;
    private final List<Incident> incidents = new ArrayList<>();

    public Demo(PrintStream out) {
        this.out = out;
    }

    /** The incident records the last {@link #run} read, open and closed, in the order read. */
    public List<Incident> incidents() {
        return List.copyOf(incidents);
    }

    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(FILE, STREAM));
        all.addAll(JobOptions.all().stream()
                .filter(o -> !KafkaOptions.CONNECTION.contains(o) && o != JobOptions.BOUNDED)
                .toList());
        return all;
    }

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, options());
        if (parsed.help()) {
            CommandLine.printHelp(System.out, USAGE, SUMMARY, options(),
                    Map.of(JobOptions.PARALLELISM, Integer.toString(PARALLELISM),
                            JobOptions.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL.toSeconds() + " s"));
            return;
        }
        new Demo(System.out).run(parsed.config());
    }

    /**
     * Runs the whole demo; returns the events it printed. The broker's data and the job's
     * checkpoints are kept in the data folder's {@code demo/} until the next demo, so that a demo
     * that was killed can be resumed ({@code --resume-from latest}): the broker comes back with the
     * records replayed before, and the job goes on from its last checkpoint.
     */
    public List<AnalyticsEvent> run(Configuration userConf) throws Exception {
        long started = System.nanoTime();
        Path demoDir = JobState.dataDir(userConf).resolve("demo");
        Path brokerDir = demoDir.resolve("kafka");
        boolean resuming = userConf.contains(StateOptions.RESUME_FROM);
        if (resuming && !Files.isDirectory(brokerDir)) {
            throw new IllegalArgumentException("option --" + StateOptions.RESUME_FROM.key() + ": no earlier demo in "
                    + demoDir + " to resume; run argus demo without it first");
        }
        if (!resuming) {
            forgetLastDemo(demoDir, userConf);
        }
        Path work = Files.createTempDirectory("argus-demo-");
        out.println(resuming ? "argus demo: restarting the last demo's Kafka broker (KRaft) on its data..."
                : "argus demo: starting an in-process Kafka broker (KRaft)...");
        try (EmbeddedKafka broker = EmbeddedKafka.startKeeping(brokerDir)) {
            Configuration conf = demoConfig(userConf, broker.bootstrapServers());
            broker.createTopics(2, conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC),
                    conf.get(KafkaOptions.EVENTS_TOPIC), conf.get(KafkaOptions.INCIDENTS_TOPIC),
                    conf.get(KafkaOptions.DEAD_LETTER_TOPIC),
                    conf.get(KafkaOptions.STATUS_TOPIC), conf.get(KafkaOptions.SHADOW_TOPIC));
            KafkaClientConfig kafka = KafkaOptions.clientConfig(conf);
            out.println("argus demo: broker at " + broker.bootstrapServers());

            long baseTime = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
            if (resuming) {
                out.println("argus demo: resuming the job from " + JobState.resumePath(conf).orElseThrow()
                        + "; the records it had not read are still in the broker");
            } else {
                replay(recording(conf, work), conf, kafka, baseTime);
            }

            out.println("argus demo: checkpoints in " + conf.get(StateOptions.CHECKPOINT_DIR)
                    + "; were the demo killed, argus demo --resume-from latest goes on from the last one");
            out.println("argus demo: running the job on a Flink MiniCluster; events appear at each checkpoint:");
            CompletableFuture<Void> job = CompletableFuture.runAsync(() -> runJob(conf));
            List<AnalyticsEvent> events = new ArrayList<>();
            Map<String, List<String>> jsonByKind = new TreeMap<>();
            Map<String, Integer> deadLetters = new TreeMap<>();
            incidents.clear();
            boolean withIncidents = conf.get(IncidentOptions.ENABLED);
            List<String> topics = new ArrayList<>(List.of(conf.get(KafkaOptions.EVENTS_TOPIC),
                    conf.get(KafkaOptions.DEAD_LETTER_TOPIC)));
            if (withIncidents) {
                topics.add(conf.get(KafkaOptions.INCIDENTS_TOPIC));
            }
            try (TopicReader reader = new TopicReader(kafka, topics.toArray(String[]::new))) {
                reader.readToEnd(job::isDone, Duration.ofMinutes(10), r -> {
                    if (r.topic().equals(conf.get(KafkaOptions.INCIDENTS_TOPIC))) {
                        incidents.add(IncidentFormat.fromJson(r.value())); // printed after the events
                    } else if (r.topic().equals(conf.get(KafkaOptions.EVENTS_TOPIC))) {
                        AnalyticsEvent e = EventFormat.fromJson(r.value());
                        events.add(e);
                        if (!e.kind.equals(AnalyticsEvent.KIND_AUDIO)) {
                            jsonByKind.computeIfAbsent(e.kind, k -> new ArrayList<>())
                                    .add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                        out.println("  " + format(e, baseTime));
                    } else {
                        deadLetters.merge(String.valueOf(DeadLetterFormat.code(r)), 1, Integer::sum);
                        out.println("  dead letter " + DeadLetterFormat.code(r) + ": " + DeadLetterFormat.reason(r));
                    }
                });
            }
            job.join();
            if (!jsonByKind.isEmpty()) {
                out.println("argus demo: " + (jsonByKind.size() == 1 ? "an event" : "events") + " as consumers read"
                        + " them from " + conf.get(KafkaOptions.EVENTS_TOPIC) + ":");
                jsonByKind.values().forEach(json -> out.println("  " + json.get(json.size() / 2)));
            }
            out.printf("argus demo: %d events (%s), %d dead letters, in %.1f s%n", events.size(),
                    countLabels(events), deadLetters.values().stream().mapToInt(Integer::intValue).sum(),
                    (System.nanoTime() - started) / 1e9);
            if (withIncidents) {
                printIncidents(conf.get(KafkaOptions.INCIDENTS_TOPIC), baseTime);
            }
            return events;
        } finally {
            deleteQuietly(work);
        }
    }

    /** A new demo: a new broker, and the last demo's checkpoints are of no use. */
    private static void forgetLastDemo(Path demoDir, Configuration userConf) {
        deleteQuietly(demoDir.resolve("kafka"));
        if (!userConf.contains(StateOptions.CHECKPOINT_DIR)) {
            deleteQuietly(demoDir.resolve(CHECKPOINTS));
        }
    }

    private void replay(Path recording, Configuration conf, KafkaClientConfig kafka, long baseTime) throws Exception {
        try (ReplayProducer producer = new ReplayProducer(
                kafka, conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC))) {
            ReplayProducer.Stats s = producer.replay(
                    recording, conf.get(STREAM), ReplayOptions.asFastAsPossible(baseTime), null);
            out.printf("argus demo: replayed %s as stream %s: %d video segments, %d audio chunks%n",
                    recording.getFileName(), conf.get(STREAM), s.videoRecords(), s.audioRecords());
        }
    }

    private Path recording(Configuration conf, Path work) throws Exception {
        String file = conf.get(FILE);
        if (file != null) {
            Path p = Path.of(file);
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("option --file: cannot read " + p);
            }
            return p;
        }
        Path clip = work.resolve("demo-clip.mkv");
        boolean people = conf.get(VideoOptions.ENABLED)
                && ActionModelRef.resolve(conf.get(VideoOptions.ACTION_MODEL), ModelTrust.CALLER,
                        conf.get(InferenceOptions.MODEL_REGISTRY)).followsPeople();
        (people ? SyntheticClip.withPeople(42) : SyntheticClip.standard(42)).write(clip, SyntheticClip.DEMO_SCRIPT);
        out.println("argus demo: generated a 20 s clip of " + (people ? "a person" : "a stick figure") + " who"
                + " stands idle, walks, waves, runs and jumps, 4 s each, while the sound is silence, then speech,"
                + " music, an alarm and noise");
        return clip;
    }

    private static Configuration demoConfig(Configuration user, String bootstrapServers) {
        Configuration c = new Configuration();
        c.set(JobOptions.PARALLELISM, PARALLELISM);
        c.set(JobOptions.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL);
        c.addAll(user);
        c.set(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        c.set(JobOptions.BOUNDED, true);
        return JobState.withLocalDefaults(c, "demo/" + CHECKPOINTS);
    }

    private static void runJob(Configuration conf) {
        try {
            StreamExecutionEnvironment env = AnalyticsJob.localEnvironment(conf.get(JobOptions.PARALLELISM), conf);
            AnalyticsJob.run(env, conf);
        } catch (Exception e) {
            throw new IllegalStateException("the analytics job failed: " + e.getMessage(), e);
        }
    }

    /** Each incident once, as it closed, in the order of its start; then how many records the topic held. */
    private void printIncidents(String topic, long baseTime) {
        List<Incident> closed = incidents.stream().filter(i -> !i.isOpen())
                .sorted(java.util.Comparator.comparingLong((Incident i) -> i.startMs).thenComparing(i -> i.incidentId))
                .toList();
        out.printf("argus demo: %d incidents from %s (%d records: each written when it opened and when it closed):%n",
                closed.size(), topic, incidents.size());
        closed.forEach(i -> out.println("  " + format(i, baseTime)));
    }

    static String format(Incident i, long baseTime) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-8s %-12s %6.2f-%6.2f s  %-14s peak %.2f  "
                + "mean %.2f  %d windows", i.kind, i.streamId, (i.startMs - baseTime) / 1000.0,
                (i.endMs - baseTime) / 1000.0, i.label, i.peakScore, i.meanScore, i.windows));
        if (i.tracks != null) {
            s.append(i.tracks.length == 1 ? "  person " : "  people ").append(
                    java.util.Arrays.stream(i.tracks).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(", ")));
        }
        if (i.alongsideLabels != null && i.alongsideLabels.length > 0) {
            s.append("  ").append(i.alongsideKind).append(":");
            for (int k = 0; k < Math.min(3, i.alongsideLabels.length); k++) {
                s.append(String.format(Locale.ROOT, "%s %s %.0f%%", k == 0 ? "" : ",", i.alongsideLabels[k],
                        100 * i.alongsideShares[k]));
            }
        }
        if (i.components != null) {
            s.append("  of ").append(String.join(" and ", i.components));
        }
        s.append("  (");
        for (int k = 0; k < i.modelNames.length; k++) {
            s.append(k == 0 ? "" : ", ").append(i.modelNames[k]).append(' ').append(i.modelVersions[k]);
        }
        return s.append(")  ").append(i.closedBy).toString();
    }

    static String format(AnalyticsEvent e, long baseTime) {
        String who = e.trackId != null ? String.format(Locale.ROOT, "  person %d at x %.2f-%.2f, y %.2f-%.2f",
                e.trackId, e.box[0], e.box[2], e.box[1], e.box[3])
                : e.people != null ? "  " + e.people + (e.people == 1 ? " person" : " people") : "";
        return String.format(Locale.ROOT, "%-6s %-12s %6.2f-%6.2f s  %-8s %.2f%s  (%s %s)", e.kind, e.streamId,
                (e.windowStartMs - baseTime) / 1000.0, (e.windowEndMs - baseTime) / 1000.0, e.label, e.score, who,
                e.modelName, e.modelVersion);
    }

    private static String countLabels(List<AnalyticsEvent> events) {
        Map<String, Integer> counts = new TreeMap<>();
        events.forEach(e -> counts.merge(e.kind + ":" + e.label, 1, Integer::sum));
        return counts.toString();
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("argus demo: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
