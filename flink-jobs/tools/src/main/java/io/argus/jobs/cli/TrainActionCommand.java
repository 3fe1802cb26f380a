package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.config.CommandLine;
import io.argus.models.action.ActionTrainer;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** {@code argus train-action --out DIR}: trains the CNN-LSTM action model on rendered scenes. */
public final class TrainActionCommand {

    static final ConfigOption<String> BACKBONE = key("backbone").stringType().defaultValue("none")
            .withDescription("none: train the small CNN-LSTM from scratch on 64x64 grey frames; mobilenetv2: "
                    + "transfer learning, a frozen ImageNet MobileNetV2 (to block 10) on 96x96 RGB frames with a "
                    + "trained LSTM head.");
    static final ConfigOption<String> BACKBONE_FILE = key("backbone-file").stringType()
            .defaultValue("models/pretrained/mobilenetv2_block10.pt")
            .withDescription("TorchScript of the MobileNetV2 backbone (made by models/pretrained/convert_mobilenetv2.py).");
    static final ConfigOption<Integer> PER_CLASS = key("per-class").intType().defaultValue(600)
            .withDescription("Training windows rendered per action.");
    static final ConfigOption<Integer> VALIDATION_PER_CLASS = key("validation-per-class").intType().defaultValue(100)
            .withDescription("Validation windows rendered per action (other seeds).");

    static final TrainingOptions TRAINING = TrainingOptions.of("windows",
            "the rendered data, the initial weights and the shuffling", defaults(ActionTrainer.Config.defaults()),
            new TrainingOptions.Otherwise("with a backbone", defaults(ActionTrainer.Config.transfer(null))));

    private static final List<ConfigOption<?>> OPTIONS =
            TRAINING.after(TRAINING.out(), BACKBONE, BACKBONE_FILE, PER_CLASS, VALIDATION_PER_CLASS);

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
        CommandLine.require(conf, TRAINING.out());
        ActionTrainer.Config base = switch (conf.get(BACKBONE)) {
            case "none" -> ActionTrainer.Config.defaults();
            case "mobilenetv2" -> ActionTrainer.Config.transfer(readBackbone(conf.get(BACKBONE_FILE)));
            default -> throw new IllegalArgumentException("option --backbone: none or mobilenetv2, not "
                    + conf.get(BACKBONE));
        };
        ActionTrainer.Config c = new ActionTrainer.Config(base.spec(),
                pick(conf, PER_CLASS, base.trainPerClass()), pick(conf, VALIDATION_PER_CLASS, base.validationPerClass()),
                pick(conf, TRAINING.epochs(), base.epochs()), pick(conf, TRAINING.batchSize(), base.batchSize()),
                conf.contains(TRAINING.learningRate()) ? conf.get(TRAINING.learningRate()).floatValue()
                        : base.learningRate(),
                pick(conf, TRAINING.patience(), base.patience()), pick(conf, TRAINING.seed(), base.seed()), base.name(),
                conf.get(TRAINING.version()), base.backbone());
        ActionTrainer.Result result = new ActionTrainer(System.out).train(c);
        Path out = Path.of(conf.get(TRAINING.out()));
        result.pkg().writeTo(out);
        System.out.println("argus train-action: wrote " + result.pkg().manifest().id() + " to " + out);
    }

    private static TrainingOptions.Defaults defaults(ActionTrainer.Config c) {
        return TrainingOptions.Defaults.of(c.epochs(), c.batchSize(), c.learningRate(), c.patience(), c.seed());
    }

    /** An option's value when given, else the model's own default. */
    private static <T> T pick(Configuration conf, ConfigOption<T> option, T modelDefault) {
        return conf.contains(option) ? conf.get(option) : modelDefault;
    }

    private static byte[] readBackbone(String file) {
        try {
            return java.nio.file.Files.readAllBytes(Path.of(file));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("option --backbone-file: cannot read " + file + " ("
                    + e.getMessage() + "); run models/pretrained/convert_mobilenetv2.py", e);
        }
    }
}
