package io.argus.jobs.cli;

import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.models.AudioModelRef;
import io.argus.models.classify.Classifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/**
 * The audio half of {@code argus benchmark}: spectrogram windows per second for the features
 * alone (decoding the clip's PCM chunks and computing log-mel windows as the job does, every STFT
 * frame once), inference alone, and the whole audio job (Kafka in, events out).
 */
final class AudioBenchmark {

    private static final long BASE = BenchmarkCommand.BASE;

    private AudioBenchmark() {}

    static void run(Path clip, Configuration conf, int streams, int repeat) throws Exception {
        AudioModelRef model = AudioModelRef.resolve(conf.get(AudioOptions.MODEL));
        SpectrogramSpec spec = model.spec();
        long hopMs = conf.get(AudioOptions.HOP).toMillis();
        List<MediaRecord> chunks = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "bench", BASE, null, chunks::add);
        System.out.printf("audio: %s, windows every %d ms, audio model %s%n", spec, hopMs, model);

        AudioClipWindows features = new AudioClipWindows(spec, conf.get(AudioOptions.HOP));
        List<Spectrogram> windows = features.windows("bench", BASE, features.decode(chunks)); // warm-up, kept
        long t0 = System.nanoTime();
        long n = 0;
        for (int r = 0; r < repeat; r++) {
            n += features.windows("bench", BASE, features.decode(chunks)).size();
        }
        double featuresPerSecond = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "features alone:   %8.0f windows/s (PCM chunks decoded, log-mel, %d per pass)%n",
                featuresPerSecond, windows.size());

        int batch = conf.get(InferenceOptions.MAX_BATCH);
        double inferencePerSecond;
        try (Classifier<Spectrogram> classifier = model.factory(conf.get(InferenceOptions.DEVICE),
                conf.get(AudioOptions.SILENCE_DBFS), conf.get(AudioOptions.LOUD_DBFS)).create()) {
            inferencePerSecond = BenchmarkCommand.inferenceAlone(classifier, windows, batch, repeat * 4);
        }
        System.out.printf(Locale.ROOT, "inference alone:  %8.0f windows/s (batches of %d)%n", inferencePerSecond,
                batch);

        double jobPerSecond = (double) streams * windows.size()
                / BenchmarkCommand.wholeJobSeconds(clip, streams, conf, false);
        System.out.printf(Locale.ROOT, "whole job:        %8.0f windows/s (%d streams x %d windows, Kafka in and out, "
                + "MiniCluster parallelism 2, start-up included)%n", jobPerSecond, streams, windows.size());
        System.out.printf(Locale.ROOT, "ratios: job / features alone %.2f, job / inference alone %.2f, "
                + "inference / features %.2f%n", jobPerSecond / featuresPerSecond, jobPerSecond / inferencePerSecond,
                inferencePerSecond / featuresPerSecond);
        System.out.printf(Locale.ROOT, "real time: the job keeps up with %.0f microphones (%.1f windows/s each)%n",
                jobPerSecond / (1000.0 / hopMs), 1000.0 / hopMs);
    }
}
