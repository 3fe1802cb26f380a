package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.config.CommandLine;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** {@code argus generate-clip OUT.mkv}: writes the demo's synthetic clip. */
public final class GenerateClipCommand {

    public static final ConfigOption<Long> SEED = key("seed")
            .longType()
            .defaultValue(42L)
            .withDescription("Seed of the scene's texture and noise, and of the figure's build and clothes.");

    public static final ConfigOption<String> FIGURE = key("figure")
            .stringType()
            .defaultValue("person")
            .withDescription("person: a person with a body and clothes, whom the pose action model (the default) "
                    + "follows; stick: the stick figure the pixel action model (action-cnn-lstm) learned from.");

    public static final ConfigOption<Integer> REPEAT = key("repeat")
            .intType()
            .defaultValue(1)
            .withDescription("Times the 20 s script is played, one after the other (longer clips for load tests).");

    private GenerateClipCommand() {}

    public static void main(String[] args) throws Exception {
        List<ConfigOption<?>> options = List.of(SEED, FIGURE, REPEAT);
        CommandLine.Parsed parsed = CommandLine.parse(args, options, CommandLine.Arguments.upTo(1, "OUT.mkv"));
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus generate-clip OUT.mkv [--seed N]",
                    "Writes a 20 s Matroska clip (H.264 + PCM) of a figure that stands idle, walks, waves, runs "
                            + "and jumps, 4 s each, while the sound is silence, then speech, music, an alarm and noise.",
                    options);
            return;
        }
        if (parsed.positional().isEmpty()) {
            throw new IllegalArgumentException("give the file to write (see --help)");
        }
        Path out = Path.of(parsed.positional().get(0));
        Path dir = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no such directory: " + dir + " (create it first)");
        }
        long seed = parsed.config().get(SEED);
        SyntheticClip clip = switch (parsed.config().get(FIGURE)) {
            case "person" -> SyntheticClip.withPeople(seed);
            case "stick" -> SyntheticClip.standard(seed);
            default -> throw new IllegalArgumentException("option --figure: person or stick, not "
                    + parsed.config().get(FIGURE));
        };
        List<SyntheticClip.Phase> script = new java.util.ArrayList<>();
        for (int i = 0; i < parsed.config().get(REPEAT); i++) {
            script.addAll(SyntheticClip.DEMO_SCRIPT);
        }
        clip.write(out, script);
        System.out.println("argus generate-clip: wrote " + out);
    }
}
