package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.ingest.Ingest;
import io.argus.connectors.ingest.SourceSpec;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.status.IngestStatus;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.KafkaOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus ingest --source URL --stream ID}: reads live cameras and microphones (RTSP, HTTP,
 * UDP, capture devices, or a recording read at its own pace) and publishes them to the input
 * topics in the media wire format, reconnecting with backoff when a source drops, until stopped.
 */
public final class IngestCommand {

    public static final ConfigOption<String> SOURCE = key("source")
            .stringType()
            .noDefaultValue()
            .withDescription("The source of --stream: " + SourceSpec.ACCEPTED + ".");

    public static final ConfigOption<String> STREAM = key("stream")
            .stringType()
            .noDefaultValue()
            .withDescription("Stream id the records of --source carry.");

    public static final ConfigOption<String> SOURCES_FILE = key("sources-file")
            .stringType()
            .noDefaultValue()
            .withDescription("A file of sources, one 'STREAM-ID SOURCE' a line ('#' starts a comment), read "
                    + "together with --source.");

    public static final ConfigOption<String> REENCODE_CODEC = key("reencode-codec")
            .stringType()
            .defaultValue("h264")
            .withDescription("Codec video is re-encoded with when the wire format cannot carry the source's own "
                    + "(H.264, HEVC, MPEG-4, MJPEG, VP8 and VP9 are copied as they are): h264, mpeg4 or mjpeg.");

