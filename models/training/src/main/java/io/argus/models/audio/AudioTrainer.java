package io.argus.models.audio;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.argus.models.audio.AudioDataset.Source;
import io.argus.models.admission.GoldenSets;
import io.argus.models.admission.ModelKind;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import io.argus.models.training.Epochs;
import io.argus.models.training.TrainingLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the log-mel CNN audio classifier on the dataset built from Debian packages: every epoch
 * draws fresh augmented clips, balanced over labels and, within a label, over source packages;
 * early stopping on the validation split's macro-F1; the best epoch is scored on the test split,
 * whose packages training never saw, and the package's golden set is chosen from the test split.
 * Deterministic for a given seed and dataset.
 */
public final class AudioTrainer {

    /**
     * Settings of one training run.
     *
     * @param clipsPerClass augmented training clips drawn per label and epoch
     * @param evalCropsPerSource most evaluation clips cut from one validation or test source
     * @param testFold the leave-packages-out fold whose packages are held out for the test
     * @param wideAugmentation background recordings mixed in, reverberation, telephone bands and
     *     spectrogram masks on top of the basic augmentation (level, band limits, speed, noise)
     */
    public record Config(SpectrogramSpec spec, Path data, int clipsPerClass, int evalCropsPerSource, int epochs,
            int batchSize, float learningRate, int patience, long seed, String name, String version, int testFold,
            boolean wideAugmentation) {

        public static Config defaults(Path data) {
            return new Config(SpectrogramSpec.defaults(), data, 1200, 4, 30, 32, 0.002f, 10, 11, "audio-cnn", "1.0.0",
                    0, false);
        }
    }

    /** The trained package with its validation and held-out test scores. */
    public record Result(ModelPackage pkg, ConfusionMatrix validation, ConfusionMatrix test) {}

    /** Fixed evaluation clips with their labels, turned into spectrograms once. */
    record Examples(float[][] spectrograms, int[] labels) {
        int size() {
            return labels.length;
        }
    }

    private final PrintStream progress;

    public AudioTrainer(PrintStream progress) {
        this.progress = progress;
    }

