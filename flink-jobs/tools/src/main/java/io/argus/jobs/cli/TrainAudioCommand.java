package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.config.CommandLine;
import io.argus.models.audio.AudioDataset;
import io.argus.models.audio.AudioTrainer;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.eval.LeavePackagesOut;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** {@code argus train-audio --data DIR --out DIR}: trains the log-mel CNN audio classifier. */
public final class TrainAudioCommand {

    static final ConfigOption<String> DATA = key("data").stringType().noDefaultValue()
            .withDescription("Dataset directory written by models/audio-data/build_dataset.py (required).");
    static final ConfigOption<String> OUT = key("out").stringType().noDefaultValue()
            .withDescription("Directory the model package is written to (required).");
    static final ConfigOption<Integer> CLIPS = key("clips-per-class").intType().defaultValue(1200)
            .withDescription("Augmented training clips drawn per label in each epoch.");
    static final ConfigOption<Integer> EVAL_CROPS = key("eval-crops-per-source").intType().defaultValue(4)
            .withDescription("Most validation/test clips cut from one source recording.");
    static final ConfigOption<Integer> EPOCHS = key("epochs").intType().defaultValue(30)
            .withDescription("Most epochs; training stops early when validation macro-F1 stops improving.");
    static final ConfigOption<Integer> BATCH = key("batch-size").intType().defaultValue(32)
            .withDescription("Clips per training step.");
    static final ConfigOption<Double> LEARNING_RATE = key("learning-rate").doubleType().defaultValue(0.002)
            .withDescription("Adam learning rate.");
    static final ConfigOption<Integer> PATIENCE = key("patience").intType().defaultValue(10)
            .withDescription("Epochs without improvement before stopping.");
    static final ConfigOption<Long> SEED = key("seed").longType().defaultValue(11L)
            .withDescription("Seed of the initial weights, the clips drawn and their augmentation.");
    static final ConfigOption<String> TEST_FOLD = key("test-fold").stringType().defaultValue("0")
            .withDescription("Leave-packages-out fold whose packages are held out for the test, or 'all' to train "
                    + "one model per fold (OUT/fold-N) and print the mean and the worst fold: the figure to judge "
                    + "a recipe by. A model meant to replace the bundled one holds out fold 0, the fold the tests' "
                    + "clips are then cut from (export-audio-clips).");
    static final ConfigOption<String> AUGMENTATION = key("augmentation").stringType().defaultValue("basic")
            .withDescription("Training augmentation: 'basic' (level, band limits, speed, generated noise) or 'wide' "
                    + "(recorded ambience mixed in, reverberation, telephone bands and spectrogram masks on top; it "
                    + "scored 0.01-0.03 lower on every fold at this model size, docs/models.md).");
    static final ConfigOption<String> VERSION = key("version").stringType().defaultValue("1.0.0")
            .withDescription("Version written into the package's manifest.");

    private static final List<ConfigOption<?>> OPTIONS =
            List.of(DATA, OUT, TEST_FOLD, AUGMENTATION, CLIPS, EVAL_CROPS, EPOCHS, BATCH, LEARNING_RATE,
                    PATIENCE, SEED, VERSION);

    private TrainAudioCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        Configuration conf = parsed.config();
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus train-audio --data DIR --out DIR [options]",
                    "Trains the log-mel CNN audio classifier (speech, music, silence, noise, alarm) on recordings "
                            + "from Debian packages (models/audio-data/install-packages.sh, then build_dataset.py), "
                            + "and scores it on packages it never trained on (CPU, deterministic seeds).",
                    OPTIONS);
            return;
        }
        CommandLine.require(conf, DATA, OUT);
        Path data = Path.of(conf.get(DATA));
        Path out = Path.of(conf.get(OUT));
        String augmentation = conf.get(AUGMENTATION);
        if (!augmentation.equals("wide") && !augmentation.equals("basic")) {
            throw new IllegalArgumentException("option --augmentation: give wide or basic, not " + augmentation);
        }
        AudioTrainer.Config base = AudioTrainer.Config.defaults(data);
        IntFunction<AudioTrainer.Config> config = fold -> new AudioTrainer.Config(base.spec(), data, conf.get(CLIPS),
                conf.get(EVAL_CROPS), conf.get(EPOCHS), conf.get(BATCH), conf.get(LEARNING_RATE).floatValue(),
                conf.get(PATIENCE), conf.get(SEED), base.name(), conf.get(VERSION), fold, augmentation.equals("wide"));
        String fold = conf.get(TEST_FOLD);
        if (!fold.equals("all")) {
            AudioTrainer.Result result = new AudioTrainer(System.out).train(config.apply(parseFold(fold)));
            result.pkg().writeTo(out);
            System.out.println("argus train-audio: wrote " + result.pkg().manifest().id() + " to " + out);
            return;
        }
        int folds = AudioDataset.folds(data);
        List<ConfusionMatrix> tests = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
            System.out.printf("argus train-audio: fold %d of %d%n", k + 1, folds);
            AudioTrainer.Result result = new AudioTrainer(System.out).train(config.apply(k));
            result.pkg().writeTo(out.resolve("fold-" + k));
            tests.add(result.test());
        }
        String summary = LeavePackagesOut.summary(tests, augmentation);
        System.out.print(summary);
        Files.writeString(out.resolve("leave-packages-out.md"), summary);
        System.out.println("argus train-audio: wrote " + folds + " packages and leave-packages-out.md to " + out);
    }

    private static int parseFold(String fold) {
        try {
            return Integer.parseInt(fold);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --test-fold: give a fold number or all, not " + fold);
        }
    }
}
