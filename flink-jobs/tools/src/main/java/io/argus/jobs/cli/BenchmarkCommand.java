package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.models.ActionModelRef;
import io.argus.models.classify.Classifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.input.ModelInput;
import io.argus.operators.decode.DecodeLimits;
import io.argus.operators.decode.VideoFrame;
import io.argus.operators.decode.VideoSegmentDecoder;
import io.argus.operators.window.FrameWindower;
import io.argus.operators.window.WindowSpec;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus benchmark}: frames per second of the video path's stages measured in one run on
 * this machine: decoding alone, inference alone, and the whole job (Kafka in, events out), with
 * their ratios. A measurement to compare runs by, not a test: nothing here passes or fails.
 */
public final class BenchmarkCommand {

    static final ConfigOption<Integer> STREAMS = key("streams").intType().defaultValue(4)
            .withDescription("Camera streams replayed into the whole-job run (each the 20 s generated clip); with --path "
                    + "decode, the streams whose segments are decoded; with --path baseline, the cameras with sound.");
    static final ConfigOption<Integer> REPEAT = key("repeat").intType().defaultValue(3)
            .withDescription("Passes over the clip for the decode-alone and inference-alone stages.");
    static final ConfigOption<String> PATH = key("path").stringType().defaultValue("video")
            .withDescription("Which path to measure: video (frames/s), audio (spectrogram windows/s), both, "
                    + "decode (frames per CPU-second of the video decoders and of the ffmpeg command line), "
                    + "reload (the time to load a new model version and the latency around a hot swap), shadow (the "
                    + "whole job with and without a shadow version, --repeat pairs), state "
                    + "(the whole job and its checkpoints on each state backend), capacity (the most real-time "
                    + "cameras with sound the job holds within --latency-bound, cameras and broker in another "
                    + "process), or live (--cameras real-time cameras through the job with the ordering hold, "
                    + "in-order release, shorter checkpoints and a live events topic: latency and CPU of each), or "
                    + "baseline (--streams cameras with sound through each stage alone, a plain one-thread Kafka "
                    + "consumer that decodes and classifies record by record, and the whole job: camera-seconds/s "
                    + "of each).");
    static final ConfigOption<String> JSON = key("json").stringType().noDefaultValue()
            .withDescription("Also write every figure, under a stable name, with the machine's cores and load "
                    + "average before the run, to this JSON file.");
    static final ConfigOption<Integer> CAMERAS = key("cameras").intType().defaultValue(8)
            .withDescription("--path capacity: cameras in the first trial; doubled while trials pass, then "
                    + "bisected. --path live: the cameras of every trial.");
    static final ConfigOption<Integer> CAMERAS_MAX = key("cameras-max").intType().defaultValue(128)
            .withDescription("--path capacity: the most cameras tried.");
    static final ConfigOption<Duration> TRIAL_LENGTH = key("trial-length").durationType()
            .defaultValue(Duration.ofSeconds(45))
            .withDescription("--path capacity and live: media each camera sends per trial (the clip loops).");
    static final ConfigOption<Duration> WARMUP = key("warmup").durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("--path capacity: windows ending this early in a trial are left out of its steady "
                    + "latency (the time to the first events is reported on its own).");
    static final ConfigOption<Duration> LATENCY_BOUND = key("latency-bound").durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("--path capacity: the most a window's event may take at p99, from the capture of the "
                    + "window's last media to the moment a read_committed consumer reads it (a window of W is "
                    + "then visible within W plus this of its first media).");
    static final ConfigOption<Duration> SOAK_LENGTH = key("soak").durationType().defaultValue(Duration.ZERO)
            .withDescription("--path capacity: after the search, run the capacity found this long and sample "
                    + "the job's resident size and heap (0: no such run).");
    static final ConfigOption<Duration> AUDIO_CHUNK = key("audio-chunk").durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("--path capacity: length of the PCM chunks the simulated microphones send.");

    private static final List<ConfigOption<?>> OPTIONS = List.of(PATH, JSON, STREAMS, REPEAT, CAMERAS, CAMERAS_MAX,
            TRIAL_LENGTH, WARMUP, LATENCY_BOUND, SOAK_LENGTH, AUDIO_CHUNK, VideoOptions.ACTION_MODEL,
            AudioOptions.MODEL, AudioOptions.HOP, InferenceOptions.DEVICE, InferenceOptions.MAX_BATCH,
            InferenceOptions.MAX_BATCH_WAIT, JobOptions.CHECKPOINT_INTERVAL, StreamOptions.REORDER_BOUND,
            StreamOptions.IN_ORDER_RELEASE, JobOptions.LOCAL_BIND_ADDRESS);

