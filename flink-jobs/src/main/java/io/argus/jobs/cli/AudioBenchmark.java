package io.argus.jobs.cli;

import io.argus.connectors.embedded.EmbeddedKafka;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.models.AudioModelRef;
import io.argus.models.classify.Classifier;
import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.operators.decode.AudioChunk;
import io.argus.operators.decode.AudioRecordDecoder;
import io.argus.operators.decode.DecodeLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The audio half of {@code argus benchmark}: spectrogram windows per second for the features
 * alone (decoding the clip's PCM chunks and computing log-mel windows as the job does, every STFT
 * frame once), inference alone, and the whole audio job (Kafka in, events out).
 */
final class AudioBenchmark {

    private static final long BASE = 1_767_225_600_000L;

    private AudioBenchmark() {}

    static void run(Path clip, Configuration conf, int streams, int repeat) throws Exception {
        AudioModelRef model = AudioModelRef.resolve(conf.get(JobOptions.AUDIO_MODEL));
        SpectrogramSpec spec = model.spec();
        long hopMs = conf.get(JobOptions.AUDIO_HOP).toMillis();
        int hopFrames = (int) Math.max(1, Math.round(hopMs * spec.sampleRate() / 1000.0 / spec.hop()));
        List<MediaRecord> chunks = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "bench", BASE, null, chunks::add);
        System.out.printf("audio: %s, windows every %d ms, audio model %s%n", spec, hopMs, model);

        AudioRecordDecoder decoder = new AudioRecordDecoder(DecodeLimits.DEFAULT, spec.sampleRate());
        LogMelSpectrogram logMel = new LogMelSpectrogram(spec);
        List<Spectrogram> windows = new ArrayList<>();
        features(decoder, logMel, chunks, hopFrames, windows); // warm-up, kept for inference
        long t0 = System.nanoTime();
        long n = 0;
        for (int r = 0; r < repeat; r++) {
            n += features(decoder, logMel, chunks, hopFrames, null);
        }
        double featuresPerSecond = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "features alone:   %8.0f windows/s (PCM chunks decoded, log-mel, %d per pass)%n",
                featuresPerSecond, windows.size());

        int batch = conf.get(JobOptions.MAX_BATCH);
        double inferencePerSecond;
        try (Classifier<Spectrogram> classifier = model.factory(conf.get(JobOptions.DEVICE),
                conf.get(JobOptions.SILENCE_DBFS), conf.get(JobOptions.LOUD_DBFS)).create()) {
            inferencePerSecond = inference(classifier, windows, batch, repeat);
        }
        System.out.printf(Locale.ROOT, "inference alone:  %8.0f windows/s (batches of %d)%n", inferencePerSecond,
                batch);

        double jobPerSecond = wholeJob(clip, streams, conf, windows.size());
        System.out.printf(Locale.ROOT, "whole job:        %8.0f windows/s (%d streams x %d windows, Kafka in and out, "
                + "MiniCluster parallelism 2, start-up included)%n", jobPerSecond, streams, windows.size());
        System.out.printf(Locale.ROOT, "ratios: job / features alone %.2f, job / inference alone %.2f, "
                + "inference / features %.2f%n", jobPerSecond / featuresPerSecond, jobPerSecond / inferencePerSecond,
                inferencePerSecond / featuresPerSecond);
        System.out.printf(Locale.ROOT, "real time: the job keeps up with %.0f microphones (%.1f windows/s each)%n",
                jobPerSecond / (1000.0 / hopMs), 1000.0 / hopMs);
    }

    /** Decodes the chunks and cuts log-mel windows of one stream; returns how many. */
    private static int features(AudioRecordDecoder decoder, LogMelSpectrogram logMel, List<MediaRecord> chunks,
            int hopFrames, List<Spectrogram> keep) throws Exception {
        SpectrogramSpec spec = logMel.spec();
        float[] samples = new float[0];
        for (MediaRecord r : chunks) {
            AudioChunk c = decoder.decode(r);
            int size = samples.length;
            samples = Arrays.copyOf(samples, size + c.samples.length);
            System.arraycopy(c.samples, 0, samples, size, c.samples.length);
        }
        float[] frames = logMel.compute(samples, 0, samples.length);
        int total = frames.length / spec.mels();
        int count = 0;
        for (int f = 0; f + spec.frames() <= total; f += hopFrames) {
            float[] v = Arrays.copyOfRange(frames, f * spec.mels(), (f + spec.frames()) * spec.mels());
            if (keep != null) {
                long start = BASE + (long) f * spec.hop() * 1000 / spec.sampleRate();
                keep.add(new Spectrogram("bench", start, start + spec.windowMs(), spec.frames(), spec.mels(), v, 0));
            }
            count++;
        }
        return count;
    }

    private static double inference(Classifier<Spectrogram> classifier, List<Spectrogram> windows, int batch,
            int repeat) {
        classifier.classify(windows.subList(0, Math.min(batch, windows.size())));
        long n = 0;
        long t0 = System.nanoTime();
        for (int r = 0; r < repeat * 4; r++) {
            for (int i = 0; i < windows.size(); i += batch) {
                n += classifier.classify(windows.subList(i, Math.min(windows.size(), i + batch))).size();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double wholeJob(Path clip, int streams, Configuration options, int windowsPerStream)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Configuration conf = new Configuration();
            conf.addAll(options);
            conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.BOUNDED, true);
            conf.set(JobOptions.VIDEO_ENABLED, false);
            conf.set(JobOptions.PARALLELISM, 2);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            kafka.createTopics(2, conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC),
                    conf.get(KafkaOptions.EVENTS_TOPIC), conf.get(KafkaOptions.DEAD_LETTER_TOPIC));
            try (ReplayProducer p = new ReplayProducer(KafkaClientConfig.of(kafka.bootstrapServers()),
                    conf.get(KafkaOptions.VIDEO_TOPIC), conf.get(KafkaOptions.AUDIO_TOPIC))) {
                for (int s = 0; s < streams; s++) {
                    p.replay(clip, "mic-" + s, ReplayOptions.asFastAsPossible(BASE), null);
                }
            }
            long t0 = System.nanoTime();
            AnalyticsJob.run(StreamExecutionEnvironment.createLocalEnvironment(2, AnalyticsJob.pipelineConfig()), conf);
            return (double) streams * windowsPerStream / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
