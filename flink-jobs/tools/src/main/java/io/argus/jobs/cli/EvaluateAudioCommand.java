package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import ai.djl.Device;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.models.PackageRef;
import io.argus.models.audio.AudioClips;
import io.argus.models.audio.AudioDataset;
import io.argus.models.audio.AudioDataset.Source;
import io.argus.models.audio.AudioLabels;
import io.argus.models.audio.AudioTrainer;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus evaluate-audio --model DIR --data DIR}: scores an audio model package on a split of
 * the audio dataset, overall and per source package, to see which recordings it gets wrong.
 */
public final class EvaluateAudioCommand {

    static final ConfigOption<String> MODEL = key("model").stringType().defaultValue("bundled:audio-cnn")
            .withDescription("Audio model: bundled:NAME or a package directory.");
    static final ConfigOption<String> DATA = key("data").stringType().noDefaultValue()
            .withDescription("Dataset directory written by models/audio-data/build_dataset.py (required).");
    static final ConfigOption<String> SPLIT = key("split").stringType().defaultValue("test")
            .withDescription("Part to score: test (the test fold's packages), validation or train (the other "
                    + "packages).");
    static final ConfigOption<Integer> TEST_FOLD = key("test-fold").intType().defaultValue(0)
            .withDescription("Leave-packages-out fold held out for the test (the model's training --test-fold).");
    static final ConfigOption<Integer> CROPS = key("eval-crops-per-source").intType().defaultValue(4)
            .withDescription("Most clips cut from one source recording.");
    static final ConfigOption<Long> SEED = key("seed").longType().defaultValue(11L)
            .withDescription("Seed of the generated near-silence added to the test split (the training --seed).");

    private static final List<ConfigOption<?>> OPTIONS = List.of(MODEL, DATA, SPLIT, TEST_FOLD, CROPS, SEED);

    private EvaluateAudioCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        Configuration conf = parsed.config();
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus evaluate-audio --data DIR [options]",
                    "Scores an audio model on a split of the audio dataset: confusion matrix, per-class precision "
                            + "and recall, and the recall on each source package.", OPTIONS);
            return;
        }
        CommandLine.require(conf, DATA);
        ModelPackage pkg = PackageRef.read(conf.get(MODEL), ModelTrust.CALLER);
        SpectrogramSpec spec = pkg.manifest().audio();
        Path data = Path.of(conf.get(DATA));
        AudioDataset split = switch (conf.get(SPLIT)) {
            case "test" -> AudioTrainer.heldOut(data, spec, conf.get(TEST_FOLD), conf.get(SEED));
            case "validation" -> AudioDataset.load(data, AudioDataset.Part.VALIDATION, conf.get(TEST_FOLD),
                    AudioLabels.ALL);
            case "train" -> AudioDataset.load(data, AudioDataset.Part.TRAIN, conf.get(TEST_FOLD), AudioLabels.ALL);
            default -> throw new IllegalArgumentException("option --split: give test, validation or train, not "
                    + conf.get(SPLIT));
        };
        AudioClips clips = new AudioClips(spec.sampleRate(), spec.windowSamples());
        LogMelSpectrogram logMel = new LogMelSpectrogram(spec);
        ConfusionMatrix all = new ConfusionMatrix(AudioLabels.ALL);
        Map<String, ConfusionMatrix> perPackage = new TreeMap<>();
        try (Classifier<Spectrogram> model = DjlAudioClassifier.load(pkg, Device.cpu())) {
            for (String label : AudioLabels.ALL) {
                for (Map.Entry<String, List<Source>> e : split.packages(label).entrySet()) {
                    List<Spectrogram> batch = new ArrayList<>();
                    for (Source s : e.getValue()) {
                        for (float[] clip : clips.evaluation(s, conf.get(CROPS))) {
                            batch.add(new Spectrogram(s.name(), 0, spec.windowMs(), spec.frames(), spec.mels(),
                                    logMel.compute(clip, 0, clip.length), 0));
                        }
                    }
                    ConfusionMatrix p = perPackage.computeIfAbsent(label + " / " + e.getKey(),
                            k -> new ConfusionMatrix(AudioLabels.ALL));
                    for (int i = 0; i < batch.size(); i += 64) {
                        for (Classification c : model.classify(batch.subList(i, Math.min(batch.size(), i + 64)))) {
                            all.add(label, c.label());
                            p.add(label, c.label());
                        }
                    }
                }
            }
        }
        System.out.println(pkg.manifest().id() + " on the " + conf.get(SPLIT) + " split:");
        System.out.println(all);
        System.out.println("per package: clips, recall, and what the misses were taken for");
        perPackage.forEach((name, cm) -> {
            int truth = AudioLabels.ALL.indexOf(name.substring(0, name.indexOf(' ')));
            StringBuilder misses = new StringBuilder();
            for (int p = 0; p < AudioLabels.ALL.size(); p++) {
                if (p != truth && cm.count(truth, p) > 0) {
                    misses.append(' ').append(AudioLabels.ALL.get(p)).append('=').append(cm.count(truth, p));
                }
            }
            System.out.printf(Locale.ROOT, "  %-45s %5d  %.3f %s%n", name, cm.total(), cm.recall(truth), misses);
        });
    }
}