    /** 2026-01-01T00:00:00Z: capture time of the replayed clips' first frame. */
    static final long BASE = 1_767_225_600_000L;

    private BenchmarkCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus benchmark [options]",
                    "Measures frames/s of video decoding alone, action inference alone and the whole job on an "
                            + "embedded broker and MiniCluster (or, with --path audio, spectrogram windows/s of "
                            + "the audio features, audio inference and the whole audio job), and prints their "
                            + "ratios.", OPTIONS);
            return;
        }
        Configuration conf = parsed.config();
        String path = conf.get(PATH);
        if (!List.of("video", "audio", "both", "decode", "reload", "shadow", "state", "capacity", "live", "baseline")
                .contains(path)) {
            throw new IllegalArgumentException("option --path: video, audio, both, decode, reload, shadow, state, capacity, "
                    + "live or baseline, not " + path);
        }
        Figures figures = Figures.ofThisMachine();
        Path dir = Files.createTempDirectory("argus-bench-");
        Path clip = dir.resolve("clip.mkv");
        SyntheticClip.standard(42).write(clip, SyntheticClip.DEMO_SCRIPT);
        System.out.printf(Locale.ROOT, "argus benchmark: %d cores, load average %.2f before the run%n",
                Runtime.getRuntime().availableProcessors(), Figures.loadAverage());
        try {
            run(path, dir, clip, conf, figures);
        } finally {
            if (conf.contains(JSON)) {
                figures.write(Path.of(conf.get(JSON)));
                System.out.println("argus benchmark: figures written to " + conf.get(JSON));
            }
        }
    }

    private static void run(String path, Path dir, Path clip, Configuration conf, Figures figures) throws Exception {
        if (path.equals("capacity")) {
            CapacityBenchmark.run(dir, clip, conf, figures, System.out);
            return;
        }
        if (path.equals("live")) {
            CapacityBenchmark.runLive(dir, clip, conf, figures, System.out);
            return;
        }
        if (path.equals("baseline")) {
            BaselineBenchmark.run(clip, conf, figures, System.out);
            return;
        }
        if (path.equals("decode")) {
            DecodeBenchmark.run(dir, clip, conf.get(STREAMS), conf.get(REPEAT), figures, System.out);
            return;
        }
        if (path.equals("reload")) {
            ReloadBenchmark.run(dir, clip, conf, conf.get(STREAMS), conf.get(REPEAT));
            return;
        }
        if (path.equals("shadow")) {
            ShadowBenchmark.run(dir, clip, conf, conf.get(STREAMS), conf.get(REPEAT), figures, System.out);
            return;
        }
        if (path.equals("state")) {
            StateBenchmark.run(dir, clip, conf, conf.get(STREAMS), conf.get(REPEAT));
            return;
        }
        if (!path.equals("audio")) {
            video(clip, conf);
        }
        if (!path.equals("video")) {
            AudioBenchmark.run(clip, conf, conf.get(STREAMS), conf.get(REPEAT));
        }
    }

    private static void video(Path clip, Configuration conf) throws Exception {
        ActionModelRef model = ActionModelRef.resolve(conf.get(VideoOptions.ACTION_MODEL));
        InputSpec spec = model.isLearned() ? model.spec() : new InputSpec(16, 8, 64, 64, 1);
        List<MediaRecord> segments = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "bench", BASE, segments::add, null);
        System.out.printf("video: %s, action model %s%n", spec, model);

        VideoSegmentDecoder decoder = new VideoSegmentDecoder(spec.width(), spec.height(), spec.channels(),
                DecodeLimits.DEFAULT);
        List<VideoFrame> frames = new ArrayList<>();
        double decodeFps = decodeAlone(decoder, segments, conf.get(REPEAT), frames);
        System.out.printf(Locale.ROOT, "decode alone:     %8.0f frames/s (H.264 320x240 -> %dx%d %s)%n",
                decodeFps, spec.width(), spec.height(), spec.channels() == 1 ? "grey" : "RGB");

        List<FrameWindow> windows = windows(frames, spec);
        double framesPerWindow = 8 * 25 / spec.fps(); // source frames a window advances over at stride 8
        double windowsPerSecond;
        try (Classifier<FrameWindow> classifier = model.factory(conf.get(InferenceOptions.DEVICE), 0.01).create()) {
            windowsPerSecond = inferenceAlone(classifier, windows, conf.get(InferenceOptions.MAX_BATCH),
                    conf.get(REPEAT));
        }
        double inferenceFps = windowsPerSecond * framesPerWindow;
        System.out.printf(Locale.ROOT, "inference alone:  %8.0f frames/s (%.1f windows/s, batches of %d)%n",
                inferenceFps, windowsPerSecond, conf.get(InferenceOptions.MAX_BATCH));

        int streams = conf.get(STREAMS);
        double jobFps = streams * segments.size() * 25 / wholeJobSeconds(clip, streams, conf, true);
        System.out.printf(Locale.ROOT, "whole job:        %8.0f frames/s (%d streams x 500 frames, Kafka in and out, "
                + "MiniCluster parallelism 2, start-up included)%n", jobFps, streams);
        System.out.printf(Locale.ROOT, "ratios: job / decode alone %.2f, job / inference alone %.2f, "
                + "inference / decode %.2f%n", jobFps / decodeFps, jobFps / inferenceFps, inferenceFps / decodeFps);
        System.out.printf(Locale.ROOT, "real time: the job keeps up with %.1f cameras at 25 fps%n", jobFps / 25);
    }

    private static double decodeAlone(VideoSegmentDecoder decoder, List<MediaRecord> segments, int repeat,
            List<VideoFrame> keep) throws Exception {
        for (MediaRecord r : segments) {
            keep.addAll(decoder.decode(r)); // warm-up pass, kept for the inference stage
        }
        long frames = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < repeat; i++) {
            for (MediaRecord r : segments) {
                frames += decoder.decode(r).size();
            }
        }
        return frames / ((System.nanoTime() - t0) / 1e9);
    }

    /** Windows as the job makes them: the job's own windower, a new window every 8 frames. */
    private static List<FrameWindow> windows(List<VideoFrame> frames, InputSpec spec) {
        FrameWindower windower = new FrameWindower(new WindowSpec(spec.frames(), 8, spec.fps(), 2000));
        List<FrameWindow> windows = new ArrayList<>();
        frames.forEach(f -> windower.add(f, windows::add));
        return windows;
    }

    /** Inputs per second a classifier gets through in batches, over {@code passes} passes after a warm-up batch. */
    static <I extends ModelInput> double inferenceAlone(Classifier<I> classifier, List<I> inputs, int batch,
            int passes) {
        classifier.classify(inputs.subList(0, Math.min(batch, inputs.size()))); // warm-up
        long n = 0;
        long t0 = System.nanoTime();
        for (int r = 0; r < passes; r++) {
            for (int i = 0; i < inputs.size(); i += batch) {
                n += classifier.classify(inputs.subList(i, Math.min(inputs.size(), i + batch))).size();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * The benchmark's job settings on an embedded broker, whose topics it creates: one path only,
     * parallelism 2, checkpoints every second.
     */
    static Configuration embeddedJob(EmbeddedKafka kafka, Configuration options, boolean video, boolean bounded) {
        Configuration conf = new Configuration();
        conf.addAll(options);
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(JobOptions.BOUNDED, bounded);
        conf.set(VideoOptions.ENABLED, video);
        conf.set(AudioOptions.ENABLED, !video);
        conf.set(JobOptions.PARALLELISM, 2);
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
        kafka.createTopics(2, conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC),
                conf.get(KafkaOptions.EVENTS_TOPIC), conf.get(KafkaOptions.INCIDENTS_TOPIC),
                conf.get(KafkaOptions.DEAD_LETTER_TOPIC),
                conf.get(KafkaOptions.STATUS_TOPIC), conf.get(KafkaOptions.SHADOW_TOPIC));
        return conf;
    }

    /**
     * Seconds the whole job takes, submission and start-up included, over {@code streams} replays of
     * the clip on an embedded broker, with only the video path ({@code video}) or only the audio path.
     */
    static double wholeJobSeconds(Path clip, int streams, Configuration options, boolean video) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Configuration conf = embeddedJob(kafka, options, video, true);
            try (ReplayProducer p = new ReplayProducer(KafkaClientConfig.of(kafka.bootstrapServers()),
                    conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC))) {
                for (int s = 0; s < streams; s++) {
                    p.replay(clip, (video ? "cam-" : "mic-") + s, ReplayOptions.asFastAsPossible(BASE), null);
                }
            }
            long t0 = System.nanoTime();
            AnalyticsJob.run(AnalyticsJob.localEnvironment(2, conf), conf);
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