    public Result train(Config c) throws IOException {
        DjlRuntime.pytorch();
        Engine.getInstance().setRandomSeed((int) c.seed());
        List<String> labels = AudioLabels.ALL;
        SpectrogramSpec spec = c.spec();
        AudioDataset train = AudioDataset.load(c.data(), AudioDataset.Part.TRAIN, c.testFold(), labels);
        // Recorded noise and ambience, mixed under other sounds by the wide augmentation.
        List<Source> backgrounds = c.wideAugmentation()
                ? train.packages(AudioLabels.NOISE).values().stream().flatMap(List::stream).toList()
                : List.of();
        GeneratedAudio.addNoise(train, spec.sampleRate(), 60, c.seed());
        GeneratedAudio.addNearSilence(train, spec.sampleRate(), 60, c.seed() + 1);
        GeneratedAudio.addAlarms(train, spec.sampleRate(), 120, c.seed() + 4);
        AudioDataset validation = AudioDataset.load(c.data(), AudioDataset.Part.VALIDATION, c.testFold(), labels);
        GeneratedAudio.addNoise(validation, spec.sampleRate(), 12, c.seed() + 2);
        GeneratedAudio.addNearSilence(validation, spec.sampleRate(), 20, c.seed() + 3);
        AudioDataset test = heldOut(c.data(), spec, c.testFold(), c.seed());
        progress.printf("test fold %d holds out %s%n", c.testFold(), test.packageNames());
        progress.printf("training audio (s): %s; validation: %s; test: %s%n", train.seconds(), validation.seconds(),
                test.seconds());

        LogMelSpectrogram logMel = new LogMelSpectrogram(spec);
        AudioClips clips = new AudioClips(spec.sampleRate(), spec.windowSamples());
        Examples validationSet = examples(validation, clips, logMel, c.evalCropsPerSource(), labels);
        Examples testSet = examples(test, clips, logMel, c.evalCropsPerSource(), labels);
        progress.printf("%d validation and %d test clips%n", validationSet.size(), testSet.size());

        try (Model model = Model.newInstance(c.name(), Device.cpu(), DjlRuntime.ENGINE)) {
            model.setBlock(AudioNetwork.build(spec, labels.size()));
            // Cosine decay to a twentieth of the rate over the most epochs: late epochs fine-tune.
            int updates = c.epochs() * (c.clipsPerClass() * labels.size() / c.batchSize());
            Tracker rate = Tracker.cosine().setBaseValue(c.learningRate()).optFinalValue(c.learningRate() / 20)
                    .setMaxUpdates(updates).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(rate).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(c.batchSize(), spec.frames(), spec.mels()));
                Random random = new Random(c.seed());
                TrainingLoop.Epoch freshClips = () -> {
                    Examples epochData = trainingClips(train, backgrounds, clips, logMel, c.clipsPerClass(), labels,
                            c.wideAugmentation(), random);
                    return Epochs.train(trainer, epochData.size(), i -> epochData.labels()[i], batches(epochData, spec),
                            c.batchSize(), random);
                };
                TrainingLoop.Result<ConfusionMatrix> best = TrainingLoop.onMacroF1(c.epochs(), c.patience(), progress)
                        .run(freshClips, () -> evaluate(model, validationSet, spec, labels),
                                () -> Epochs.weights(model), () -> evaluate(model, testSet, spec, labels));
                ConfusionMatrix bestScores = best.validation();
                ConfusionMatrix testScores = best.test();
                progress.println("validation (best epoch):");
                progress.println(bestScores);
                progress.println("held-out test (sources never trained on):");
                progress.println(testScores);
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put(ModelPackage.WEIGHTS, best.weights());
                ModelManifest manifest = manifest(c, train, test.packageNames(), validationSet, testSet, bestScores,
                        testScores);
                ModelPackage pkg = GoldenSets.add(ModelPackage.create(manifest, files), ModelKind.AUDIO,
                        candidates(testSet, spec, labels), GoldenSets.Options.defaults(), Map.of("data",
                                "the held-out test split (packages never trained on), one window per clip",
                                "command", "bin/argus train-audio --data <dataset dir> --out <dir>"));
                return new Result(pkg, bestScores, testScores);
            }
        }
    }

    /** The test part of a fold: its held-out packages plus near-silence of a seed training never used. */
    public static AudioDataset heldOut(Path data, SpectrogramSpec spec, int testFold, long seed) throws IOException {
        AudioDataset test = AudioDataset.load(data, AudioDataset.Part.TEST, testFold, AudioLabels.ALL);
        GeneratedAudio.addNearSilence(test, spec.sampleRate(), 40, seed + 1000);
        return test;
    }

    /** Fixed evaluation clips of a split: every source, up to {@code perSource} crops each. */
    public static Examples examples(AudioDataset data, AudioClips clips, LogMelSpectrogram logMel, int perSource,
            List<String> labels) {
        List<float[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int label = 0; label < labels.size(); label++) {
            for (List<Source> sources : data.packages(labels.get(label)).values()) {
                for (Source s : sources) {
                    for (float[] clip : clips.evaluation(s, perSource)) {
                        x.add(logMel.compute(clip, 0, clip.length));
                        y.add(label);
                    }
                }
            }
        }
        return new Examples(x.toArray(float[][]::new), y.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Examples trainingClips(AudioDataset data, List<Source> backgrounds, AudioClips clips,
            LogMelSpectrogram logMel, int perClass, List<String> labels, boolean masks, Random r) {
        float[][] x = new float[perClass * labels.size()][];
        int[] y = new int[x.length];
        int n = 0;
        for (int label = 0; label < labels.size(); label++) {
            List<List<Source>> packages = new ArrayList<>(data.packages(labels.get(label)).values());
            if (packages.isEmpty()) {
                throw new IllegalStateException("no training audio for label " + labels.get(label));
            }
            for (int i = 0; i < perClass; i++) {
                List<Source> pkg = packages.get(r.nextInt(packages.size()));
                float[] clip = clips.training(pkg.get(r.nextInt(pkg.size())), backgrounds, r);
                x[n] = logMel.compute(clip, 0, clip.length);
                if (masks && r.nextBoolean()) {
                    mask(x[n], logMel.spec(), r);
                }
                y[n++] = label;
            }
        }
        return new Examples(x, y);
    }

    /**
     * Masks one band of up to 8 mel bands and one stretch of up to 12 frames with the quietest
     * value of the spectrogram, so that no single band or moment decides (SpecAugment's masks).
     */
    static void mask(float[] spectrogram, SpectrogramSpec spec, Random r) {
        float floor = Float.MAX_VALUE;
        for (float v : spectrogram) {
            floor = Math.min(floor, v);
        }
        int mels = spec.mels();
        int bands = 1 + r.nextInt(8);
        int firstBand = r.nextInt(mels - bands + 1);
        int frames = 1 + r.nextInt(12);
        int firstFrame = r.nextInt(spec.frames() - frames + 1);
        for (int t = 0; t < spec.frames(); t++) {
            boolean inTime = t >= firstFrame && t < firstFrame + frames;
            for (int m = 0; m < mels; m++) {
                if (inTime || (m >= firstBand && m < firstBand + bands)) {
                    spectrogram[t * mels + m] = floor;
                }
            }
        }
    }

    /** Fixed examples as the model's input, with their labels: the candidates of a golden set. */
    static List<GoldenSets.Candidate<Spectrogram>> candidates(Examples data, SpectrogramSpec spec,
            List<String> labels) {
        List<GoldenSets.Candidate<Spectrogram>> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            out.add(new GoldenSets.Candidate<>(new Spectrogram("held-out-" + i, 0, spec.windowMs(), spec.frames(),
                    spec.mels(), data.spectrograms()[i], 0), labels.get(data.labels()[i])));
        }
        return out;
    }

    /** Scores a network on fixed examples in inference mode. */
    static ConfusionMatrix evaluate(Model model, Examples data, SpectrogramSpec spec, List<String> labels) {
        return Epochs.evaluate(model, data.size(), i -> data.labels()[i], batches(data, spec), 64, labels);
    }

    private static Epochs.Batches batches(Examples data, SpectrogramSpec spec) {
        return (scope, order, from, to) -> batch(scope, data, order, from, to, spec);
    }

    private static NDArray batch(NDManager scope, Examples data, int[] order, int from, int to, SpectrogramSpec spec) {
        int size = spec.frames() * spec.mels();
        float[] flat = new float[(to - from) * size];
        for (int i = from; i < to; i++) {
            System.arraycopy(data.spectrograms()[order[i]], 0, flat, (i - from) * size, size);
        }
        return scope.create(flat, new Shape(to - from, spec.frames(), spec.mels()));
    }



    private static ModelManifest manifest(Config c, AudioDataset train, Map<String, List<String>> heldOut,
            Examples validation, Examples test,
            ConfusionMatrix validationScores, ConfusionMatrix testScores) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", "recordings from Debian packages (models/audio-data/build_dataset.py, docs/audio-data.md)"
                + " plus generated noise, near-silence and alarms; the test fold's packages never used for training");
        training.put("command", "bin/argus train-audio --data <dataset dir> --out <dir> --test-fold " + c.testFold());
        training.put("testFold", c.testFold());
        training.put("heldOutPackages", heldOut);
        training.put("augmentation", c.wideAugmentation() ? "wide" : "basic");
        training.put("trainingSeconds", train.seconds());
        training.put("clipsPerClassAndEpoch", c.clipsPerClass());
        training.put("validationClips", validation.size());
        training.put("testClips", test.size());
        training.put("seed", c.seed());
        training.put("maxEpochs", c.epochs());
        training.put("batchSize", c.batchSize());
        training.put("learningRate", c.learningRate() + ", cosine decay to 1/20");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validation", validationScores.summary());
        metrics.put("heldOutTest", testScores.summary());
        return new ModelManifest(ModelPackage.FORMAT, c.name(), c.version(), DjlAudioClassifier.TASK,
                AudioNetwork.ARCHITECTURE, AudioLabels.ALL, null, c.spec(), null, training, metrics, null);
    }
}
