package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.config.CommandLine;
import io.argus.models.action.ActionTrainer;
import io.argus.models.input.InputSpec;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** {@code argus train-action --out DIR}: trains the CNN-LSTM action model on rendered scenes. */
public final class TrainActionCommand {

    static final ConfigOption<String> OUT = key("out").stringType().noDefaultValue()
            .withDescription("Directory the model package is written to (required).");
    static final ConfigOption<Integer> PER_CLASS = key("per-class").intType().defaultValue(600)
            .withDescription("Training windows rendered per action.");
    static final ConfigOption<Integer> VALIDATION_PER_CLASS = key("validation-per-class").intType().defaultValue(100)
            .withDescription("Validation windows rendered per action (other seeds).");
    static final ConfigOption<Integer> EPOCHS = key("epochs").intType().defaultValue(15)
            .withDescription("Most epochs; training stops early when validation macro-F1 stops improving.");
    static final ConfigOption<Integer> BATCH = key("batch-size").intType().defaultValue(16)
            .withDescription("Windows per training step.");
    static final ConfigOption<Double> LEARNING_RATE = key("learning-rate").doubleType().defaultValue(0.002)
            .withDescription("Adam learning rate.");
    static final ConfigOption<Integer> PATIENCE = key("patience").intType().defaultValue(3)
            .withDescription("Epochs without improvement before stopping.");
    static final ConfigOption<Long> SEED = key("seed").longType().defaultValue(7L)
            .withDescription("Seed of the rendered data, the initial weights and the shuffling.");
    static final ConfigOption<String> VERSION = key("version").stringType().defaultValue("1.0.0")
            .withDescription("Version written into the package's manifest.");

    private static final List<ConfigOption<?>> OPTIONS =
            List.of(OUT, PER_CLASS, VALIDATION_PER_CLASS, EPOCHS, BATCH, LEARNING_RATE, PATIENCE, SEED, VERSION);

    private TrainActionCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        Configuration conf = parsed.config();
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus train-action --out DIR [options]",
                    "Renders labelled scenes of walking, running, waving, jumping and idle figures and trains the "
                            + "TimeDistributed CNN-LSTM action classifier on them (CPU, deterministic seeds).",
                    OPTIONS);
            return;
        }
        if (conf.get(OUT) == null) {
            throw new IllegalArgumentException("option --out is required");
        }
        ActionTrainer.Config defaults = ActionTrainer.Config.defaults();
        InputSpec spec = defaults.spec();
        ActionTrainer.Config c = new ActionTrainer.Config(spec, conf.get(PER_CLASS), conf.get(VALIDATION_PER_CLASS),
                conf.get(EPOCHS), conf.get(BATCH), conf.get(LEARNING_RATE).floatValue(), conf.get(PATIENCE),
                conf.get(SEED), defaults.name(), conf.get(VERSION));
        ActionTrainer.Result result = new ActionTrainer(System.out).train(c);
        Path out = Path.of(conf.get(OUT));
        result.pkg().writeTo(out);
        System.out.println("argus train-action: wrote " + result.pkg().manifest().id() + " to " + out);
    }
}
