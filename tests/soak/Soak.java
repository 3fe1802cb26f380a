import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.JobState;
import io.argus.jobs.demo.TopicReader;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The soak test (not part of the build's tests; run by bin/soak): looping real-time cameras with
 * sound into a broker, argus job reading them as an operator runs it (bin/argus job, a process of
 * its own, checkpoints on disk), with a kill -9 of the job and a resume from its latest checkpoint,
 * and a broker restart, in the middle. Every 30 s it samples the job's resident memory, its heap
 * and the size of its latest checkpoint. At the end it checks, per stream and kind, that the
 * committed events are every window of the media sent, each once.
 *
 * <pre>
 * bin/soak [--cameras 16] [--minutes 10] [--sample-seconds 30] [--out DIR]
 * </pre>
 */
public final class Soak {

    private static final String VIDEO = "argus.video";
    private static final String AUDIO = "argus.audio";
    private static final String EVENTS = "argus.events";
    private static final String DEAD = "argus.dead-letters";
    private static final String STATUS = "argus.status";
    /** Window starts apart, per kind: the job's defaults (2 s action windows every 1 s, 1 s audio every 0.5 s). */
    private static final Map<String, Long> STEP_MS = Map.of("action", 1000L, "audio", 500L);
    private static final Map<String, Long> WINDOW_MS = Map.of("action", 2000L, "audio", 1000L);

    private final int cameras;
    private final Duration length;
    private final Duration sampleEvery;
    private final Path out;
    private final Path argus;
    private final PrintStream log;
    /** Committed window starts per "stream/kind", and how many were seen twice. */
    private final Map<String, TreeSet<Long>> windows = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong statusRecords = new AtomicLong();
    private final AtomicBoolean stopReading = new AtomicBoolean();

    private Soak(int cameras, Duration length, Duration sampleEvery, Path out, Path argus) throws IOException {
        this.cameras = cameras;
        this.length = length;
        this.sampleEvery = sampleEvery;
        this.out = out;
        this.argus = argus;
        Files.createDirectories(out);
        this.log = new PrintStream(Files.newOutputStream(out.resolve("soak.log")), true, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path out = Path.of(a.getOrDefault("out", "target/soak-" + Instant.now().getEpochSecond())).toAbsolutePath();
        Soak soak = new Soak(Integer.parseInt(a.getOrDefault("cameras", "16")),
                Duration.ofMinutes(Long.parseLong(a.getOrDefault("minutes", "10"))),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("sample-seconds", "30"))), out,
                Path.of(a.getOrDefault("argus", "bin/argus")));
        System.exit(soak.run() ? 0 : 1);
    }

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, "[%s] ", Instant.now().toString().substring(11, 19))
                + String.format(Locale.ROOT, format, args);
        System.out.println(line);
        log.println(line);
    }

    private boolean run() throws Exception {
        say("soak: %d cameras with sound, real time, looping, for %s; output in %s", cameras, length, out);
        say("soak: load average at start: %s", loadAverage());
        Path clip = out.resolve("clip.mkv");
        SyntheticClip.standard(42).write(clip, SyntheticClip.DEMO_SCRIPT);
        long clipMs = SyntheticClip.DEMO_SCRIPT.stream().mapToLong(SyntheticClip.Phase::durationMs).sum();
        List<MediaRecord> records = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "soak", 0, records::add, records::add);
        records.sort(Comparator.comparingLong(r -> r.captureTimeMs));

        try (EmbeddedKafka kafka = EmbeddedKafka.startKeeping(out.resolve("kafka"))) {
            kafka.createTopics(4, VIDEO, AUDIO, EVENTS, DEAD, STATUS, "argus.incidents");
            say("soak: broker at %s", kafka.bootstrapServers());
            Path checkpoints = out.resolve("checkpoints");
            List<String> job = List.of("job", "--bootstrap-servers", kafka.bootstrapServers(), "--checkpoint-dir",
                    checkpoints.toString(), "--parallelism", "2");
            Process process = start(job, "job-1");
            Thread reader = new Thread(() -> read(kafka), "soak-reader");
            reader.start();

            long start = System.currentTimeMillis();
            long passes = Math.max(1, length.toMillis() / clipMs);
            Cameras sender = new Cameras(kafka, records, clipMs, passes, start);
            Thread cameraThread = new Thread(sender, "soak-cameras");
            cameraThread.start();

            long killAt = start + length.toMillis() * 4 / 10;
            long brokerAt = start + length.toMillis() * 7 / 10;
            long endAt = start + passes * clipMs;
            boolean killed = false;
            boolean restarted = false;
            List<String> samples = new ArrayList<>();
            samples.add("seconds,rss_mb,heap_used_mb,checkpoint_kb,events,load");
            long nextSample = start + sampleEvery.toMillis();
            while (System.currentTimeMillis() < endAt) {
                long now = System.currentTimeMillis();
                if (now >= nextSample) {
                    samples.add(sample(process, checkpoints, (now - start) / 1000));
                    nextSample += sampleEvery.toMillis();
                }
                if (!killed && now >= killAt) {
                    say("soak: kill -9 of the job (pid %d)", process.pid());
                    process.destroyForcibly().waitFor();
                    say("soak: resuming it: argus job ... --resume-from latest (%s)",
                            JobState.latestCheckpoint(checkpoints).map(Path::toString).orElse("none!"));
                    List<String> resume = new ArrayList<>(job);
                    resume.addAll(List.of("--resume-from", "latest"));
                    process = start(resume, "job-2");
                    killed = true;
                }
                if (!restarted && now >= brokerAt) {
                    say("soak: stopping the broker for 10 s");
                    kafka.stop();
                    Thread.sleep(10_000); // the outage itself, not a wait for another thread
                    kafka.restart();
                    say("soak: broker back");
                    restarted = true;
                }
                if (!process.isAlive()) {
                    say("soak: the job exited with %d; see %s", process.exitValue(), out.resolve("job-2.log"));
                    break;
                }
                Thread.sleep(500);
            }
            cameraThread.join();
            say("soak: cameras done: %d passes of %d ms, %d records sent, %d send errors", passes, clipMs,
                    sender.sent.get(), sender.errors.get());
            // the last windows come out after --idle-flush (5 s) and are committed at the next checkpoint (10 s)
            boolean complete = awaitAll(passes * clipMs, Duration.ofMinutes(3));
            samples.add(sample(process, checkpoints, (System.currentTimeMillis() - start) / 1000));
            Files.write(out.resolve("samples.csv"), samples);
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            stopReading.set(true);
            reader.join();
            return report(sender, passes * clipMs, complete);
        }
    }

    /** Starts bin/argus with {@code args}, its output in {@code <name>.log}. */
    private Process start(List<String> args, String name) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(argus.toString());
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve(name + ".log").toFile());
        b.environment().putIfAbsent("ARGUS_JAVA_OPTS", "-Xmx2g");
        return b.start();
    }

    /** One CSV line: seconds, RSS (MB), heap used (MB), latest checkpoint (KB), events so far, load. */
    private String sample(Process job, Path checkpoints, long seconds) {
        long rss = job.isAlive() ? rssKb(job.pid()) / 1024 : -1;
        long heap = job.isAlive() ? heapUsedKb(job.pid()) / 1024 : -1;
        long checkpoint = JobState.latestCheckpoint(checkpoints).map(Soak::bytes).orElse(0L) / 1024;
        String line = String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%s", seconds, rss, heap, checkpoint, events.get(),
                loadAverage());
        say("sample: %4d s  RSS %5d MB  heap %5d MB  checkpoint %6d KB  events %7d  load %s", seconds, rss, heap,
                checkpoint, events.get(), loadAverage());
        return line;
    }

    private static long rssKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Heap in use as {@code jstat -gc} reports it: survivor, eden and old spaces used. */
    private static long heapUsedKb(long pid) {
        try {
            Process p = new ProcessBuilder("jstat", "-gc", Long.toString(pid)).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            p.waitFor(10, TimeUnit.SECONDS);
            if (lines.size() < 2) {
                return -1;
            }
            String[] names = lines.get(0).trim().split("\\s+");
            String[] values = lines.get(1).trim().split("\\s+");
            double used = 0;
            for (int i = 0; i < names.length && i < values.length; i++) {
                if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                    used += Double.parseDouble(values[i]);
                }
            }
            return (long) used;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return -1;
        }
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Reads events, dead letters and status records as a read_committed consumer, until told to stop. */
    private void read(EmbeddedKafka kafka) {
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), EVENTS, DEAD,
                STATUS)) {
            while (!stopReading.get()) {
                reader.poll(Duration.ofMillis(500), r -> {
                    switch (r.topic()) {
                        case EVENTS -> {
                            AnalyticsEvent e = EventFormat.fromJson(r.value());
                            events.incrementAndGet();
                            boolean fresh = windows.computeIfAbsent(e.streamId + "/" + e.kind, k -> new TreeSet<>())
                                    .add(e.windowStartMs);
                            if (!fresh) {
                                duplicates.incrementAndGet();
                            }
                        }
                        case DEAD -> deadLetters.incrementAndGet();
                        default -> {
                            statusRecords.incrementAndGet();
                            say("status: %s", new String(r.value(), StandardCharsets.UTF_8));
                        }
                    }
                });
            }
        }
    }

    /** Waits until every stream and kind has its last window, or the timeout. */
    private boolean awaitAll(long mediaMs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (missing(mediaMs) == 0) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    /** Windows of the media sent that no committed event covers. */
    private long missing(long mediaMs) {
        long missing = 0;
        for (int c = 0; c < cameras; c++) {
            for (String kind : STEP_MS.keySet()) {
                TreeSet<Long> seen = windows.getOrDefault(camera(c) + "/" + kind, new TreeSet<>());
                missing += expectedWindows(kind, mediaMs) - seen.size();
            }
        }
        return missing;
    }

    private static long expectedWindows(String kind, long mediaMs) {
        return (mediaMs - WINDOW_MS.get(kind)) / STEP_MS.get(kind) + 1;
    }

    private boolean report(Cameras sender, long mediaMs, boolean complete) {
        long expected = 0;
        long gaps = 0;
        for (int c = 0; c < cameras; c++) {
            for (String kind : STEP_MS.keySet()) {
                expected += expectedWindows(kind, mediaMs);
                TreeSet<Long> seen = windows.getOrDefault(camera(c) + "/" + kind, new TreeSet<>());
                long step = STEP_MS.get(kind);
                for (long t = sender.base(c); t + WINDOW_MS.get(kind) <= sender.base(c) + mediaMs; t += step) {
                    if (!seen.contains(t)) {
                        gaps++;
                    }
                }
            }
        }
        long seen = windows.values().stream().mapToLong(TreeSet::size).sum();
        say("soak: %d windows expected, %d distinct committed, %d missing, %d committed twice; %d events read, "
                + "%d dead letters, %d status records%s", expected, seen, gaps, duplicates.get(), events.get(),
                deadLetters.get(), statusRecords.get(), complete ? "" : " (timed out waiting for the last windows)");
        boolean ok = gaps == 0 && duplicates.get() == 0 && seen == expected && sender.errors.get() == 0;
        say("soak: %s", ok ? "PASSED: nothing lost, nothing doubled" : "FAILED");
        return ok;
    }

    private static String camera(int c) {
        return String.format(Locale.ROOT, "cam-%02d", c);
    }

    /**
     * The cameras: one thread sends every camera's records in capture order, each when its capture
     * time comes (real time), each pass of the clip continuing the timeline. Camera {@code c}'s
     * clock starts at the soak's start plus {@code c * 37} ms.
     */
    private final class Cameras implements Runnable {

        private final KafkaProducer<byte[], byte[]> producer;
        private final List<MediaRecord> records;
        private final long clipMs;
        private final long passes;
        private final long start;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        Cameras(EmbeddedKafka kafka, List<MediaRecord> records, long clipMs, long passes, long start) {
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            this.records = records;
            this.clipMs = clipMs;
            this.passes = passes;
            this.start = start;
        }

        long base(int camera) {
            return start + camera * 37L;
        }

        @Override
        public void run() {
            long sequence = 0;
            try {
                for (long pass = 0; pass < passes; pass++) {
                    for (MediaRecord r : records) {
                        long offset = pass * clipMs + r.captureTimeMs;
                        long wait = start + offset - System.currentTimeMillis();
                        if (wait > 0) {
                            Thread.sleep(wait); // pacing: real time
                        }
                        for (int c = 0; c < cameras; c++) {
                            MediaRecord m = copy(r, camera(c), base(c) + offset, sequence);
                            producer.send(MediaRecordFormat.toProducerRecord(
                                    r.kind == MediaKind.VIDEO ? VIDEO : AUDIO, m),
                                    (meta, e) -> {
                                        if (e != null) {
                                            errors.incrementAndGet();
                                        }
                                    });
                            sent.incrementAndGet();
                        }
                        sequence++;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                producer.close();
            }
        }

        private static MediaRecord copy(MediaRecord r, String stream, long captureTimeMs, long sequence) {
            MediaRecord m = new MediaRecord();
            m.streamId = stream;
            m.kind = r.kind;
            m.codec = r.codec;
            m.container = r.container;
            m.captureTimeMs = captureTimeMs;
            m.durationMs = r.durationMs;
            m.sequence = sequence;
            m.frameRate = r.frameRate;
            m.sampleRate = r.sampleRate;
            m.channels = r.channels;
            m.payload = r.payload;
            return m;
        }
    }
}
