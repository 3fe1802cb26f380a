package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.models.PackageRef;
import io.argus.models.action.FineTuner;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import io.argus.operators.decode.DecodeLimits;
import io.argus.operators.decode.VideoSegmentDecoder;
import io.argus.operators.window.FrameWindower;
import io.argus.operators.window.WindowSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus finetune --base MODEL --data DIR --out DIR}: fine-tunes a CNN-LSTM action model to
 * the labels of a folder of clips (one subfolder per label), with a frozen backbone.
 */
public final class FinetuneCommand {

    /** Video files the command reads from a label's folder. */
    static final List<String> VIDEO_EXTENSIONS = List.of(".mkv", ".mp4", ".webm", ".mov", ".avi");

    static final ConfigOption<String> BASE = key("base").stringType().defaultValue("bundled:action-cnn-lstm")
            .withDescription("The action model package to start from: a directory or bundled:NAME (a CNN-LSTM "
                    + "action model).");
    static final ConfigOption<String> DATA = key("data").stringType().noDefaultValue()
            .withDescription("Folder of labelled clips: one subfolder per label, named after it, holding video "
                    + "files (.mkv, .mp4, .webm, .mov, .avi) (required).");
    static final ConfigOption<String> OUT = key("out").stringType().noDefaultValue()
            .withDescription("Directory the new model package is written to (required).");
    static final ConfigOption<String> FREEZE = key("freeze").stringType().defaultValue("all")
            .withDescription("What keeps the base's weights: all (every layer but the new head), or N, the first N "
                    + "layers of the frame CNN (0 to 18; 0 trains every weight, starting from the base's).");
    static final ConfigOption<Double> VALIDATION_FRACTION = key("validation-fraction").doubleType().defaultValue(0.25)
            .withDescription("Share of each label's clips held out for validation and early stopping (at least one "
                    + "clip per label; whole clips, so overlapping windows never straddle the split).");
    static final ConfigOption<Integer> STRIDE = key("stride").intType().defaultValue(8)
            .withDescription("Frames between the starts of consecutive windows cut from a clip.");
    static final ConfigOption<Integer> EPOCHS = key("epochs").intType().defaultValue(30)
            .withDescription("Most epochs; training stops early when validation macro-F1 stops improving.");
    static final ConfigOption<Integer> BATCH = key("batch-size").intType().defaultValue(8)
            .withDescription("Windows per training step.");
    static final ConfigOption<Double> LEARNING_RATE = key("learning-rate").doubleType().defaultValue(0.01)
            .withDescription("Adam learning rate.");
    static final ConfigOption<Integer> PATIENCE = key("patience").intType().defaultValue(5)
            .withDescription("Epochs without improvement before stopping.");
    static final ConfigOption<Long> SEED = key("seed").longType().defaultValue(7L)
            .withDescription("Seed of the validation split, the new head's weights and the shuffling.");
    static final ConfigOption<String> NAME = key("name").stringType().defaultValue("action-finetuned")
            .withDescription("Name written into the new package's manifest.");
    static final ConfigOption<String> VERSION = key("version").stringType().defaultValue("1.0.0")
            .withDescription("Version written into the new package's manifest.");

    private static final List<ConfigOption<?>> OPTIONS = List.of(BASE, DATA, OUT, FREEZE, VALIDATION_FRACTION, STRIDE,
            EPOCHS, BATCH, LEARNING_RATE, PATIENCE, SEED, NAME, VERSION);

    /** The windows of one clip. */
    record Clip(Path file, int label, List<FrameWindow> windows) {}

    private FinetuneCommand() {}

    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    /** Runs the command; returns the package written, or null for {@code --help}. */
    static ModelPackage run(String[] args, PrintStream out) throws IOException {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        Configuration conf = parsed.config();
        if (parsed.help()) {
            CommandLine.printHelp(out, "argus finetune --base MODEL --data DIR --out DIR [options]",
                    "Fine-tunes a CNN-LSTM action model to a new label set: decodes the clips of each label's "
                            + "folder into windows of the base model's input, copies the base's weights, freezes "
                            + "the backbone, trains a new head (and whatever is not frozen) with a validation "
                            + "split and early stopping, and writes a package naming its base model, with its "
                            + "validation metrics (CPU, deterministic seeds).", OPTIONS);
            return null;
        }
        CommandLine.require(conf, DATA, OUT);
        int freeze = freeze(conf.get(FREEZE));
        double fraction = conf.get(VALIDATION_FRACTION);
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("option --validation-fraction: between 0 and 1, not " + fraction);
        }
        ModelPackage base = PackageRef.read(conf.get(BASE), ModelTrust.CALLER);
        InputSpec spec = base.manifest().video();
        if (spec == null) {
            throw new IllegalArgumentException("option --base: " + base.manifest().id() + " is a "
                    + base.manifest().task() + " model, not an action model");
        }
        Path data = Path.of(conf.get(DATA));
        List<String> labels = labels(data);
        out.printf("base %s (%s); labels %s%n", base.manifest().id(), spec, labels);

