package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The options every command that trains a model takes: where the package goes, how long and how
 * fast it trains, its seed and its version. Declared once, here; each command gives its own
 * defaults, says what one training example is and what the seed draws.
 *
 * @param out directory the model package is written to
 * @param epochs most epochs
 * @param batchSize examples per training step
 * @param learningRate Adam's learning rate
 * @param patience epochs without improvement before stopping
 * @param seed seed of everything random in the run
 * @param version version written into the manifest
 */
record TrainingOptions(ConfigOption<String> out, ConfigOption<Integer> epochs, ConfigOption<Integer> batchSize,
        ConfigOption<Double> learningRate, ConfigOption<Integer> patience, ConfigOption<Long> seed,
        ConfigOption<String> version) {

    /** A command's defaults. */
    record Defaults(int epochs, int batchSize, double learningRate, int patience, long seed) {

        /** A trainer's defaults; its float learning rate shown as written ({@code 0.002}, not its double). */
        static Defaults of(int epochs, int batchSize, float learningRate, int patience, long seed) {
            return new Defaults(epochs, batchSize, Double.parseDouble(Float.toString(learningRate)), patience, seed);
        }
    }

    /** Other defaults the command uses in a case it names ("with a backbone"), shown beside the first. */
    record Otherwise(String when, Defaults defaults) {}

    /** What one run reads from these options. */
    record Settings(int epochs, int batchSize, float learningRate, int patience, long seed, String version) {}

    /**
     * The options of a command.
     *
     * @param examples what one training example is, plural ("clips", "windows", "tracks")
     * @param seedDraws what the seed draws ("the rendered data, the initial weights and the shuffling")
     */
    static TrainingOptions of(String examples, String seedDraws, Defaults d) {
        return of(examples, seedDraws, d, null);
    }

    /** As {@link #of(String, String, Defaults)}, with the defaults of a second case named in the help. */
    static TrainingOptions of(String examples, String seedDraws, Defaults d, Otherwise otherwise) {
        Defaults o = otherwise == null ? d : otherwise.defaults();
        String when = otherwise == null ? "" : otherwise.when();
        return new TrainingOptions(
                key("out").stringType().noDefaultValue()
                        .withDescription("Directory the model package is written to (required)."),
                key("epochs").intType().defaultValue(d.epochs())
                        .withDescription("Most epochs; training stops early when validation macro-F1 stops improving"
                                + note(d.epochs(), o.epochs(), when) + "."),
                key("batch-size").intType().defaultValue(d.batchSize())
                        .withDescription(Character.toUpperCase(examples.charAt(0)) + examples.substring(1)
                                + " per training step" + note(d.batchSize(), o.batchSize(), when) + "."),
                key("learning-rate").doubleType().defaultValue(d.learningRate())
                        .withDescription("Adam learning rate" + note(d.learningRate(), o.learningRate(), when) + "."),
                key("patience").intType().defaultValue(d.patience())
                        .withDescription("Epochs without improvement before stopping"
                                + note(d.patience(), o.patience(), when) + "."),
                key("seed").longType().defaultValue(d.seed())
                        .withDescription("Seed of " + seedDraws + note(d.seed(), o.seed(), when) + "."),
                key("version").stringType().defaultValue("1.0.0")
                        .withDescription("Version written into the package's manifest."));
    }

    private static String note(Number first, Number other, String when) {
        if (first.equals(other)) {
            return "";
        }
        return String.format(Locale.ROOT, " (default %s %s)", other, when);
    }

    /** How long and how fast to train, then the seed and version, in --help order ({@link #out} apart). */
    List<ConfigOption<?>> schedule() {
        return List.of(epochs, batchSize, learningRate, patience, seed, version);
    }

    /** A command's own options, then {@link #schedule()}. */
    List<ConfigOption<?>> after(ConfigOption<?>... own) {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(own));
        all.addAll(schedule());
        return List.copyOf(all);
    }

    /** The values given, or the command's defaults. */
    Settings settings(Configuration conf) {
        return new Settings(conf.get(epochs), conf.get(batchSize), conf.get(learningRate).floatValue(),
                conf.get(patience), conf.get(seed), conf.get(version));
    }
}
