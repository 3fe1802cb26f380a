package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.config.CommandLine;
import io.argus.models.audio.AudioLabels;
import io.argus.models.audio.AudioTrainer;
import io.argus.models.audio.HeldOutClips;
import io.argus.models.input.SpectrogramSpec;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus export-audio-clips --data DIR --out DIR}: writes a fixed sample of the held-out
 * test clips per label as WAV, the files the accuracy test and the audio end-to-end test use.
 */
public final class ExportAudioClipsCommand {

    static final ConfigOption<String> DATA = key("data").stringType().noDefaultValue()
            .withDescription("Dataset directory written by models/audio-data/build_dataset.py (required).");
    static final ConfigOption<String> OUT = key("out").stringType().noDefaultValue()
            .withDescription("Directory the <label>.wav files are written to (required).");
    static final ConfigOption<Integer> PER_LABEL = key("per-label").intType().defaultValue(60)
            .withDescription("One-second clips per label.");
    static final ConfigOption<Integer> TEST_FOLD = key("test-fold").intType().defaultValue(0)
            .withDescription("Leave-packages-out fold whose packages the clips are cut from (the test fold of the "
                    + "model the tests will check).");
    static final ConfigOption<Long> SEED = key("seed").longType().defaultValue(11L)
            .withDescription("Seed of the generated near-silence (the training command's --seed).");

    private static final List<ConfigOption<?>> OPTIONS = List.of(DATA, OUT, PER_LABEL, TEST_FOLD, SEED);

    private ExportAudioClipsCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        Configuration conf = parsed.config();
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus export-audio-clips --data DIR --out DIR [options]",
                    "Writes one-second clips of the held-out test packages, spread over them, as one 16 kHz WAV "
                            + "per label.", OPTIONS);
            return;
        }
        CommandLine.require(conf, DATA, OUT);
        SpectrogramSpec spec = SpectrogramSpec.defaults();
        List<Integer> counts = HeldOutClips.export(
                AudioTrainer.heldOut(Path.of(conf.get(DATA)), spec, conf.get(TEST_FOLD), conf.get(SEED)), spec.sampleRate(),
                spec.windowSamples(), conf.get(PER_LABEL), Path.of(conf.get(OUT)));
        System.out.println("argus export-audio-clips: " + AudioLabels.ALL + " " + counts + " clips to "
                + conf.get(OUT));
    }
}
