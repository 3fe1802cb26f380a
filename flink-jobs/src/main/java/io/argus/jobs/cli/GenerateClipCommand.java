package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.replay.SyntheticClip;
import io.argus.jobs.config.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** {@code argus generate-clip OUT.mkv}: writes the demo's synthetic clip. */
public final class GenerateClipCommand {

    public static final ConfigOption<Long> SEED = key("seed")
            .longType()
            .defaultValue(42L)
            .withDescription("Seed of the scene's texture and noise.");

    private GenerateClipCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, List.of(SEED));
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus generate-clip OUT.mkv [--seed N]",
                    "Writes a 20 s Matroska clip (H.264 + PCM) of a figure that stands idle, walks, waves, runs "
                            + "and jumps, 4 s each, while the sound is silence, then speech, music, an alarm and noise.",
                    List.of(SEED));
            return;
        }
        if (parsed.positional().size() != 1) {
            throw new IllegalArgumentException("give exactly one file to write (see --help)");
        }
        Path out = Path.of(parsed.positional().get(0));
        Path dir = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no such directory: " + dir + " (create it first)");
        }
        SyntheticClip.standard(parsed.config().get(SEED)).write(out, SyntheticClip.DEMO_SCRIPT);
        System.out.println("argus generate-clip: wrote " + out);
    }
}