        List<FineTuner.Sample> train = new ArrayList<>();
        List<FineTuner.Sample> validation = new ArrayList<>();
        Random split = new Random(conf.get(SEED));
        for (int label = 0; label < labels.size(); label++) {
            List<Path> files = clips(data.resolve(labels.get(label)));
            if (files.size() < 2) {
                throw new IllegalArgumentException("option --data: label " + labels.get(label) + " has "
                        + files.size() + " clip(s); each label needs at least 2 (one is held out for validation)");
            }
            List<Clip> clips = new ArrayList<>();
            for (Path f : files) {
                long t0 = System.nanoTime();
                Clip clip = new Clip(f, label, windows(f, spec, conf.get(STRIDE)));
                out.printf(Locale.ROOT, "  %s/%s: %d windows (%.1f s)%n", labels.get(label), f.getFileName(),
                        clip.windows().size(), (System.nanoTime() - t0) / 1e9);
                clips.add(clip);
            }
            Collections.shuffle(clips, split);
            int held = Math.max(1, (int) Math.round(fraction * clips.size()));
            for (int i = 0; i < clips.size(); i++) {
                for (FrameWindow w : clips.get(i).windows()) {
                    (i < held ? validation : train).add(new FineTuner.Sample(w, label));
                }
            }
        }
        out.printf("%d training and %d validation windows%n", train.size(), validation.size());
        FineTuner.Config c = new FineTuner.Config(labels, freeze, conf.get(EPOCHS), conf.get(BATCH),
                conf.get(LEARNING_RATE).floatValue(), conf.get(PATIENCE), conf.get(SEED), conf.get(NAME),
                conf.get(VERSION));
        FineTuner.Result result = new FineTuner(out).fineTune(base, train, validation, c);
        Path target = Path.of(conf.get(OUT));
        result.pkg().writeTo(target);
        out.println("argus finetune: wrote " + result.pkg().manifest().id() + " (from " + base.manifest().id()
                + ") to " + target);
        return result.pkg();
    }

    static int freeze(String value) {
        if (value.equals("all")) {
            return FineTuner.FREEZE_ALL;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0 || n > FineTuner.frameCnnLayers()) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --freeze: all or 0 to " + FineTuner.frameCnnLayers()
                    + ", not " + value);
        }
    }

    /** The label folders, in name order. */
    static List<String> labels(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("option --data: " + data + " is not a directory");
        }
        try (Stream<Path> s = Files.list(data)) {
            List<String> labels = s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
            if (labels.size() < 2) {
                throw new IllegalArgumentException("option --data: " + data + " needs a subfolder per label, at "
                        + "least 2; found " + labels);
            }
            return labels;
        }
    }

    private static List<Path> clips(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> VIDEO_EXTENSIONS.stream()
                    .anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e))).sorted().toList();
        }
    }

    /** A clip decoded as the job decodes a stream: segments, frames at the model's size, windows. */
    static List<FrameWindow> windows(Path clip, InputSpec spec, int stride) throws IOException {
        List<MediaRecord> segments = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, clip.getFileName().toString(), 0, segments::add, null);
        VideoSegmentDecoder decoder = new VideoSegmentDecoder(spec.width(), spec.height(), spec.channels(),
                DecodeLimits.DEFAULT);
        FrameWindower windower = new FrameWindower(new WindowSpec(spec.frames(), stride, spec.fps(), 2000));
        List<FrameWindow> windows = new ArrayList<>();
        for (MediaRecord r : segments) {
            try {
                decoder.decode(r).forEach(f -> windower.add(f, windows::add));
            } catch (io.argus.operators.decode.DecodeException e) {
                throw new IOException("cannot decode " + clip + ": " + e.getMessage(), e);
            }
        }
        return windows;
    }
}
