package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.config.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

class TrainingOptionsTest {

    private static final TrainingOptions OPTIONS = TrainingOptions.of("clips", "the clips drawn",
            TrainingOptions.Defaults.of(30, 32, 0.002f, 10, 11L),
            new TrainingOptions.Otherwise("with a backbone", new TrainingOptions.Defaults(150, 32, 0.002, 15, 11L)));

    @Test
    void eachCommandGivesItsDefaultsAndTheHelpNamesTheOtherCase() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine.printHelp(new PrintStream(bytes, true, StandardCharsets.UTF_8), "u", "s",
                OPTIONS.after(OPTIONS.out()));
        String help = bytes.toString(StandardCharsets.UTF_8);
        assertThat(help).containsPattern("--epochs <int> +Most epochs.*\\(default 150 with a backbone\\)\\. "
                        + "\\(default: 30;")
                .containsPattern("--patience <int> +.*\\(default 15 with a backbone\\)\\. \\(default: 10;")
                .containsPattern("--batch-size <int> +Clips per training step\\. \\(default: 32;")
                .containsPattern("--learning-rate <number> +Adam learning rate\\. \\(default: 0.002;")
                .contains("Seed of the clips drawn. (default: 11)");
    }

    @Test
    void settingsAreTheValuesGivenOrTheDefaults() {
        List<ConfigOption<?>> options = OPTIONS.after(OPTIONS.out());
        TrainingOptions.Settings s = OPTIONS.settings(CommandLine.parse(
                new String[] {"--out", "x", "--epochs", "3", "--learning-rate", "0.5"}, options).config());
        assertThat(s).isEqualTo(new TrainingOptions.Settings(3, 32, 0.5f, 10, 11L, "1.0.0"));
        assertThat(options).containsExactly(OPTIONS.out(), OPTIONS.epochs(), OPTIONS.batchSize(),
                OPTIONS.learningRate(), OPTIONS.patience(), OPTIONS.seed(), OPTIONS.version());
    }
}
