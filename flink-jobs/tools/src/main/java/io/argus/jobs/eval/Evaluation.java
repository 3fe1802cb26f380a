package io.argus.jobs.eval;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.incidents.Incident;
import io.argus.connectors.incidents.IncidentFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.kafka.KafkaTopics;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.IncidentOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.testkit.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Replays recordings through the analytics job, once per model set, on an embedded broker and
 * MiniCluster by default or on a given Kafka ({@link #kafka}) and Flink cluster ({@link #cluster}),
 * and collects each run's events with the time a downstream consumer could first read
 * them. Every run replays the recordings again, into topics of its own, so each run's latency is
 * its own.
 *
 * <p>As fast as possible (the default), the recordings are replayed first and the job then runs
 * bounded over them, one window per inference batch: the same recordings, models and options give
 * the same windows and labels, and scores equal to a few parts in 10^7, mostly to the bit (a window's scores
 * move in their last bits with the batch it shares, as PyTorch's kernels then sum in another
 * order; docs/evaluation.md). Latency then includes the time the input waited for the job.
 *
 * <p>In real time ({@link #realtime}), the job runs unbounded, as in production, while every
 * recording is replayed at its own pace in parallel, like live cameras; once the job has consumed
 * all of the input it is stopped with a draining savepoint, which flushes the last windows. The
 * latency is then what a live deployment would see.
 *
 * <p>A recording that cannot be replayed is reported and left out; the others go on.
 */
public final class Evaluation {

    /** Job options an evaluation runs with unless given (--max-batch only when it replays, not --realtime). */
    public static final int PARALLELISM = 2;
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    public static final int REPLAY_MAX_BATCH = 1;

    /** How long a real-time run may commit none of the input's offsets before it is given up. */
    private static final Duration STALL = Duration.ofMinutes(5);

    /** Where recordings start in event time; scores subtract it again. */
    public static final long BASE_MS = 1_767_225_600_000L;

    /**
     * One run: the models it served, its events, how long the job took and, per event in the same
     * order, the milliseconds from the capture of the window's last media (the moment the replay
     * handed it to Kafka) to the moment a {@code read_committed} consumer first read the event; and
     * the incidents the run wrote, open and closed records alike.
     */
    public record Run(String actionModel, String audioModel, List<AnalyticsEvent> events, double seconds,
            long[] captureToKafkaMs, List<Incident> incidents) {

        /** A run that wrote no incidents. */
        public Run(String actionModel, String audioModel, List<AnalyticsEvent> events, double seconds,
                long[] captureToKafkaMs) {
            this(actionModel, audioModel, events, seconds, captureToKafkaMs, List.of());
        }
    }

    /**
     * What was evaluated: the runs, the streams replayed, the recordings refused (file to reason) and
     * whether they were replayed in real time.
     */
    public record Result(List<Run> runs, List<String> streams, Map<String, String> refused, boolean realtime) {}

    private final PrintStream out;
    private boolean realtime;
    private Duration progressEvery = Duration.ofSeconds(5);
    private KafkaClientConfig kafka;
    private String jobManagerHost;
    private int jobManagerPort;
    private Path jobJar;
    private String savepointDir;

    public Evaluation(PrintStream out) {
        this.out = out;
    }

    /** Replays at the recordings' own pace, all in parallel, into an unbounded job. */
    public Evaluation realtime(boolean realtime) {
        this.realtime = realtime;
        return this;
    }

    /** Uses this Kafka cluster instead of an embedded broker; the evaluation's topics are deleted afterwards. */
    public Evaluation kafka(KafkaClientConfig cluster) {
        this.kafka = cluster;
        return this;
    }

    /**
     * Runs the jobs on this Flink cluster instead of a MiniCluster.
     *
     * @param restAddress the JobManager's REST endpoint, host:port
     * @param jobJar the Argus job jar, sent to the cluster with every job
     * @param savepointDir where the cluster writes the draining savepoint of a real-time run (a
     *     path every JobManager can write to); null for the cluster's own default
     */
    public Evaluation cluster(String restAddress, Path jobJar, String savepointDir) {
        int colon = restAddress.lastIndexOf(':');
        if (colon <= 0 || !restAddress.substring(colon + 1).matches("\\d{1,5}")
                || Integer.parseInt(restAddress.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException("option --jobmanager: host:port, not " + restAddress);
        }
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("option --job-jar: no such file: " + jobJar);
        }
        this.jobManagerHost = restAddress.substring(0, colon);
        this.jobManagerPort = Integer.parseInt(restAddress.substring(colon + 1));
        this.jobJar = jobJar;
        this.savepointDir = savepointDir;
        return this;
    }

    /** How often progress is printed while a run goes on. */
    public Evaluation progressEvery(Duration every) {
        this.progressEvery = every;
        return this;
    }

    /**
     * @param recordings stream id to file
     * @param modelSets pairs of action and audio model settings, one run each
     * @param options further job options (device, batching, ...)
     */
    public Result run(Map<String, Path> recordings, List<String[]> modelSets, Configuration options)
            throws Exception {
        Map<String, Long> durations = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (Map.Entry<String, Path> r : recordings.entrySet()) {
            try {
                durations.put(r.getKey(), MediaDuration.of(r.getValue()));
            } catch (IOException e) {
                refused.put(r.getValue().toString(), e.getMessage());
                out.printf("argus evaluate: cannot replay %s, left out: %s%n", r.getValue(), e.getMessage());
            }
        }
        EmbeddedKafka embedded = kafka == null ? EmbeddedKafka.start() : null;
        KafkaClientConfig client = embedded == null ? kafka : embedded.clientConfig();
        // names of their own, so that evaluations can share a cluster
        String id = "argus.evaluate." + Long.toString(System.currentTimeMillis(), 36);
        List<String> topics = new ArrayList<>();
        try {
            Configuration base = new Configuration();
            base.set(JobOptions.PARALLELISM, PARALLELISM);
            base.set(JobOptions.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL);
            if (!realtime) {
                // a window's scores depend on the batch it shares (PyTorch's kernels sum in another order):
                // one window per batch makes a replay's scores repeat, mostly to the bit
                base.set(InferenceOptions.MAX_BATCH, REPLAY_MAX_BATCH);
            }
            base.addAll(options);
            base.set(KafkaOptions.BOOTSTRAP_SERVERS, client.bootstrapServers());
            base.set(JobOptions.BOUNDED, !realtime);
            List<String> streams = new ArrayList<>();
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < modelSets.size(); i++) {
                String[] models = modelSets.get(i);
                String run = id + ".run-" + (i + 1);
                Configuration conf = new Configuration();
                conf.addAll(base);
                conf.set(VideoOptions.ACTION_MODEL, models[0]);
                conf.set(AudioOptions.MODEL, models[1]);
                conf.set(JobOptions.JOB_NAME, "argus-evaluate-run-" + (i + 1));
                conf.set(JobOptions.GROUP_ID, run);
                conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, run);
                conf.set(KafkaOptions.VIDEO_TOPIC, run + ".video");
                conf.set(KafkaOptions.AUDIO_TOPIC, run + ".audio");
                conf.set(KafkaOptions.EVENTS_TOPIC, run + ".events");
                conf.set(KafkaOptions.INCIDENTS_TOPIC, run + ".incidents");
                conf.set(KafkaOptions.DEAD_LETTER_TOPIC, run + ".dead-letters");
                conf.set(KafkaOptions.SHADOW_TOPIC, run + ".shadow"); // a registry:NAME model's shadow, if one runs
                List<String> own = new ArrayList<>(List.of(conf.get(KafkaOptions.VIDEO_TOPIC),
                        conf.get(KafkaOptions.AUDIO_TOPIC), conf.get(KafkaOptions.EVENTS_TOPIC),
                        conf.get(KafkaOptions.INCIDENTS_TOPIC), conf.get(KafkaOptions.DEAD_LETTER_TOPIC),
                        conf.get(KafkaOptions.SHADOW_TOPIC)));
                if (!base.contains(KafkaOptions.STATUS_TOPIC)) { // clock jumps and released streams go somewhere
                    conf.set(KafkaOptions.STATUS_TOPIC, run + ".status");
                    own.add(conf.get(KafkaOptions.STATUS_TOPIC));
                }
                topics.addAll(own);
                KafkaTopics.create(client, 2, own);
                out.printf("argus evaluate: run %d of %d: --action-model %s --audio-model %s, replayed %s ...%n",
                        i + 1, modelSets.size(), models[0], models[1], realtime ? "in real time" : "as fast as possible");
                Map<String, Path> replayable = new LinkedHashMap<>(recordings);
                replayable.keySet().retainAll(durations.keySet());
                Run result = new Runner(i + 1, modelSets.size(), conf, client, replayable, durations).run(
                        i == 0 ? streams : new ArrayList<>(), refused);
                out.printf(Locale.ROOT, "argus evaluate: run %d: %d events in %.1f s%n", i + 1,
                        result.events().size(), result.seconds());
                runs.add(result);
            }
            return new Result(runs, streams, refused, realtime);
        } finally {
            if (embedded != null) {
                embedded.close();
            } else if (!topics.isEmpty()) {
                String failed = KafkaTopics.delete(client, topics);
                out.println(failed == null ? "argus evaluate: deleted the evaluation's topics " + id + ".*"
                        : "argus evaluate: could not delete the evaluation's topics " + topics + ": " + failed);
            }
        }
    }

    /** Where a run is, for its progress lines. */
    private enum Phase { STARTING, REPLAYING, JOB, DRAINING }

    /** One run: replay, job, the events read as they become visible, progress. */
    private final class Runner {
        private final String tag;
        private final Configuration conf;
        private final KafkaClientConfig client;
        private final Map<String, Path> recordings;
        private final Map<String, Long> durations;
        /** stream + kind to (media end, wall time sent), in the order sent. */
        private final Map<String, List<long[]>> sent = new ConcurrentHashMap<>();
        private final AtomicInteger segments = new AtomicInteger();
        private final EventCollector events;
        private volatile Phase phase = Phase.REPLAYING;
        private volatile long phaseStart = System.nanoTime();

        Runner(int run, int runs, Configuration conf, KafkaClientConfig client, Map<String, Path> recordings,
                Map<String, Long> durations) {
            this.tag = "run " + run + " of " + runs;
            this.conf = conf;
            this.client = client;
            this.recordings = recordings;
            this.durations = durations;
            this.events = new EventCollector(client, conf.get(KafkaOptions.EVENTS_TOPIC));
        }

        Run run(List<String> streams, Map<String, String> refused) throws Exception {
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "argus-evaluate-progress");
                t.setDaemon(true);
                return t;
            });
            events.start();
            ticker.scheduleAtFixedRate(this::report, progressEvery.toMillis(), progressEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                double seconds = realtime ? runLive(streams, refused) : runBounded(streams, refused);
                List<EventCollector.Seen> seen = events.finish();
                return result(seen, seconds, incidents());
            } finally {
                ticker.shutdownNow();
                events.close();
            }
        }

        private double runBounded(List<String> streams, Map<String, String> refused) throws Exception {
            try (ReplayProducer producer = producer()) {
                for (Map.Entry<String, Path> r : recordings.entrySet()) {
                    replay(producer, r.getKey(), r.getValue(), streams, refused);
                }
            }
            long start = System.nanoTime();
            phaseStart = start;
            phase = Phase.JOB;
            JobClient job = submit();
            job.getJobExecutionResult().get();
            return (System.nanoTime() - start) / 1e9;
        }

        private double runLive(List<String> streams, Map<String, String> refused) throws Exception {
            long start = System.nanoTime();
            phase = Phase.STARTING;
            JobClient job = submit();
            phase = Phase.REPLAYING;
            // a MiniCluster writes its savepoint to a folder of ours; a cluster to one all its JobManagers reach
            Path localSavepoints = jobManagerHost == null ? Files.createTempDirectory("argus-evaluate-savepoints") : null;
            String savepoints = localSavepoints != null ? localSavepoints.toUri().toString() : savepointDir;
            boolean stopped = false;
            try {
                try (ReplayProducer producer = producer()) {
                    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, recordings.size()));
                    try {
                        List<Future<?>> replays = new ArrayList<>();
                        List<String> replayed = java.util.Collections.synchronizedList(new ArrayList<>());
                        for (Map.Entry<String, Path> r : recordings.entrySet()) {
                            replays.add(pool.submit(() -> {
                                replay(producer, r.getKey(), r.getValue(), replayed, refused);
                                return null;
                            }));
                        }
                        for (Future<?> f : replays) {
                            f.get();
                        }
                        recordings.keySet().stream().filter(replayed::contains).forEach(streams::add);
                    } finally {
                        pool.shutdownNow();
                    }
                }
                phaseStart = start;
                phase = Phase.DRAINING;
                try (Admin admin = Admin.create(client.toProperties())) {
                    double share = -1;
                    long movedAt = System.nanoTime();
                    while (true) {
                        double now = consumedShare(admin);
                        if (now >= 1) {
                            break;
                        }
                        if (job.getJobExecutionResult().isDone()) {
                            job.getJobExecutionResult().get(); // throws the job's failure
                            throw new IllegalStateException("the job ended before it had read all of the input");
                        }
                        if (now != share) {
                            share = now;
                            movedAt = System.nanoTime();
                        } else if (System.nanoTime() - movedAt > STALL.toNanos()) {
                            throw new IllegalStateException(String.format(Locale.ROOT, "the job has committed no "
                                    + "more of the input for %d minutes (%.0f%% of it so far); is it checkpointing?",
                                    STALL.toMinutes(), 100 * now));
                        }
                        Thread.sleep(250);
                    }
                }
                // drain: sources end with the largest watermark, every held window is flushed and committed
                job.stopWithSavepoint(true, savepoints, SavepointFormatType.CANONICAL).get(5, TimeUnit.MINUTES);
                stopped = true;
                return (System.nanoTime() - start) / 1e9;
            } finally {
                if (!stopped && !job.getJobExecutionResult().isDone()) {
                    job.cancel().get(1, TimeUnit.MINUTES); // leave no unbounded job behind
                }
                if (localSavepoints != null) {
                    try (Stream<Path> walk = Files.walk(localSavepoints)) {
                        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }

        private ReplayProducer producer() {
            return new ReplayProducer(client, conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC));
        }

        private JobClient submit() throws Exception {
            int parallelism = conf.get(JobOptions.PARALLELISM); // -1: the cluster's (or this machine's) default
            StreamExecutionEnvironment env = jobManagerHost == null
                    ? AnalyticsJob.localEnvironment(parallelism, conf)
                    : StreamExecutionEnvironment.createRemoteEnvironment(jobManagerHost, jobManagerPort,
                            AnalyticsJob.pipelineConfig(), jobJar.toString());
            if (parallelism > 0) {
                env.setParallelism(parallelism);
            }
            new AnalyticsPipeline(conf).build(env);
            JobClient job = env.executeAsync(conf.get(JobOptions.JOB_NAME));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (job.getJobStatus().get() != JobStatus.RUNNING && !job.getJobExecutionResult().isDone()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the job did not start running within 2 minutes");
                }
                Thread.sleep(50);
            }
            return job;
        }

        private void replay(ReplayProducer producer, String stream, Path file, List<String> replayed,
                Map<String, String> refused) {
            ReplayOptions options = realtime ? new ReplayOptions(BASE_MS, true, 1, SegmentOptions.DEFAULT)
                    : ReplayOptions.asFastAsPossible(BASE_MS);
            try {
                ReplayProducer.Stats s = producer.replay(file, stream, options, this::sent);
                replayed.add(stream);
                if (!realtime) {
                    out.printf("argus evaluate: replayed %s as %s: %d video segments, %d audio chunks%n",
                            file.getFileName(), stream, s.videoRecords(), s.audioRecords());
                }
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                if (refused.putIfAbsent(file.toString(), why) == null) {
                    out.printf("argus evaluate: cannot replay %s, left out: %s%n", file, why);
                }
            }
        }

        private void sent(MediaRecord r) {
            long now = System.currentTimeMillis();
            sent.computeIfAbsent(r.streamId + "/" + r.kind, k -> java.util.Collections.synchronizedList(
                    new ArrayList<>())).add(new long[] {r.captureTimeMs + r.durationMs, now});
            segments.incrementAndGet();
        }

        /** Share of the input records the job has consumed (its committed offsets), 0 to 1. */
        private double consumedShare(Admin admin) throws Exception {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC))) {
                for (int p = 0; p < 2; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    conf.get(JobOptions.GROUP_ID)).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long total = 0;
            long done = 0;
            for (TopicPartition tp : partitions) {
                long end = ends.get(tp).offset();
                OffsetAndMetadata c = committed.get(tp);
                total += end;
                done += Math.min(end, c == null ? 0 : c.offset());
            }
            return total == 0 ? 1 : (double) done / total; // no input at all: nothing to wait for
        }

        private void report() {
            long total = durations.values().stream().mapToLong(Long::longValue).sum();
            String left;
            if (phase == Phase.STARTING) {
                left = "starting the job";
            } else if (phase == Phase.REPLAYING) {
                Map<String, Long> sentTo = mediaSentPerStream();
                long most = durations.entrySet().stream().mapToLong(d -> d.getValue() - sentTo.getOrDefault(d.getKey(), 0L))
                        .max().orElse(0);
                left = realtime ? String.format(Locale.ROOT, "replaying, about %.0f s of media left",
                        Math.max(0, most) / 1000.0) : "replaying";
            } else {
                double decided = events.decidedShare(durations);
                double elapsed = (System.nanoTime() - phaseStart) / 1e9;
                left = decided <= 0 ? "waiting for the first events (they become visible at each checkpoint)"
                        : String.format(Locale.ROOT, "%.0f%% of the media decided, about %.0f s left", 100 * decided,
                                elapsed * (1 - decided) / decided);
            }
            out.printf(Locale.ROOT, "argus evaluate: %s: %d streams, %d segments sent (%.0f of %.0f s of media), "
                    + "%d events read, %s%n", tag, recordings.size(), segments.get(), mediaSent() / 1000.0,
                    total / 1000.0, events.count(), left);
        }

        /** Media time sent so far, summed over the streams. */
        private long mediaSent() {
            return mediaSentPerStream().values().stream().mapToLong(Long::longValue).sum();
        }

        /** Per stream, the media time sent so far (counted by its furthest kind), ms. */
        private Map<String, Long> mediaSentPerStream() {
            Map<String, Long> byStream = new LinkedHashMap<>();
            sent.forEach((key, list) -> {
                long end;
                synchronized (list) {
                    end = list.isEmpty() ? BASE_MS : list.get(list.size() - 1)[0];
                }
                byStream.merge(key.substring(0, key.lastIndexOf('/')), end - BASE_MS, Math::max);
            });
            return byStream;
        }

        /** Once the job has ended: every incident record the run wrote, in the order written per stream. */
        private List<Incident> incidents() {
            if (!conf.get(IncidentOptions.ENABLED)) {
                return List.of();
            }
            List<Incident> incidents = new ArrayList<>();
            try (TopicReader reader = new TopicReader(client, conf.get(KafkaOptions.INCIDENTS_TOPIC))) {
                reader.readToEnd(() -> true, Duration.ofMinutes(2),
                        r -> incidents.add(IncidentFormat.fromJson(r.value())));
            }
            return incidents;
        }

        private Run result(List<EventCollector.Seen> seen, double seconds, List<Incident> incidents) {
            List<AnalyticsEvent> list = new ArrayList<>();
            long[] latency = new long[seen.size()];
            for (int k = 0; k < seen.size(); k++) {
                AnalyticsEvent e = seen.get(k).event();
                list.add(e);
                latency[k] = seen.get(k).readAtMs() - capturedAt(e);
            }
            return new Run(conf.get(VideoOptions.ACTION_MODEL), conf.get(AudioOptions.MODEL), list, seconds,
                    latency, incidents);
        }

        /** When the last media a window needs was handed to Kafka: the first record reaching its end. */
        private long capturedAt(AnalyticsEvent e) {
            MediaKind kind = e.kind.equals(AnalyticsEvent.KIND_AUDIO) ? MediaKind.AUDIO : MediaKind.VIDEO;
            List<long[]> records = sent.getOrDefault(e.streamId + "/" + kind, List.of());
            if (records.isEmpty()) {
                return 0;
            }
            // records are sent in capture order, so their media ends rise: the first reaching the window's end
            int lo = 0;
            int hi = records.size() - 1; // a window padded past the recording's end waits for the last record
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (records.get(mid)[0] >= e.windowEndMs) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return records.get(lo)[1];
        }
    }

    /** Reads a run's events topic as they become visible, noting when each was first read. */
    private static final class EventCollector implements AutoCloseable {
        record Seen(AnalyticsEvent event, long readAtMs) {}

        private final KafkaClientConfig client;
        private final String topic;
        private final List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        /** Per stream, the end of the latest window decided, ms into the recording. */
        private final Map<String, Long> decidedTo = new ConcurrentHashMap<>();
        private volatile boolean stop;
        private volatile Exception failure;
        private Thread thread;

        EventCollector(KafkaClientConfig client, String topic) {
            this.client = client;
            this.topic = topic;
        }

        void start() {
            thread = new Thread(() -> {
                try (TopicReader reader = new TopicReader(client, topic)) {
                    while (!stop) {
                        reader.poll(Duration.ofMillis(100), this::add);
                    }
                    reader.readToEnd(() -> true, Duration.ofMinutes(2), this::add);
                } catch (Exception e) {
                    failure = e;
                }
            }, "argus-evaluate-events");
            thread.setDaemon(true);
            thread.start();
        }

        private void add(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r) {
            AnalyticsEvent e = EventFormat.fromJson(r.value());
            seen.add(new Seen(e, System.currentTimeMillis()));
            decidedTo.merge(e.streamId, e.windowEndMs - BASE_MS, Math::max);
        }

        /** Share of the recordings' media time that events have been read for, 0 to 1. */
        double decidedShare(Map<String, Long> durations) {
            long total = 0;
            long decided = 0;
            for (Map.Entry<String, Long> d : durations.entrySet()) {
                total += d.getValue();
                decided += Math.min(d.getValue(), decidedTo.getOrDefault(d.getKey(), 0L));
            }
            return total == 0 ? 0 : (double) decided / total;
        }

        int count() {
            return seen.size();
        }

        /** Once the job has ended: reads up to the end offsets and returns every event, in the order read. */
        List<Seen> finish() throws Exception {
            stop = true;
            thread.join(Duration.ofMinutes(3).toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException("reading the events topic " + topic + " did not end within 3 minutes");
            }
            if (failure != null) {
                throw failure;
            }
            return List.copyOf(seen);
        }

        @Override
        public void close() {
            stop = true;
        }
    }
}
