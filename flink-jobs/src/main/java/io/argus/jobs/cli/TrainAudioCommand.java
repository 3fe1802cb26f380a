package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.config.CommandLine;
import io.argus.models.audio.AudioTrainer;
import java.nio.file.Path;
import java.util.List;
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
    static final ConfigOption<String> VERSION = key("version").stringType().defaultValue("1.0.0")
            .withDescription("Version written into the package's manifest.");

    private static final List<ConfigOption<?>> OPTIONS =
            List.of(DATA, OUT, CLIPS, EVAL_CROPS, EPOCHS, BATCH, LEARNING_RATE, PATIENCE, SEED, VERSION);

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
        AudioTrainer.Config base = AudioTrainer.Config.defaults(Path.of(conf.get(DATA)));
        AudioTrainer.Config c = new AudioTrainer.Config(base.spec(), base.data(), conf.get(CLIPS), conf.get(EVAL_CROPS),
                conf.get(EPOCHS), conf.get(BATCH), conf.get(LEARNING_RATE).floatValue(), conf.get(PATIENCE),
                conf.get(SEED), base.name(), conf.get(VERSION));
        AudioTrainer.Result result = new AudioTrainer(System.out).train(c);
        Path out = Path.of(conf.get(OUT));
        result.pkg().writeTo(out);
        System.out.println("argus train-audio: wrote " + result.pkg().manifest().id() + " to " + out);
    }
}
