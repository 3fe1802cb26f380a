package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.argus.jobs.cli.AudioClipWindows;
import io.argus.jobs.cli.LabelledClips;
import io.argus.jobs.cli.LabelledClips.FileKind;
import io.argus.models.audio.AudioFineTuner;
import io.argus.models.audio.AudioNetwork;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.training.FineTuning;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning the bundled audio model to a label set it never learned: {@code speech},
 * {@code music} and {@code speech-over-music} (the two mixed; the base gives one label per window,
 * the dominant one). The clips are the held-out one-second clips shipped with the tests, each from
 * another source file, written as WAV, FLAC, Opus and MP3 files into label folders and read back
 * through the command's decoding and windowing; 20 files per label train (a quarter of them held
 * out for validation as whole files), and 10 other files per label, from sources training never
 * saw, are the test. The same architecture trained from scratch on the same windows, with the same
 * epochs and seed, at the fine-tuner's learning rate and the audio trainer's, is printed beside it
 * but not asserted against: fine-tuning did not beat it reliably across seeds (docs/models.md).
 */
class AudioFineTuningTest {

    static final List<String> LABELS = List.of("music", "speech", "speech-over-music");
    static final List<String> FORMATS = List.of("wav", "flac", "opus", "mp3");
    static final long SEED = 7;

    @Test
    void fineTunesTheBundledAudioModelToSpeechOverMusicFromTwentyFilesPerLabel(@TempDir Path root) throws Exception {
        writeClips(root);
        ModelPackage base = ModelPackage.bundled("audio-cnn");
        SpectrogramSpec spec = base.manifest().audio();
        AudioClipWindows cutter = new AudioClipWindows(spec, Duration.ofMillis(500));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(log, true, StandardCharsets.UTF_8);
        LabelledClips.Split<AudioFineTuner.Sample> split = LabelledClips.load(root.resolve("train"), LABELS,
                FileKind.AUDIO, base.manifest().id() + " is an audio model", cutter::of, AudioFineTuner.Sample::new,
                0.25, SEED, progress);
        List<AudioFineTuner.Sample> test = test(root.resolve("test"), cutter);
        assertThat(split.train().size() + split.validation().size()).as("one window per one-second file")
                .isEqualTo(files(root.resolve("train")));
        assertThat(split.validation()).as("a quarter of each label's files").hasSize(15);
        assertThat(test).as("one window per one-second file").hasSize(files(root.resolve("test")));

        FineTuning.Config c = new FineTuning.Config(LABELS, FineTuning.FREEZE_ALL, 30, 8, 0.01f, 8, SEED,
                "audio-speech-over-music", "0.0.1-test");
        AudioFineTuner tuner = new AudioFineTuner(progress);
        FineTuning.Result tuned = tuner.fineTune(base, split.train(), split.validation(), c);
        double tunedAccuracy = accuracy(tuned.pkg(), test);
        FineTuning.Result scratch = tuner.fromScratch(spec, split.train(), split.validation(), c);
        double scratchAccuracy = accuracy(scratch.pkg(), test);
        FineTuning.Result slower = tuner.fromScratch(spec, split.train(), split.validation(),
                c.withLearningRate(0.002f));
        double slowerAccuracy = accuracy(slower.pkg(), test);
        System.out.printf(Locale.ROOT, "held-out accuracy (%d files): fine-tuned %.3f (%d epochs), from scratch "
                + "%.3f (learning rate 0.01, %d epochs), %.3f (learning rate 0.002, %d epochs)%n", test.size(), tunedAccuracy,
                tuned.epochs(), scratchAccuracy, scratch.epochs(), slowerAccuracy, slower.epochs());

        assertThat(log.toString(StandardCharsets.UTF_8)).contains("speech-over-music/", "epoch 1/30",
                "frozen: all but the head");
        assertThat(tuned.pkg().manifest().baseModel()).isEqualTo(base.manifest().id());
        assertThat(tuned.pkg().manifest().labels()).isEqualTo(LABELS);
        assertThat(tuned.pkg().manifest().audio()).isEqualTo(spec);
        assertThat(backbone(tuned.pkg())).as("frozen weights and batch-norm statistics")
                .containsExactlyEntriesOf(backbone(base));
        // chance is 1/3; measured 0.79 with this seed, 0.66 and 0.72 with training seeds 1 and 2 (docs/models.md)
        assertThat(tunedAccuracy).as("held-out accuracy of the fine-tuned model").isGreaterThanOrEqualTo(0.6);
    }

