package io.argus.jobs.cli;

import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.testkit.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The capacity benchmark's outside world, in a process of its own so that it does not compete with
 * the job for the job's threads: a Kafka broker and live cameras with microphones. A clip is cut
 * once into records (H.264 segments of 1 s, PCM chunks of {@code --audio-chunk}); every camera
 * sends copies of them in real time, each record when the media it holds has been captured (at
 * its end, as a live camera can), on the camera's own clock (wall-clock epoch milliseconds, camera
 * {@code c} starting {@code c * 37} ms after the first, so that cameras do not all send at once).
 *
 * <p>Driven over standard input, one command a line, answered on standard output:
 *
 * <pre>
 * (start)                                   ready BOOTSTRAP
 * topics PARTITIONS NAME...                 ok
 * run VIDEO AUDIO CAMERAS SECONDS START_MS  done RECORDS_SENT SEND_ERRORS LATE_MS
 * quit                                      (exits)
 * </pre>
 *
 * {@code LATE_MS} is how far behind its schedule the slowest send was (a simulator that cannot keep
 * up would flatter the job).
 */
public final class CameraSimulator {

    /** Milliseconds between the clocks of consecutive cameras. */
    static final long CAMERA_SPREAD_MS = 37;

    private final EmbeddedKafka kafka;
    private final List<MediaRecord> clip;
    private final long clipMs;
    private final PrintStream out;

    private CameraSimulator(EmbeddedKafka kafka, List<MediaRecord> clip, long clipMs, PrintStream out) {
        this.kafka = kafka;
        this.clip = clip;
        this.clipMs = clipMs;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CameraSimulator CLIP AUDIO_CHUNK_MS");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<MediaRecord> records = new ArrayList<>();
        SegmentOptions segments = new SegmentOptions(1000, SegmentOptions.DEFAULT.videoCodec(), Long.parseLong(args[1]));
        SegmentCutter.Summary s = new SegmentCutter(segments).cut(Path.of(args[0]), "clip", 0, records::add,
                records::add);
        records.sort(Comparator.comparingLong(CameraSimulator::endOf));
        long clipMs = records.stream().mapToLong(CameraSimulator::endOf).max().orElse(s.durationMs());
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            out.println("ready " + kafka.bootstrapServers());
            new CameraSimulator(kafka, records, clipMs, out).serve(
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
    }

    private static long endOf(MediaRecord r) {
        return r.captureTimeMs + r.durationMs;
    }

    private void serve(BufferedReader in) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "topics" -> {
                    String[] names = java.util.Arrays.copyOfRange(w, 2, w.length);
                    kafka.createTopics(Integer.parseInt(w[1]), names);
                    out.println("ok");
                }
                case "run" -> out.println(run(w[1], w[2], Integer.parseInt(w[3]), Long.parseLong(w[4]) * 1000,
                        Long.parseLong(w[5])));
                case "quit" -> {
                    return;
                }
                default -> out.println("error unknown command " + w[0]);
            }
        }
    }

    /** Sends {@code cameras} cameras for {@code lengthMs} of media from {@code startMs}; returns the answer line. */
    private String run(String videoTopic, String audioTopic, int cameras, long lengthMs, long startMs)
            throws InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"); // KAFKA-15591, see ReplayProducer
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        AtomicLong errors = new AtomicLong();
        long sent = 0;
        long late = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Send> schedule = schedule(cameras, lengthMs, startMs);
            for (Send s : schedule) {
                long wait = s.dueMs - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait); // pacing: each record when its media has been captured
                } else {
                    late = Math.max(late, -wait);
                }
                MediaRecord r = s.record;
                producer.send(MediaRecordFormat.toProducerRecord(r.kind == MediaKind.VIDEO ? videoTopic : audioTopic,
                        r), (meta, e) -> {
                            if (e != null) {
                                errors.incrementAndGet();
                            }
                        });
                sent++;
            }
            producer.flush();
        }
        return String.format(Locale.ROOT, "done %d %d %d", sent, errors.get(), late);
    }

    /** One record of one camera and when it is sent. */
    private record Send(long dueMs, MediaRecord record) {}

    /** Every record of every camera over {@code lengthMs} of media, the clip looping, in the order they are due. */
    private List<Send> schedule(int cameras, long lengthMs, long startMs) {
        List<Send> all = new ArrayList<>();
        for (int c = 0; c < cameras; c++) {
            long base = startMs + c * CAMERA_SPREAD_MS;
            String stream = String.format(Locale.ROOT, "cam-%03d", c);
            long videoSeq = 0;
            long audioSeq = 0;
            for (long pass = 0; pass * clipMs < lengthMs; pass++) {
                for (MediaRecord r : clip) {
                    long offset = pass * clipMs + r.captureTimeMs;
                    if (offset + r.durationMs > lengthMs) {
                        continue;
                    }
                    MediaRecord m = copy(r, stream, base + offset, r.kind == MediaKind.VIDEO ? videoSeq++ : audioSeq++);
                    all.add(new Send(m.captureTimeMs + m.durationMs, m));
                }
            }
        }
        all.sort(Comparator.comparingLong(Send::dueMs));
        return all;
    }

    /** The same media as another camera's record at another time: the payload is shared, not copied. */
    private static MediaRecord copy(MediaRecord r, String stream, long captureTimeMs, long sequence) {
        return r.kind == MediaKind.VIDEO
                ? MediaRecord.video(stream, r.codec, r.container, captureTimeMs, r.durationMs, sequence, r.frameRate,
                        r.payload)
                : MediaRecord.audio(stream, r.codec, r.container, captureTimeMs, r.durationMs, sequence, r.sampleRate,
                        r.channels, r.payload);
    }

    /** The command line that starts a simulator with this JVM's classpath. */
    static List<String> command(Path clip, long audioChunkMs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CameraSimulator.class.getName(), clip.toString(),
                Long.toString(audioChunkMs));
    }
}
