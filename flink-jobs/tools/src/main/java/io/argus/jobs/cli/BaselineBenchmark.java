package io.argus.jobs.cli;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.models.ActionModelRef;
import io.argus.jobs.models.AudioModelRef;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.input.ModelInput;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.operators.decode.AudioRecordDecoder;
import io.argus.operators.decode.DecodeLimits;
import io.argus.operators.decode.VideoDecoders;
import io.argus.operators.decode.VideoFrame;
import io.argus.operators.decode.VideoSegmentDecoder;
import io.argus.operators.features.SpectrogramWindowFunction;
import io.argus.operators.inference.Events;
import io.argus.operators.window.FrameWindower;
import io.argus.operators.window.WindowSpec;
import io.argus.testkit.EmbeddedKafka;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code argus benchmark --path baseline}: the whole job against the program a user would write
 * instead of it, and against each of its stages alone, on the same inputs in one run.
 *
 * <p>The inputs are {@code --streams} cameras with sound, each the generated 20 s clip as the
 * replay sends it (1 s H.264 segments at 25 fps, 1 s PCM chunks), written to an embedded broker
 * before anything is timed. Then, one after the other in this process:
 * <ol>
 *   <li><b>each stage alone</b> on one thread, over the same records held in memory: video decoding
 *       (the job's decoders, one per stream, frames kept at the model's rate), the action windows
 *       and their inference in batches of {@code --max-batch}, audio decoding and log-mel windows
 *       (each STFT frame once), audio inference;</li>
 *   <li><b>the plain consumer</b>: one thread, a {@code KafkaConsumer} on both topics that takes
 *       each record as it comes, decodes it (a decoder per record), builds its stream's windows,
 *       classifies each window as it completes (a log-mel window computed from its own samples)
 *       and writes the event with a plain {@code KafkaProducer}: what a user writes without Flink;</li>
 *   <li><b>the whole job</b>: bounded, parallelism 2, exactly-once events, checkpoints every second,
 *       from submission to the end (the MiniCluster's start and the models' loading included), run
 *       twice: the process's first job, which also loads and compiles Flink's classes, is reported
 *       apart and not judged, as the plain consumer's code is warm from the stages before it. The
 *       second is also timed from its first event to its last (by the events' timestamps), which
 *       leaves its start-up out.</li>
 * </ol>
 * Every rate is camera-seconds of media (a second of one camera's video and sound) per second of
 * wall-clock time. A measurement to compare with, not a test.
 */
final class BaselineBenchmark {

    private final Configuration conf;
    private final Figures figures;
    private final PrintStream out;
    private final int streams;
    private final double mediaSeconds;
    private final InputSpec video;
    private final WindowSpec windowSpec;
    private final SpectrogramSpec audio;
    private final int audioHopFrames;
    private final List<MediaRecord> records;

    private BaselineBenchmark(Path clip, Configuration conf, Figures figures, PrintStream out) throws Exception {
        this.conf = conf;
        this.figures = figures;
        this.out = out;
        this.streams = conf.get(BenchmarkCommand.STREAMS);
        ActionModelRef action = ActionModelRef.resolve(conf.get(VideoOptions.ACTION_MODEL));
        if (!action.isLearned() || action.followsPeople()) {
            throw new IllegalArgumentException("option --action-model: --path baseline measures a model that "
                    + "classifies frame windows (e.g. bundled:action-cnn-lstm), not " + action);
        }
        this.video = action.spec();
        this.windowSpec = new WindowSpec(video.frames(), conf.get(VideoOptions.WINDOW_STRIDE), video.fps(),
                conf.get(VideoOptions.MAX_GAP).toMillis());
        this.audio = AudioModelRef.resolve(conf.get(AudioOptions.MODEL)).spec();
        this.audioHopFrames = SpectrogramWindowFunction.hopFrames(audio, conf.get(AudioOptions.HOP).toMillis());
        List<MediaRecord> one = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "cam", BenchmarkCommand.BASE, one::add, one::add);
        one.sort((a, b) -> Long.compare(a.captureTimeMs, b.captureTimeMs));
        this.mediaSeconds = one.stream().filter(r -> r.kind == MediaKind.VIDEO).mapToLong(r -> r.durationMs).sum()
                / 1000.0;
        this.records = new ArrayList<>(one.size() * streams);
        for (MediaRecord r : one) { // the cameras' records interleaved in capture order, as cameras send them
            for (int s = 0; s < streams; s++) {
                MediaRecord copy = r.kind == MediaKind.VIDEO
                        ? MediaRecord.video("cam-" + s, r.codec, r.container, r.captureTimeMs, r.durationMs,
                                r.sequence, r.frameRate, r.payload)
                        : MediaRecord.audio("cam-" + s, r.codec, r.container, r.captureTimeMs, r.durationMs,
                                r.sequence, r.sampleRate, r.channels, r.payload);
                records.add(copy);
            }
        }
    }

    static void run(Path clip, Configuration conf, Figures figures, PrintStream out) throws Exception {
        new BaselineBenchmark(clip, conf, figures, out).run();
    }

    private void run() throws Exception {
        double cameraSeconds = streams * mediaSeconds;
        out.printf(Locale.ROOT, "baseline: %d cameras x %.0f s of video and sound (%d records), action %s, audio %s, "
                + "batches of %d%n", streams, mediaSeconds, records.size(), video, audio,
                conf.get(InferenceOptions.MAX_BATCH));
        Map<String, Double> stages = stagesAlone();
        double serialCost = stages.values().stream().mapToDouble(rate -> 1 / rate).sum();
        String slowest = stages.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        double slowestRate = stages.get(slowest);

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Configuration job = BenchmarkCommand.embeddedJob(kafka, conf, true, true);
            job.set(AudioOptions.ENABLED, true);
            kafka.createTopics(2, baselineEvents(job));
            KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
            produce(client, job);
            double plain = timed("plain consumer", () -> plainConsumer(client, job));
            // the process's first job pays for loading and compiling Flink's classes: it runs once unjudged
            double coldSeconds = timed("whole job, first in this process", () -> runJob(job, "cold"));
            long submittedMs = System.currentTimeMillis();
            double jobSeconds = timed("whole job", () -> runJob(job, "warm"));
            EventSpan span = EventSpan.read(client, job.get(KafkaOptions.EVENTS_TOPIC), submittedMs);
            figures.put("baseline.wholeJobFirstInProcess.seconds", coldSeconds);
            out.printf(Locale.ROOT, "whole job, first in this process: %.1f s (not judged: class loading and JIT)%n",
                    coldSeconds);
            double plainRate = cameraSeconds / plain;
            double jobRate = cameraSeconds / jobSeconds;
            out.printf(Locale.ROOT, "plain consumer:   %8.1f camera-seconds/s (one thread, record by record, "
                    + "batches of 1, plain producer)%n", plainRate);
            out.printf(Locale.ROOT, "whole job:        %8.1f camera-seconds/s (parallelism 2, exactly-once, the second "
                    + "job of the process, its submission and start included: %.1f s for %.0f camera-seconds)%n", jobRate,
                    jobSeconds, cameraSeconds);
            double allStages = 1 / serialCost;
            out.printf(Locale.ROOT, "ratios: job / plain consumer %.2f, job / slowest stage alone (%s) %.2f, "
                    + "job / all stages one after another on one thread %.2f%n", jobRate / plainRate, slowest,
                    jobRate / slowestRate, jobRate / allStages);
            double steadyRate = cameraSeconds / span.seconds();
            out.printf(Locale.ROOT, "whole job, first event to last: %8.1f camera-seconds/s (its first event %.1f s "
                    + "after submission, its last %.1f s after the first; %.2f x the plain consumer)%n", steadyRate,
                    span.firstAfterSeconds(), span.seconds(), steadyRate / plainRate);
            figures.put("baseline.wholeJob.firstEventAfterSubmissionSeconds", span.firstAfterSeconds());
            figures.put("baseline.wholeJob.firstToLastEventSeconds", span.seconds());
            figures.put("baseline.wholeJob.firstToLastEventCameraSecondsPerSecond", steadyRate);
            figures.put("baseline.jobFirstToLastEventOverPlainConsumer", steadyRate / plainRate);
            figures.put("baseline.streams", streams);
            figures.put("baseline.cameraSeconds", cameraSeconds);
            figures.put("baseline.plainConsumer.cameraSecondsPerSecond", plainRate);
            figures.put("baseline.wholeJob.cameraSecondsPerSecond", jobRate);
            figures.put("baseline.wholeJob.seconds", jobSeconds);
            figures.put("baseline.allStagesOneThread.cameraSecondsPerSecond", allStages);
            figures.put("baseline.slowestStage", slowest);
            figures.put("baseline.jobOverPlainConsumer", jobRate / plainRate);
            figures.put("baseline.jobOverSlowestStage", jobRate / slowestRate);
            figures.put("baseline.jobOverAllStagesOneThread", jobRate / allStages);
        }
    }

    /**
     * When the events a job wrote after {@code sinceMs} were decided (an event's timestamp is the
     * moment it was inferred): the first's delay after it, and the time from the first to the last.
     * The job's start-up (deployment, the models' loading and admission) lies before its first
     * event; the time after is how fast it works through media that is already waiting, the plain
     * consumer's situation from its first record.
     */
    record EventSpan(double firstAfterSeconds, double seconds) {

        static EventSpan read(KafkaClientConfig client, String topic, long sinceMs) {
            Properties p = client.toProperties();
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                        if (r.timestamp() >= sinceMs) {
                            first = Math.min(first, r.timestamp());
                            last = Math.max(last, r.timestamp());
                        }
                    }
                }
            }
            if (first > last) {
                throw new IllegalStateException("the job wrote no event to " + topic);
            }
            return new EventSpan((first - sinceMs) / 1e3, Math.max(1, last - first) / 1e3);
        }
    }

    /** The whole job over every record from the start, under a group and transactions of its own. */
    private static void runJob(Configuration job, String name) throws Exception {
        Configuration c = new Configuration(job);
        c.set(JobOptions.GROUP_ID, "argus-baseline-" + name);
        c.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "argus-baseline-" + name);
        AnalyticsJob.run(AnalyticsJob.localEnvironment(2, c), c);
    }

    /** Each stage on one thread over the records in memory, after a warm-up pass: camera-seconds per second. */
    private Map<String, Double> stagesAlone() throws Exception {
        Map<String, Double> rates = new LinkedHashMap<>();
        List<MediaRecord> videoRecords = records.stream().filter(r -> r.kind == MediaKind.VIDEO).toList();
        List<MediaRecord> audioRecords = records.stream().filter(r -> r.kind == MediaKind.AUDIO).toList();
        double cameraSeconds = streams * mediaSeconds;

        decodeVideo(videoRecords); // warm-up
        long t0 = System.nanoTime();
        Map<String, List<VideoFrame>> frames = decodeVideo(videoRecords);
        rates.put("videoDecode", cameraSeconds / seconds(t0));

        try (Classifier<FrameWindow> classifier = ActionModelRef.resolve(conf.get(VideoOptions.ACTION_MODEL))
                .factory(conf.get(InferenceOptions.DEVICE), conf.get(VideoOptions.MOTION_THRESHOLD)).create()) {
            List<FrameWindow> windows = frameWindows(frames);
            classifyInBatches(classifier, windows.subList(0, Math.min(windows.size(), 64))); // warm-up
            t0 = System.nanoTime();
            classifyInBatches(classifier, frameWindows(frames));
            rates.put("actionWindowsAndInference", cameraSeconds / seconds(t0));
        }
        frames.clear();

        AudioClipWindows features = new AudioClipWindows(audio, conf.get(AudioOptions.HOP));
        spectrograms(features, audioRecords); // warm-up
        t0 = System.nanoTime();
        List<Spectrogram> spectrograms = spectrograms(features, audioRecords);
        rates.put("audioDecodeAndFeatures", cameraSeconds / seconds(t0));

        try (Classifier<Spectrogram> classifier = audioClassifier()) {
            classifyInBatches(classifier, spectrograms.subList(0, Math.min(spectrograms.size(), 64))); // warm-up
            t0 = System.nanoTime();
            classifyInBatches(classifier, spectrograms);
            rates.put("audioInference", cameraSeconds / seconds(t0));
        }
        rates.forEach((stage, rate) -> {
            out.printf(Locale.ROOT, "%-26s %8.1f camera-seconds/s (one thread)%n", stage + " alone:", rate);
            figures.put("baseline.stageAlone." + stage + ".cameraSecondsPerSecond", rate);
        });
        return rates;
    }

    private Map<String, List<VideoFrame>> decodeVideo(List<MediaRecord> videoRecords) throws Exception {
        Map<String, List<VideoFrame>> frames = new HashMap<>();
        try (VideoDecoders decoders = VideoDecoders.builder(video.width(), video.height(), video.channels())
                .sampleFps(video.fps()).limits(DecodeLimits.DEFAULT).maxStreams(streams).build()) {
            for (MediaRecord r : videoRecords) {
                List<VideoFrame> mine = frames.computeIfAbsent(r.streamId, s -> new ArrayList<>());
                decoders.decode(r, mine::add);
            }
        }
        return frames;
    }

    private List<FrameWindow> frameWindows(Map<String, List<VideoFrame>> frames) {
        List<FrameWindow> windows = new ArrayList<>();
        for (List<VideoFrame> stream : frames.values()) {
            FrameWindower windower = new FrameWindower(windowSpec);
            stream.forEach(f -> windower.add(f, windows::add));
        }
        return windows;
    }

    private static List<Spectrogram> spectrograms(AudioClipWindows features, List<MediaRecord> audioRecords)
            throws Exception {
        Map<String, List<MediaRecord>> byStream = new LinkedHashMap<>();
        audioRecords.forEach(r -> byStream.computeIfAbsent(r.streamId, s -> new ArrayList<>()).add(r));
        List<Spectrogram> out = new ArrayList<>();
        for (var e : byStream.entrySet()) {
            out.addAll(features.windows(e.getKey(), e.getValue().get(0).captureTimeMs, features.decode(e.getValue())));
        }
        return out;
    }

    private <I extends ModelInput> void classifyInBatches(Classifier<I> classifier, List<I> inputs) {
        int batch = conf.get(InferenceOptions.MAX_BATCH);
        for (int i = 0; i < inputs.size(); i += batch) {
            classifier.classify(inputs.subList(i, Math.min(inputs.size(), i + batch)));
        }
    }

    private Classifier<Spectrogram> audioClassifier() throws Exception {
        return AudioModelRef.resolve(conf.get(AudioOptions.MODEL)).factory(conf.get(InferenceOptions.DEVICE),
                conf.get(AudioOptions.SILENCE_DBFS), conf.get(AudioOptions.LOUD_DBFS)).create();
    }

    /** Writes every record to the job's topics, as the cameras would have, before anything is timed. */
    private void produce(KafkaClientConfig kafka, Configuration job) {
        Properties p = kafka.toProperties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (MediaRecord r : records) {
                String topic = job.get(r.kind == MediaKind.VIDEO ? KafkaOptions.VIDEO_TOPIC : KafkaOptions.AUDIO_TOPIC);
                producer.send(MediaRecordFormat.toProducerRecord(topic, r));
            }
        }
    }

    /**
     * What a user writes without Flink: one thread reads both topics from the start, decodes each
     * record as it comes, keeps each stream's frames and samples, classifies each window as soon as
     * it is whole and sends its event; done when every record has been read and every event sent.
     */
    private void plainConsumer(KafkaClientConfig kafka, Configuration job) throws Exception {
        Properties c = kafka.toProperties();
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        String eventsTopic = baselineEvents(job);
        int maxPayload = job.get(StreamOptions.MAX_PAYLOAD_BYTES);
        LogMelSpectrogram logMel = new LogMelSpectrogram(audio);
        AudioRecordDecoder audioDecoder = new AudioRecordDecoder(DecodeLimits.DEFAULT, audio.sampleRate());
        Map<String, FrameWindower> windowers = new HashMap<>();
        Map<String, SoundBuffer> sound = new HashMap<>();
        long read = 0;
        try (Classifier<FrameWindow> actions = ActionModelRef.resolve(conf.get(VideoOptions.ACTION_MODEL))
                        .factory(conf.get(InferenceOptions.DEVICE), conf.get(VideoOptions.MOTION_THRESHOLD)).create();
                Classifier<Spectrogram> sounds = audioClassifier();
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.toProperties(),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(job.get(KafkaOptions.VIDEO_TOPIC), job.get(KafkaOptions.AUDIO_TOPIC))) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (read < records.size()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    read++;
                    MediaRecord m = MediaRecordFormat.parse(r.key(), r.headers(), r.value(), maxPayload);
                    if (m.kind == MediaKind.VIDEO) {
                        List<FrameWindow> complete = new ArrayList<>();
                        FrameWindower w = windowers.computeIfAbsent(m.streamId, s -> new FrameWindower(windowSpec));
                        for (VideoFrame f : new VideoSegmentDecoder(video.width(), video.height(), video.channels(),
                                DecodeLimits.DEFAULT).decode(m)) {
                            w.add(f, complete::add);
                        }
                        for (FrameWindow window : complete) {
                            send(producer, eventsTopic, window, actions.classify(List.of(window)).get(0),
                                    actions.info(), AnalyticsEvent.KIND_ACTION);
                        }
                    } else {
                        SoundBuffer b = sound.computeIfAbsent(m.streamId, s -> new SoundBuffer(m.captureTimeMs));
                        b.append(audioDecoder.decode(m).samples);
                        for (Spectrogram window; (window = b.next(m.streamId, logMel, audioHopFrames)) != null; ) {
                            send(producer, eventsTopic, window, sounds.classify(List.of(window)).get(0),
                                    sounds.info(), AnalyticsEvent.KIND_AUDIO);
                        }
                    }
                }
            }
            producer.flush();
        }
    }

    /** The plain consumer's events topic, beside the job's. */
    private static String baselineEvents(Configuration job) {
        return job.get(KafkaOptions.EVENTS_TOPIC) + ".baseline";
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, ModelInput window,
            Classification c, ModelInfo model, String kind) {
        for (AnalyticsEvent e : Events.of(window, c, model, kind)) {
            producer.send(new ProducerRecord<>(topic, e.streamId.getBytes(StandardCharsets.UTF_8),
                    EventFormat.toJson(e)));
        }
    }

    /** One stream's samples not yet past every window, and where its next window starts. */
    private final class SoundBuffer {
        private final long startMs;
        private float[] samples = new float[audio.sampleRate() * 2];
        private int size;
        private int dropped;
        private long nextFrame;

        SoundBuffer(long startMs) {
            this.startMs = startMs;
        }

        void append(float[] more) {
            if (size + more.length > samples.length) {
                samples = Arrays.copyOf(samples, Math.max(samples.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, samples, size, more.length);
            size += more.length;
        }

        /** The next whole window, its frames computed from its own samples; null when its samples have not all come. */
        Spectrogram next(String streamId, LogMelSpectrogram logMel, int hopFrames) {
            int from = Math.toIntExact(nextFrame * audio.hop() - dropped);
            int length = (audio.frames() - 1) * audio.hop() + audio.frameLength();
            if (from + length > size) {
                return null;
            }
            float[] mel = logMel.compute(samples, from, length);
            long start = startMs + Math.round((double) nextFrame * audio.hop() * 1000 / audio.sampleRate());
            nextFrame += hopFrames;
            int passed = Math.toIntExact(nextFrame * audio.hop() - dropped); // samples before the next window
            System.arraycopy(samples, passed, samples, 0, size - passed);
            size -= passed;
            dropped += passed;
            return new Spectrogram(streamId, start, start + audio.windowMs(), audio.frames(), audio.mels(), mel, 0);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Seconds {@code work} took, also reported with the process's CPU time over the same span. */
    private double timed(String name, Work work) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        out.printf(Locale.ROOT, "%s ...%n", name);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        work.run();
        double s = seconds(t0);
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        String key = "baseline." + (name.equals("whole job") ? "wholeJob"
                : name.equals("plain consumer") ? "plainConsumer" : "wholeJobFirstInProcess");
        figures.put(key + ".cpuSeconds", cpu);
        figures.put(key + ".coresBusy", cpu / s);
        return s;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