    /**
     * Clip {@code i} of the held-out speech and music files goes, by {@code i % 6}: 0, 1 to its own
     * label's training folder, 2, 3 into a training mixture, 4 to its label's test folder, 5 into a
     * test mixture; so every file is another source, and train and test draw evenly on all packages.
     */
    static void writeClips(Path root) throws Exception {
        float[] speech = HeldOutAudio.of("speech");
        float[] music = HeldOutAudio.of("music");
        SplittableRandom r = new SplittableRandom(SEED);
        int n = Math.min(speech.length, music.length) / HeldOutAudio.RATE;
        int written = 0;
        for (int i = 0; i < n; i++) {
            String split = i % 6 < 4 ? "train" : "test";
            String format = FORMATS.get(written++ % FORMATS.size());
            float[] s = HeldOutAudio.clip(speech, i);
            float[] m = HeldOutAudio.clip(music, i);
            if (i % 6 == 0 || i % 6 == 1 || i % 6 == 4) {
                write(root.resolve(split).resolve("speech").resolve("speech-" + i + "." + format), s);
                write(root.resolve(split).resolve("music").resolve("music-" + i + "." + format), m);
            } else {
                write(root.resolve(split).resolve("speech-over-music").resolve("mix-" + i + "." + format),
                        mix(s, m, r.nextDouble(0, 6)));
            }
        }
    }

    /** Speech {@code speechOverMusicDb} above the music (by RMS), at the mean level of the two. */
    static float[] mix(float[] speech, float[] music, double speechOverMusicDb) {
        double rs = rms(speech);
        double rm = rms(music);
        double gainMusic = rs / rm * Math.pow(10, -speechOverMusicDb / 20);
        float[] out = new float[speech.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (speech[i] + gainMusic * music[i]);
        }
        double scale = (rs + rm) / 2 / rms(out);
        double peak = 0;
        for (float v : out) {
            peak = Math.max(peak, Math.abs(v * scale));
        }
        scale = peak > 0.99 ? scale * 0.99 / peak : scale;
        for (int i = 0; i < out.length; i++) {
            out[i] *= (float) scale;
        }
        return out;
    }

    private static double rms(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v * v;
        }
        return Math.sqrt(sum / x.length) + 1e-9;
    }

    private static void write(Path file, float[] samples) throws Exception {
        Files.createDirectories(file.getParent());
        HeldOutAudio.write(file, samples);
    }

    private static int files(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return (int) s.filter(Files::isRegularFile).count();
        }
    }

    /** Every window of every test file, labelled by its folder. */
    static List<AudioFineTuner.Sample> test(Path dir, AudioClipWindows cutter) throws Exception {
        List<AudioFineTuner.Sample> out = new ArrayList<>();
        for (int label = 0; label < LABELS.size(); label++) {
            try (var files = Files.list(dir.resolve(LABELS.get(label)))) {
                for (Path f : files.sorted().toList()) {
                    for (Spectrogram w : cutter.of(f)) {
                        out.add(new AudioFineTuner.Sample(w, label));
                    }
                }
            }
        }
        return out;
    }

    static double accuracy(ModelPackage pkg, List<AudioFineTuner.Sample> test) throws Exception {
        try (Classifier<Spectrogram> c = DjlAudioClassifier.load(pkg, Device.cpu())) {
            List<Classification> out = c.classify(test.stream().map(AudioFineTuner.Sample::window).toList());
            int right = 0;
            for (int i = 0; i < test.size(); i++) {
                if (out.get(i).label().equals(LABELS.get(test.get(i).label()))) {
                    right++;
                }
            }
            return (double) right / test.size();
        }
    }

    /** Every parameter of a package's network but the head's (batch-norm statistics included), by name. */
    static Map<String, List<Float>> backbone(ModelPackage pkg) throws Exception {
        SpectrogramSpec spec = pkg.manifest().audio();
        Block net = AudioNetwork.build(spec, pkg.manifest().labels().size());
        Map<String, List<Float>> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, spec.frames(), spec.mels()));
            net.loadParameters(m, new DataInputStream(new ByteArrayInputStream(pkg.weights())));
            List<Block> children = net.getChildren().values();
            for (int i = 0; i < children.size() - 1; i++) {
                for (var p : children.get(i).getParameters()) {
                    List<Float> values = new ArrayList<>();
                    for (float v : p.getValue().getArray().toFloatArray()) {
                        values.add(v);
                    }
                    out.put(i + "/" + p.getKey(), values);
                }
            }
        }
        assertThat(out).as("backbone parameters").hasSizeGreaterThanOrEqualTo(4 * 6);
        return out;
    }
}