    public static final ConfigOption<Duration> READ_TIMEOUT = key("read-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("A source that sends nothing this long is stalled: dropped and connected again.");

    public static final ConfigOption<Duration> RECONNECT_INITIAL = key("reconnect-initial")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("Wait before the first new attempt after a source drops; it doubles with each failed "
                    + "attempt in a row (with jitter) up to --reconnect-max.");

    public static final ConfigOption<Duration> RECONNECT_MAX = key("reconnect-max")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Longest wait between attempts to connect a source.");

    public static final ConfigOption<Integer> MAX_ATTEMPTS = key("max-attempts")
            .intType()
            .defaultValue(0)
            .withDescription("Failed attempts in a row after which a source is given up; 0 retries forever.");

    public static final ConfigOption<Long> BUFFER_BYTES = key("buffer-bytes")
            .longType()
            .defaultValue(32L << 20)
            .withDescription("Bytes of records each stream holds while Kafka cannot take them; beyond it the "
                    + "oldest are dropped and counted.");

    public static final ConfigOption<Duration> STATUS_INTERVAL = key("status-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("How often a connected source reports its counts on the status topic (and here).");

    public static final ConfigOption<Duration> MAX_DRIFT = key("max-drift")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How far a source's capture times may drift from this machine's clock before they are "
                    + "set from it again.");

    public static final ConfigOption<Duration> STOP_AFTER = key("stop-after")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("Stop after this long; 0 runs until interrupted (Ctrl-C).");

    static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(SOURCE, STREAM, SOURCES_FILE, ReplayCommand.SEGMENT,
                REENCODE_CODEC, READ_TIMEOUT, RECONNECT_INITIAL, RECONNECT_MAX, MAX_ATTEMPTS, BUFFER_BYTES,
                STATUS_INTERVAL, MAX_DRIFT, STOP_AFTER));
        all.addAll(KafkaOptions.CONNECTION);
        all.addAll(KafkaOptions.INPUT_TOPICS);
        all.add(KafkaOptions.STATUS_TOPIC);
        return all;
    }

    /** How long Ctrl-C waits for the buffered records to go out and the summary to print. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    private IngestCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, options());
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus ingest --source URL --stream ID [options]",
                    "Reads live sources with FFmpeg, cuts video into segments that start on keyframes (copied, "
                            + "re-encoded only when the wire format cannot carry the codec) and audio into PCM "
                            + "chunks, stamps capture times and publishes them; a source that drops or stalls is "
                            + "connected again with backoff, and each source's state goes to the status topic.",
                    options());
            return;
        }
        Configuration conf = parsed.config();
        List<SourceSpec> sources = sources(conf);
        MediaCodec codec = MediaCodec.fromWire(conf.get(REENCODE_CODEC));
        if (!List.of(MediaCodec.H264, MediaCodec.MPEG4, MediaCodec.MJPEG).contains(codec)) {
            throw new IllegalArgumentException("option --reencode-codec: h264, mpeg4 or mjpeg, not "
                    + conf.get(REENCODE_CODEC));
        }
        Ingest.Builder builder = Ingest.builder(KafkaOptions.clientConfig(conf))
                .sources(sources)
                .topics(conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC),
                        conf.get(KafkaOptions.STATUS_TOPIC))
                .segment(conf.get(ReplayCommand.SEGMENT))
                .audioChunk(conf.get(ReplayCommand.SEGMENT))
                .reencodeAs(codec)
                .readTimeout(conf.get(READ_TIMEOUT))
                .reconnect(conf.get(RECONNECT_INITIAL), conf.get(RECONNECT_MAX))
                .maxAttempts(conf.get(MAX_ATTEMPTS))
                .bufferBytesPerStream(conf.get(BUFFER_BYTES))
                .statusInterval(conf.get(STATUS_INTERVAL))
                .maxDrift(conf.get(MAX_DRIFT));
        Progress progress = new Progress(System.err);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = null;
        try {
            try (Ingest ingest = builder.listener(progress::accept).build()) {
                KafkaOptions.preflight(conf, KafkaOptions.VIDEO_TOPIC, KafkaOptions.AUDIO_TOPIC,
                        KafkaOptions.STATUS_TOPIC);
                hook = new Thread(() -> stopAndWait(ingest, finished), "argus-ingest-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                ingest.start();
                Duration stopAfter = conf.get(STOP_AFTER);
                if (stopAfter.isZero()) {
                    ingest.awaitStop();
                } else if (!ingest.awaitStop(stopAfter)) {
                    ingest.stop();
                }
            }
            progress.summary(System.out);
        } finally {
            finished.countDown();
            if (hook != null) {
                removeHook(hook);
            }
        }
        if (progress.gaveUp() == sources.size()) {
            throw new IOException("every source was given up after --max-attempts " + conf.get(MAX_ATTEMPTS)
                    + " failed attempts in a row");
        }
    }

    /** The sources of --source/--stream and --sources-file; each fails with the source at fault. */
    static List<SourceSpec> sources(Configuration conf) throws IOException {
        List<SourceSpec> sources = new ArrayList<>();
        if (conf.contains(SOURCE) != conf.contains(STREAM)) {
            throw new IllegalArgumentException(conf.contains(SOURCE) ? "option --source needs --stream ID"
                    : "option --stream needs --source URL");
        }
        if (conf.contains(SOURCE)) {
            sources.add(SourceSpec.parse(conf.get(STREAM), conf.get(SOURCE)));
        }
        if (conf.contains(SOURCES_FILE)) {
            sources.addAll(readSourcesFile(Path.of(conf.get(SOURCES_FILE))));
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no source: give --source URL --stream ID or --sources-file FILE "
                    + "(see --help)");
        }
        return sources;
    }

    /** Reads 'STREAM-ID SOURCE' lines; blank lines and '#' comments are skipped. */
    static List<SourceSpec> readSourcesFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("option --sources-file: no such file: " + file);
        }
        List<SourceSpec> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 'STREAM-ID SOURCE', got '"
                        + line + "'");
            }
            out.add(SourceSpec.parse(parts[0], parts[1].strip()));
        }
        return out;
    }

    /**
     * On Ctrl-C: stops the sources and holds the JVM until the main thread has sent what is
     * buffered and printed its summary (the JVM ends when its shutdown hooks do).
     */
    private static void stopAndWait(Ingest ingest, CountDownLatch finished) {
        ingest.stop();
        try {
            finished.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook has run
        }
    }

    /** Prints each source's state changes as they come, and the last state of each at the end. */
    private static final class Progress {
        private final PrintStream out;
        private final Map<String, IngestStatus> last = new ConcurrentHashMap<>();

        Progress(PrintStream out) {
            this.out = out;
        }

        void accept(IngestStatus s) {
            last.put(s.streamId, s);
            out.println("argus ingest: " + s);
        }

        long gaveUp() {
            return last.values().stream()
                    .filter(s -> IngestStatus.STOPPED.equals(s.status) && s.reason != null
                            && s.reason.startsWith("gave up"))
                    .count();
        }

        void summary(PrintStream to) {
            last.values().stream().sorted(java.util.Comparator.comparing(s -> s.streamId)).forEach(s -> to.printf(
                    "argus ingest: %s: %d video segments, %d audio chunks, %d dropped, %d connections, %d stalls%n",
                    s.streamId, s.videoRecords, s.audioRecords, s.droppedRecords, s.connects, s.stalls));
        }
    }
}
