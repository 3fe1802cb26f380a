package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.KafkaOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** {@code argus replay FILE --stream ID}: publishes a recording in the Argus media wire format. */
public final class ReplayCommand {

    public static final ConfigOption<String> STREAM = key("stream")
            .stringType()
            .noDefaultValue()
            .withDescription("Stream id the recording is published as (required).");

    public static final ConfigOption<Boolean> REALTIME = key("realtime")
            .booleanType()
            .defaultValue(false)
            .withDescription("Pace records by media time, as a live camera would send them.");

    public static final ConfigOption<Boolean> AS_FAST_AS_POSSIBLE = key("as-fast-as-possible")
            .booleanType()
            .defaultValue(false)
            .withDescription("Send without pacing, as fast as Kafka takes the records; what replay does unless "
                    + "--realtime is given.");

    public static final ConfigOption<Integer> LOOP = key("loop")
            .intType()
            .defaultValue(1)
            .withDescription("Times the recording is sent; each pass continues the timeline and the sequence numbers "
                    + "(argus.seq). 0 loops forever.");

    public static final ConfigOption<Long> BASE_TIME = key("base-time")
            .longType()
            .defaultValue(0L)
            .withDescription("Capture time (epoch ms) of the recording's start; 0 means now.");

    public static final ConfigOption<Duration> SEGMENT = key("segment")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Media duration of a video segment and of an audio chunk.");

    public static final ConfigOption<String> VIDEO_CODEC = key("video-codec")
            .stringType()
            .defaultValue("h264")
            .withDescription("Codec video segments are encoded with: h264, mpeg4 or mjpeg.");

    static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(STREAM, REALTIME, AS_FAST_AS_POSSIBLE, LOOP, BASE_TIME,
                SEGMENT, VIDEO_CODEC));
        all.addAll(KafkaOptions.CONNECTION);
        all.addAll(KafkaOptions.INPUT_TOPICS);
        return all;
    }

    private ReplayCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, options(), CommandLine.Arguments.upTo(1, "FILE"));
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus replay FILE --stream ID [options]",
                    "Cuts a recording into ~1 s video segments (MPEG-TS; Matroska for MJPEG) and PCM audio chunks with FFmpeg and "
                            + "publishes them, keyed by stream id, with their capture times.", options());
            return;
        }
        Configuration conf = parsed.config();
        if (parsed.positional().isEmpty()) {
            throw new IllegalArgumentException("give the recording to replay (see --help)");
        }
        Path file = Path.of(parsed.positional().get(0));
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file + (Files.isDirectory(file) ? ": a directory" : ""));
        }
        CommandLine.require(conf, STREAM);
        String stream = conf.get(STREAM);
        if (!MediaRecordFormat.isValidStreamId(stream)) {
            throw new IllegalArgumentException("option --stream: '" + stream + "' is not a stream id ("
                    + MediaRecordFormat.STREAM_ID_RULE + "); the job would refuse every record");
        }
        if (conf.get(REALTIME) && conf.get(AS_FAST_AS_POSSIBLE)) {
            throw new IllegalArgumentException("--realtime and --as-fast-as-possible exclude each other");
        }
        MediaCodec codec = MediaCodec.fromWire(conf.get(VIDEO_CODEC));
        if (!List.of(MediaCodec.H264, MediaCodec.MPEG4, MediaCodec.MJPEG).contains(codec)) {
            throw new IllegalArgumentException("option --video-codec: h264, mpeg4 or mjpeg, not " + conf.get(VIDEO_CODEC));
        }
        SegmentCutter.Streams media;
        try {
            media = SegmentCutter.probe(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<ConfigOption<String>> topics = new ArrayList<>();
        if (media.video()) {
            topics.add(KafkaOptions.VIDEO_TOPIC);
        }
        if (media.audio()) {
            topics.add(KafkaOptions.AUDIO_TOPIC);
        }
        @SuppressWarnings("unchecked")
        ConfigOption<String>[] needed = topics.toArray(ConfigOption[]::new);
        KafkaOptions.preflight(conf, needed);
        long segmentMs = conf.get(SEGMENT).toMillis();
        long base = conf.get(BASE_TIME) > 0 ? conf.get(BASE_TIME) : System.currentTimeMillis();
        int loops = conf.get(LOOP) == 0 ? Integer.MAX_VALUE : conf.get(LOOP);
        ReplayOptions options = new ReplayOptions(base, conf.get(REALTIME), loops,
                new SegmentOptions(segmentMs, codec, segmentMs));
        AtomicInteger sent = new AtomicInteger();
        try (ReplayProducer producer = new ReplayProducer(KafkaOptions.clientConfig(conf),
                conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC))) {
            ReplayProducer.Stats s = producer.replay(file, stream, options, r -> {
                int n = sent.incrementAndGet();
                if (n % 50 == 0) {
                    System.err.printf("argus replay: %d records sent, media time %.1f s%n", n,
                            (r.captureTimeMs - base) / 1000.0);
                }
            });
            System.out.printf("argus replay: %s as %s: %d video segments, %d audio chunks, %.1f s of media%n",
                    file, stream, s.videoRecords(), s.audioRecords(), (s.mediaEndMs() - base) / 1000.0);
        }
    }
}
