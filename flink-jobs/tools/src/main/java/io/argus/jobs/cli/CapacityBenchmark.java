package io.argus.jobs.cli;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.jobs.models.ActionModelRef;
import io.argus.models.input.InputSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code argus benchmark --path capacity}: the largest number of real-time cameras (25 fps video
 * with sound) the job holds within the latency bound on this machine, with every window delivered
 * exactly once.
 *
 * <p>The cameras and the Kafka broker run in another process ({@link CameraSimulator}), so that
 * only the job (a MiniCluster, parallelism 2) and the consumer reading its events run in this one.
 * Each trial starts a fresh job on topics of its own while N cameras start sending; the job's
 * events are read as a {@code read_committed} consumer reads them. A window's latency is the time
 * from the capture of its last media (its end, on the camera's clock) to the moment its event is
 * read: a window of W seconds is visible W + latency after its first media was captured. A trial
 * passes when the p99 latency of the steady part (windows ending after the warm-up, and before the
 * last 2 s, whose media has no successor) is within the bound, no window is missing and none came
 * twice. The number of cameras doubles while trials pass, then is bisected. An unjudged trial of one
 * camera goes first (the first job in a process is slow to start), and a trial whose simulator
 * fell behind its schedule is run once more rather than counted as a failure.
 */
final class CapacityBenchmark {

    /** Media at the end of a trial whose windows are not judged: nothing newer follows them. */
    private static final long TAIL_MS = 2000;
    /** Length of the trial that warms the job's process up (class loading, JIT, models) before the search. */
    private static final long WARM_UP_SECONDS = 15;

    private final Configuration options;
    private final Figures figures;
    private final PrintStream out;
    private final Path dir;
    private final InputSpec video;
    private final long audioWindowMs;
    private final long audioStepMs;
    private Process simulator;
    private BufferedReader fromSimulator;
    private PrintWriter toSimulator;
    private KafkaClientConfig kafka;
    private int trialNumber;

    private CapacityBenchmark(Configuration options, Figures figures, PrintStream out, Path dir) {
        this.options = options;
        this.figures = figures;
        this.out = out;
        this.dir = dir;
        ActionModelRef action = ActionModelRef.resolve(options.get(VideoOptions.ACTION_MODEL));
        this.video = action.spec();
        this.audioWindowMs = io.argus.jobs.models.AudioModelRef.resolve(options.get(AudioOptions.MODEL)).spec()
                .windowMs();
        this.audioStepMs = options.get(AudioOptions.HOP).toMillis();
    }

    /** Runs the search (and the memory run, if asked for); figures go to {@code figures}. */
    static void run(Path dir, Path clip, Configuration options, Figures figures, PrintStream out) throws Exception {
        CapacityBenchmark b = new CapacityBenchmark(options, figures, out, dir);
        b.startSimulator(clip);
        try {
            b.search();
        } finally {
            b.stopSimulator();
        }
    }

    /**
     * {@code --path live}: the same {@code --cameras} cameras through one job setting after another
     * ({@link Variant#LIVE_VARIANTS}), in this process, each trial judged like a capacity trial; the
     * latency is measured on the topic a live consumer would read. Figures go to {@code figures}.
     */
    static void runLive(Path dir, Path clip, Configuration options, Figures figures, PrintStream out)
            throws Exception {
        CapacityBenchmark b = new CapacityBenchmark(options, figures, out, dir);
        b.startSimulator(clip);
        try {
            b.compareLiveVariants();
        } finally {
            b.stopSimulator();
        }
    }

    /**
     * A job setting a trial runs with on top of the options given: its name in the figures, the
     * options it overrides, and whether its events are also written to a live (at-least-once) topic,
     * where their latency is then measured.
     */
    record Variant(String name, Configuration overrides, boolean liveTopic) {
        static final Variant AS_GIVEN = new Variant("", new Configuration(), false);

        /** The settings {@code --path live} compares, the first (the ordering hold, no live topic) being the base. */
        static List<Variant> liveVariants() {
            return List.of(
                    new Variant("hold", with(false, 1000, null), false),
                    new Variant("inOrder", with(true, 1000, null), false),
                    new Variant("inOrderCheckpoint250ms", with(true, 250, null), false),
                    new Variant("inOrderLiveTopic", with(true, 1000, null), true),
                    new Variant("inOrderLiveTopicReorder0", with(true, 1000, Duration.ZERO), true));
        }

        private static Configuration with(boolean inOrder, long checkpointMs, Duration reorderBound) {
            Configuration c = new Configuration();
            c.set(StreamOptions.IN_ORDER_RELEASE, inOrder);
            c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(checkpointMs));
            if (reorderBound != null) {
                c.set(StreamOptions.REORDER_BOUND, reorderBound);
            }
            return c;
        }
    }

    private void compareLiveVariants() throws Exception {
        int cameras = options.get(BenchmarkCommand.CAMERAS);
        long seconds = options.get(BenchmarkCommand.TRIAL_LENGTH).toSeconds();
        trial(1, WARM_UP_SECONDS, "warm-up", Variant.AS_GIVEN);
        List<Variant> variants = Variant.liveVariants();
        Map<String, Trial> trials = new java.util.LinkedHashMap<>();
        for (Variant v : variants) {
            Trial t = trial(cameras, seconds, v.name(), v);
            if (!t.counts()) {
                t = trial(cameras, seconds, v.name() + "Retry", v);
            }
            trials.put(v.name(), t);
        }
        Trial base = trials.get(variants.get(0).name());
        out.printf(Locale.ROOT, "live: %d cameras; latency after the window's end, and job CPU, against '%s'%n",
                cameras, variants.get(0).name());
        for (var e : trials.entrySet()) {
            Trial t = e.getValue();
            String p = "live." + e.getKey() + ".";
            double p99Ratio = base.latency()[2] == 0 ? 0 : (double) t.latency()[2] / base.latency()[2];
            double cpuRatio = base.cpuPerCameraSecond() == 0 ? 0 : t.cpuPerCameraSecond() / base.cpuPerCameraSecond();
            figures.put(p + "latencyMs.p50", t.latency()[0]);
            figures.put(p + "latencyMs.p99", t.latency()[2]);
            figures.put(p + "audioLatencyMs.p99", t.audioP99());
            figures.put(p + "actionLatencyMs.p99", t.actionP99());
            figures.put(p + "jobCpuSecondsPerCameraSecond", t.cpuPerCameraSecond());
            figures.put(p + "p99OverBase", p99Ratio);
            figures.put(p + "cpuOverBase", cpuRatio);
            out.printf(Locale.ROOT, "  %-26s p50 %5d ms, p99 %5d ms (audio %5d, action %5d), %.3f CPU-s per "
                    + "camera-second; p99 x%.2f, CPU x%.2f%s%n", e.getKey(), t.latency()[0], t.latency()[2],
                    t.audioP99(), t.actionP99(), t.cpuPerCameraSecond(), p99Ratio, cpuRatio,
                    t.pass() ? "" : " (" + t.why() + ")");
        }
    }

    /** One trial's outcome. */
    record Trial(int cameras, boolean pass, String why, long[] latency, long startupMs, boolean counts,
            long audioP99, long actionP99, double cpuPerCameraSecond) {}

    private void search() throws Exception {
        int max = options.get(BenchmarkCommand.CAMERAS_MAX);
        int n = Math.min(options.get(BenchmarkCommand.CAMERAS), max);
        long seconds = options.get(BenchmarkCommand.TRIAL_LENGTH).toSeconds();
        int pass = 0;
        int fail = Integer.MAX_VALUE;
        // the first job in a process pays for class loading, JIT and loading the models: its backlog would
        // fail the first trial, whatever its number of cameras, so a trial of one camera goes first, unjudged
        trial(1, WARM_UP_SECONDS, "warm-up", Variant.AS_GIVEN);
        while (true) {
            Trial t = trial(n, seconds, "trial", Variant.AS_GIVEN);
            if (!t.counts()) {
                t = trial(n, seconds, "retry", Variant.AS_GIVEN); // the simulator, not the job, could not keep up: once more
            }
            if (t.pass()) {
                pass = Math.max(pass, n);
            } else {
                fail = Math.min(fail, n);
            }
            int next;
            if (fail == Integer.MAX_VALUE) {
                next = Math.min(max, n * 2);
                if (next == n) {
                    break;
                }
            } else if (pass == 0) {
                next = n / 2;
                if (next < 1) {
                    break;
                }
            } else {
                int resolution = Math.max(1, pass / 8);
                if (fail - pass <= resolution) {
                    break;
                }
                next = (pass + fail) / 2;
            }
            n = next;
        }
        figures.put("capacity.cameras", pass);
        out.printf(Locale.ROOT, "capacity: %d real-time cameras with sound within the bound (%d failed)%n", pass,
                fail == Integer.MAX_VALUE ? -1 : fail);
        Duration soak = options.get(BenchmarkCommand.SOAK_LENGTH);
        if (pass > 0 && !soak.isZero()) {
            trial(pass, soak.toSeconds(), "memory", Variant.AS_GIVEN);
        }
    }

    /**
     * Runs {@code cameras} cameras for {@code seconds} through a fresh job with the options given and
     * {@code variant}'s, and judges the result.
     */
    private Trial trial(int cameras, long seconds, String kind, Variant variant) throws Exception {
        int k = ++trialNumber;
        String prefix = "capacity-" + k;
        String name = kind + "." + cameras;
        Configuration conf = jobConf(prefix, variant);
        List<String> topics = new ArrayList<>(List.of(conf.get(KafkaOptions.VIDEO_TOPIC),
                conf.get(KafkaOptions.AUDIO_TOPIC), conf.get(KafkaOptions.EVENTS_TOPIC), conf.get(KafkaOptions.INCIDENTS_TOPIC),
                conf.get(KafkaOptions.DEAD_LETTER_TOPIC), conf.get(KafkaOptions.STATUS_TOPIC)));
        if (variant.liveTopic()) {
            topics.add(conf.get(KafkaOptions.LIVE_EVENTS_TOPIC));
        }
        send("topics 2 " + String.join(" ", topics));
        expect("ok");
        double load = Figures.loadAverage();
        out.printf(Locale.ROOT, "capacity %s: %d cameras for %d s (load average %.1f) ...%n", kind, cameras, seconds,
                load);
        EventReader events = new EventReader(kafka, conf.get(KafkaOptions.EVENTS_TOPIC));
        events.start();
        EventReader live = variant.liveTopic() ? new EventReader(kafka, conf.get(KafkaOptions.LIVE_EVENTS_TOPIC))
                : events;
        if (live != events) {
            live.start();
        }
        Sampler sampler = new Sampler();
        long submitted = System.currentTimeMillis();
        StreamExecutionEnvironment env = AnalyticsJob.localEnvironment(2, conf);
        new AnalyticsPipeline(conf).build(env);
        JobClient job = env.executeAsync(conf.get(JobOptions.JOB_NAME));
        long start = System.currentTimeMillis() + 200;
        long simulatorCpu0 = Figures.processCpuNanos(simulator.pid());
        send(String.format(Locale.ROOT, "run %s %s %d %d %d", conf.get(KafkaOptions.VIDEO_TOPIC),
                conf.get(KafkaOptions.AUDIO_TOPIC), cameras, seconds, start));
        sampler.start(start);
        String done;
        try {
            done = fromSimulator.readLine();
            if (job.getJobExecutionResult().isDone()) {
                job.getJobExecutionResult().get(); // throws the job's failure
            }
            long lengthMs = seconds * 1000;
            Expected expected = expected(cameras, lengthMs, start);
            events.awaitAll(expected, Duration.ofSeconds(30));
        } finally {
            sampler.stop();
            if (!job.getJobExecutionResult().isDone()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
            events.close();
            if (live != events) {
                live.close();
            }
        }
        long simulatorCpu = Figures.processCpuNanos(simulator.pid()) - simulatorCpu0;
        String[] d = done == null ? new String[0] : done.split(" ");
        if (d.length != 4 || !d[0].equals("done")) {
            throw new IllegalStateException("the camera simulator answered '" + done + "'");
        }
        long sendErrors = Long.parseLong(d[2]);
        long lateMs = Long.parseLong(d[3]);
        return judge(name, cameras, seconds * 1000, start, submitted, events, live, sampler, load, sendErrors, lateMs,
                simulatorCpu);
    }

    /**
     * Judges a trial: completeness and duplicates by the exactly-once events ({@code events}), latency
     * by when each window was first read from {@code visible} (the same reader, or the live topic's).
     */
    private Trial judge(String name, int cameras, long lengthMs, long start, long submitted, EventReader events,
            EventReader visible, Sampler sampler, double load, long sendErrors, long lateMs, long simulatorCpuNanos) {
        Expected expected = expected(cameras, lengthMs, start);
        long warmupMs = options.get(BenchmarkCommand.WARMUP).toMillis();
        List<Long> steady = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        long firstEvent = Long.MAX_VALUE;
        int duplicates = 0;
        Set<String> seen = new HashSet<>();
        Map<String, Integer> perKind = new TreeMap<>();
        for (EventReader.Seen s : events.seen()) {
            AnalyticsEvent e = s.event();
            if (!e.kind.equals(AnalyticsEvent.KIND_ACTION) && !e.kind.equals(AnalyticsEvent.KIND_AUDIO)) {
                continue; // person events ride on their window's action event
            }
            if (!seen.add(e.streamId + "/" + e.kind + "/" + e.windowStartMs)) {
                duplicates++;
                continue;
            }
            perKind.merge(e.kind, 1, Integer::sum);
        }
        Map<String, List<Long>> steadyByKind = new TreeMap<>();
        Set<String> visibleOnce = new HashSet<>();
        for (EventReader.Seen s : visible.seen()) {
            AnalyticsEvent e = s.event();
            firstEvent = Math.min(firstEvent, s.readAtMs());
            if (e.kind.equals(AnalyticsEvent.KIND_PERSON)
                    || !visibleOnce.add(e.streamId + "/" + e.kind + "/" + e.windowStartMs)) {
                continue; // a window's latency is when it was first seen
            }
            long streamStart = expected.streamStart(e.streamId);
            long latency = s.readAtMs() - e.windowEndMs;
            all.add(latency);
            if (e.windowEndMs >= streamStart + warmupMs && e.windowEndMs <= streamStart + lengthMs - TAIL_MS) {
                steady.add(latency);
                steadyByKind.computeIfAbsent(e.kind, x -> new ArrayList<>()).add(latency);
            }
        }
        long audioP99 = percentiles(steadyByKind.getOrDefault(AnalyticsEvent.KIND_AUDIO, List.of()))[2];
        long actionP99 = percentiles(steadyByKind.getOrDefault(AnalyticsEvent.KIND_ACTION, List.of()))[2];
        int missing = 0;
        for (String kind : List.of(AnalyticsEvent.KIND_ACTION, AnalyticsEvent.KIND_AUDIO)) {
            missing += Math.max(0, expected.windows(kind) - perKind.getOrDefault(kind, 0));
        }
        long[] lat = percentiles(steady);
        long[] latAll = percentiles(all);
        long bound = options.get(BenchmarkCommand.LATENCY_BOUND).toMillis();
        String why = null;
        if (sendErrors > 0) {
            why = sendErrors + " records could not be sent";
        } else if (lateMs > 250) {
            why = "the simulator fell " + lateMs + " ms behind its schedule: the trial does not count";
        } else if (missing > 0) {
            why = missing + " windows missing";
        } else if (duplicates > 0) {
            why = duplicates + " windows twice";
        } else if (steady.isEmpty()) {
            why = "no steady windows";
        } else if (lat[2] > bound) {
            why = "p99 " + lat[2] + " ms over the bound of " + bound + " ms";
        }
        boolean pass = why == null;
        double mediaSeconds = cameras * (lengthMs / 1000.0);
        double jobCpu = sampler.cpuSeconds(start + warmupMs);
        double steadySeconds = Math.max(1, sampler.spanSeconds(start + warmupMs));
        String p = "capacity." + name + ".";
        figures.put(p + "pass", pass);
        figures.put(p + "loadAverage1m", load);
        figures.put(p + "windowsExpected", expected.windows(AnalyticsEvent.KIND_ACTION)
                + expected.windows(AnalyticsEvent.KIND_AUDIO));
        figures.put(p + "windowsDelivered", perKind.values().stream().mapToInt(Integer::intValue).sum());
        figures.put(p + "windowsMissing", missing);
        figures.put(p + "windowsTwice", duplicates);
        figures.put(p + "latencyMs.p50", lat[0]);
        figures.put(p + "latencyMs.p95", lat[1]);
        figures.put(p + "latencyMs.p99", lat[2]);
        figures.put(p + "latencyMs.max", lat[3]);
        figures.put(p + "latencyMs.audio.p99", audioP99);
        figures.put(p + "latencyMs.action.p99", actionP99);
        figures.put(p + "latencyMeasuredOn", visible == events ? "events (exactly-once)" : "live events (at least once)");
        figures.put(p + "latencyMsAllWindows.p99", latAll[2]);
        figures.put(p + "latencyMsAllWindows.max", latAll[3]);
        figures.put(p + "firstEventAfterSubmitMs", firstEvent == Long.MAX_VALUE ? -1 : firstEvent - submitted);
        figures.put(p + "jobCpuSecondsPerCameraSecond", jobCpu / (cameras * steadySeconds));
        figures.put(p + "jobCoresBusy", jobCpu / steadySeconds);
        figures.put(p + "simulatorCpuSecondsPerCameraSecond", simulatorCpuNanos / 1e9 / mediaSeconds);
        figures.put(p + "jobResidentMb.first", sampler.firstRssMb());
        figures.put(p + "jobResidentMb.last", sampler.lastRssMb());
        figures.put(p + "jobResidentMb.max", sampler.maxRssMb());
        figures.put(p + "jobResidentMb.afterWarmup", sampler.residentMbAt(start + warmupMs));
        figures.put(p + "jobResidentMbPerCamera.last", (double) sampler.lastRssMb() / cameras);
        figures.put(p + "jobHeapUsedAfterGcMb.first", sampler.firstHeapMb());
        figures.put(p + "jobHeapUsedAfterGcMb.afterWarmup", sampler.heapMbAt(start + warmupMs));
        figures.put(p + "jobHeapUsedAfterGcMb.last", sampler.lastHeapMb());
        figures.put(p + "simulatorLateMs", lateMs);
        out.printf(Locale.ROOT, "  %s: latency after the window's end p50 %d, p95 %d, p99 %d, max %d ms "
                        + "(all windows p99 %d, max %d); %d windows, %d missing, %d twice; first event %.1f s after "
                        + "submission; job %.2f cores busy, %.3f CPU-s per camera-second; RSS %d -> %d MB%n",
                pass ? "PASS" : "FAIL (" + why + ")", lat[0], lat[1], lat[2], lat[3], latAll[2], latAll[3],
                perKind.values().stream().mapToInt(Integer::intValue).sum(), missing, duplicates,
                firstEvent == Long.MAX_VALUE ? -1 : (firstEvent - submitted) / 1000.0, jobCpu / steadySeconds,
                jobCpu / (cameras * steadySeconds), sampler.firstRssMb(), sampler.lastRssMb());
        if (name.startsWith("memory")) {
            sampler.samples().forEach(s -> out.println("  memory: " + s));
            figures.put("memory.cameras", cameras);
            figures.put("memory.minutes", lengthMs / 60_000.0);
            figures.put("memory.samples", sampler.samples());
        }
        return new Trial(cameras, pass, why, lat, firstEvent - submitted, sendErrors == 0 && lateMs <= 250, audioP99,
                actionP99, jobCpu / (cameras * steadySeconds));
    }

    /** p50, p95, p99 and max of {@code values}, in ms; zeros when empty. */
    static long[] percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return new long[4];
        }
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return new long[] {at(v, 0.50), at(v, 0.95), at(v, 0.99), v[v.length - 1]};
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** The windows each camera's media makes, per kind. */
    private Expected expected(int cameras, long lengthMs, long start) {
        long actionWindowMs = Math.round(video.frames() * 1000 / video.fps());
        int stride = options.contains(VideoOptions.WINDOW_STRIDE) ? options.get(VideoOptions.WINDOW_STRIDE)
                : Math.max(1, video.frames() / 2);
        long actionStepMs = Math.round(stride * 1000 / video.fps());
        int action = (int) ((lengthMs - actionWindowMs) / actionStepMs + 1);
        int audio = (int) ((lengthMs - audioWindowMs) / audioStepMs + 1);
        return new Expected(cameras, start, action * cameras, audio * cameras);
    }

    /** The windows a trial should deliver, and where each camera's clock starts. */
    record Expected(int cameras, long start, int actionWindows, int audioWindows) {
        int windows(String kind) {
            return kind.equals(AnalyticsEvent.KIND_ACTION) ? actionWindows : audioWindows;
        }

        long streamStart(String stream) {
            int c = Integer.parseInt(stream.substring(stream.lastIndexOf('-') + 1));
            return start + c * CameraSimulator.CAMERA_SPREAD_MS;
        }

        int total() {
            return actionWindows + audioWindows;
        }
    }

    /** The job's settings for one trial: the options given, the variant's, topics and names of the trial's own. */
    private Configuration jobConf(String prefix, Variant variant) {
        Configuration conf = new Configuration();
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
        conf.addAll(options);
        conf.addAll(variant.overrides());
        if (variant.liveTopic()) {
            conf.set(KafkaOptions.LIVE_EVENTS_TOPIC, prefix + ".live-events");
        }
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(JobOptions.BOUNDED, false);
        conf.set(JobOptions.PARALLELISM, 2);
        conf.set(JobOptions.JOB_NAME, "argus-" + prefix);
        conf.set(JobOptions.GROUP_ID, prefix);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, prefix);
        conf.set(KafkaOptions.VIDEO_TOPIC, prefix + ".video");
        conf.set(KafkaOptions.AUDIO_TOPIC, prefix + ".audio");
        conf.set(KafkaOptions.EVENTS_TOPIC, prefix + ".events");
        conf.set(KafkaOptions.INCIDENTS_TOPIC, prefix + ".incidents");
        conf.set(KafkaOptions.DEAD_LETTER_TOPIC, prefix + ".dead-letters");
        conf.set(KafkaOptions.STATUS_TOPIC, prefix + ".status");
        return conf;
    }

    private void startSimulator(Path clip) throws IOException {
        long chunk = options.get(BenchmarkCommand.AUDIO_CHUNK).toMillis();
        ProcessBuilder b = new ProcessBuilder(CameraSimulator.command(clip, chunk))
                .redirectError(dir.resolve("simulator.log").toFile());
        simulator = b.start();
        fromSimulator = new BufferedReader(new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8));
        toSimulator = new PrintWriter(simulator.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = fromSimulator.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            throw new IllegalStateException("the camera simulator did not start (" + ready + "); see "
                    + dir.resolve("simulator.log"));
        }
        kafka = KafkaClientConfig.of(ready.substring("ready ".length()));
        out.printf(Locale.ROOT, "capacity: cameras and broker in process %d (%s), the job in this one (pid %d); "
                + "audio chunks of %d ms%n", simulator.pid(), kafka.bootstrapServers(), ProcessHandle.current().pid(),
                chunk);
    }

    private void stopSimulator() throws InterruptedException {
        if (simulator == null) {
            return;
        }
        toSimulator.println("quit");
        if (!simulator.waitFor(30, TimeUnit.SECONDS)) {
            simulator.destroyForcibly();
        }
    }

    private void send(String command) {
        toSimulator.println(command);
    }

    private void expect(String answer) throws IOException {
        String line = fromSimulator.readLine();
        if (!answer.equals(line)) {
            throw new IllegalStateException("the camera simulator answered '" + line + "', not '" + answer + "'");
        }
    }

    /** Reads a trial's events as they become visible, noting when each was first read. */
    private static final class EventReader extends Thread {
        record Seen(AnalyticsEvent event, long readAtMs) {}

        private final KafkaClientConfig kafka;
        private final String topic;
        private final List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile int windows;

        EventReader(KafkaClientConfig kafka, String topic) {
            super("capacity-events");
            setDaemon(true);
            this.kafka = kafka;
            this.topic = topic;
        }

        @Override
        public void run() {
            try (TopicReader reader = new TopicReader(kafka, topic)) {
                Set<String> distinct = new HashSet<>();
                while (!stop.get()) {
                    reader.poll(Duration.ofMillis(100), r -> {
                        long now = System.currentTimeMillis();
                        AnalyticsEvent e = EventFormat.fromJson(r.value());
                        seen.add(new Seen(e, now));
                        if (!e.kind.equals(AnalyticsEvent.KIND_PERSON)
                                && distinct.add(e.streamId + "/" + e.kind + "/" + e.windowStartMs)) {
                            windows = distinct.size();
                        }
                    });
                }
            }
        }

        /** Waits until every expected window has been read, or {@code limit}. */
        void awaitAll(Expected expected, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (windows < expected.total() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }

        List<Seen> seen() {
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }

        void close() throws InterruptedException {
            stop.set(true);
            join(10_000);
        }
    }

    /** Samples this process's CPU time, resident size and heap every few seconds while a trial runs. */
    private static final class Sampler {
        private final List<long[]> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "capacity-sampler");
                    t.setDaemon(true);
                    return t;
                });

        void start(long at) {
            long delay = Math.max(0, at - System.currentTimeMillis());
            timer.scheduleAtFixedRate(this::sample, delay, 5000, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            var heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                    .mapToLong(p -> p.getCollectionUsage() == null ? 0 : p.getCollectionUsage().getUsed()).sum();
            samples.add(new long[] {System.currentTimeMillis(), Figures.processCpuNanos(), Figures.residentBytes(),
                heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()});
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            sample();
        }

        /** CPU seconds this process used from the first sample at or after {@code fromMs} to the last one. */
        double cpuSeconds(long fromMs) {
            synchronized (samples) {
                long[] last = samples.get(samples.size() - 1);
                return (last[1] - from(fromMs)[1]) / 1e9;
            }
        }

        /** Wall seconds from the first sample at or after {@code fromMs} to the last one. */
        double spanSeconds(long fromMs) {
            synchronized (samples) {
                long[] last = samples.get(samples.size() - 1);
                return (last[0] - from(fromMs)[0]) / 1000.0;
            }
        }

        private long[] from(long fromMs) {
            return samples.stream().filter(s -> s[0] >= fromMs).findFirst().orElse(samples.get(0));
        }

        long firstRssMb() {
            return samples.isEmpty() ? -1 : samples.get(0)[2] >> 20;
        }

        long lastRssMb() {
            return samples.isEmpty() ? -1 : samples.get(samples.size() - 1)[2] >> 20;
        }

        long maxRssMb() {
            synchronized (samples) {
                return samples.stream().mapToLong(s -> s[2] >> 20).max().orElse(-1);
            }
        }

        /** Resident size at the first sample at or after {@code fromMs}, in MB. */
        long residentMbAt(long fromMs) {
            synchronized (samples) {
                return samples.isEmpty() ? -1 : from(fromMs)[2] >> 20;
            }
        }

        /** Heap used after the last collection at the first sample at or after {@code fromMs}, in MB. */
        long heapMbAt(long fromMs) {
            synchronized (samples) {
                return samples.isEmpty() ? -1 : from(fromMs)[3] >> 20;
            }
        }

        long firstHeapMb() {
            return samples.isEmpty() ? -1 : samples.get(0)[3] >> 20;
        }

        long lastHeapMb() {
            return samples.isEmpty() ? -1 : samples.get(samples.size() - 1)[3] >> 20;
        }

        /** "seconds,rssMb,heapUsedMb,heapUsedAfterLastGcMb" per sample. */
        List<String> samples() {
            synchronized (samples) {
                long t0 = samples.isEmpty() ? 0 : samples.get(0)[0];
                return samples.stream().map(s -> String.format(Locale.ROOT, "%d,%d,%d,%d", (s[0] - t0) / 1000,
                        s[2] >> 20, s[4] >> 20, s[3] >> 20)).toList();
            }
        }
    }
}
