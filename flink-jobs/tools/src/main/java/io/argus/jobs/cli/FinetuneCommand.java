package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.cli.LabelledClips.FileKind;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.models.PackageRef;
import io.argus.models.action.FineTuner;
import io.argus.models.audio.AudioFineTuner;
import io.argus.models.audio.AudioNetwork;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.pose.PoseActionNetwork;
import io.argus.models.pose.PoseEstimator;
import io.argus.models.pose.PoseFineTuner;
import io.argus.models.pose.PoseWindow;
import io.argus.models.pose.TrackWindow;
import io.argus.models.training.FineTuning;
import io.argus.operators.decode.DecodeLimits;
import io.argus.operators.decode.VideoSegmentDecoder;
import io.argus.operators.window.FrameWindower;
import io.argus.operators.window.WindowSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus finetune --base MODEL --data DIR --out DIR}: fine-tunes a CNN-LSTM action model or
 * a log-mel CNN audio model to the labels of a folder of clips (one subfolder per label), with a
 * frozen backbone. The base package's task decides whether the clips are read as video or sound.
 */
public final class FinetuneCommand {

    static final ConfigOption<String> BASE = key("base").stringType().defaultValue("bundled:action-cnn-lstm")
            .withDescription("The model package to start from: a directory or bundled:NAME, a CNN-LSTM action "
                    + "model (e.g. bundled:action-cnn-lstm), a pose action model (bundled:pose-action-lstm: its "
                    + "keypoint LSTM is retrained, its pose model kept) or a log-mel CNN audio model (e.g. "
                    + "bundled:audio-cnn). Its task decides what --data holds.");
    static final ConfigOption<String> DATA = key("data").stringType().noDefaultValue()
            .withDescription("Folder of labelled clips: one subfolder per label, named after it, at least 2 labels, "
                    + "each with at least 2 clips: " + FileKind.VIDEO + " for an action model, " + FileKind.AUDIO
                    + ", decoded by FFmpeg, for an audio model (required).");
    static final ConfigOption<String> FREEZE = key("freeze").stringType().defaultValue("all")
            .withDescription("What keeps the base's weights: all (every layer but the new head), or N: the first "
                    + "N layers of an action model's frame CNN (0 to 18), or the first N conv blocks of an audio "
                    + "model (0 to 4); 0 trains every weight, starting from the base's.");
    static final ConfigOption<Double> VALIDATION_FRACTION = key("validation-fraction").doubleType().defaultValue(0.25)
            .withDescription("Share of each label's clips held out for validation and early stopping (at least one "
                    + "clip per label; whole clips, so overlapping windows never straddle the split).");
    static final ConfigOption<Integer> STRIDE = key("stride").intType().defaultValue(8)
            .withDescription("Action models: frames between the starts of consecutive windows cut from a clip.");
    static final ConfigOption<String> NAME = key("name").stringType().noDefaultValue()
            .withDescription("Name written into the new package's manifest (default: action-finetuned, "
                    + "pose-action-finetuned or audio-finetuned, after the base).");

    static final TrainingOptions TRAINING = TrainingOptions.of("windows",
            "the validation split, the new head's weights and the shuffling",
            new TrainingOptions.Defaults(30, 8, 0.01, 5, 7L));

    private static final List<ConfigOption<?>> OPTIONS = TRAINING.after(BASE, DATA, TRAINING.out(), FREEZE,
            VALIDATION_FRACTION, STRIDE, AudioOptions.HOP, NAME);

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
                    "Fine-tunes an action model (video clips) or an audio model (audio files) to a new label set: "
                            + "decodes the clips of each label's folder into windows of the base model's input as "
                            + "the job cuts them, copies the base's weights, freezes the backbone, trains a new head "
                            + "(and whatever is not frozen) with a validation split and early stopping, and writes "
                            + "a package naming its base model, with its validation metrics (CPU, deterministic "
                            + "seeds).", OPTIONS);
            return null;
        }
        CommandLine.require(conf, DATA, TRAINING.out());
        double fraction = conf.get(VALIDATION_FRACTION);
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("option --validation-fraction: between 0 and 1, not " + fraction);
        }
        ModelPackage base = PackageRef.read(conf.get(BASE), ModelTrust.CALLER);
        ModelManifest m = base.manifest();
        Path data = Path.of(conf.get(DATA));
        FineTuning.Result result;
        if (PoseActionNetwork.ARCHITECTURE.equals(m.architecture()) && m.video() != null) {
            result = people(base, data, conf, out);
        } else if (DjlActionClassifier.TASK.equals(m.task()) && m.video() != null) {
            result = action(base, data, conf, out);
        } else if (DjlAudioClassifier.TASK.equals(m.task()) && m.audio() != null) {
            result = audio(base, data, conf, out);
        } else {
            throw new IllegalArgumentException("option --base: " + m.id() + " is a " + m.task()
                    + " model without its input spec; finetune takes an action or an audio model");
        }
        Path target = Path.of(conf.get(TRAINING.out()));
        result.pkg().writeTo(target);
        out.println("argus finetune: wrote " + result.pkg().manifest().id() + " (from " + m.id() + ") to " + target);
        return result.pkg();
    }

    private static FineTuning.Result action(ModelPackage base, Path data, Configuration conf, PrintStream out)
            throws IOException {
        int freeze = freeze(conf.get(FREEZE), FineTuner.frameCnnLayers(), "layers of the action model's frame CNN");
        InputSpec spec = base.manifest().video();
        List<String> labels = LabelledClips.labels(data);
        out.printf("base %s (%s); labels %s%n", base.manifest().id(), spec, labels);
        int stride = conf.get(STRIDE);
        LabelledClips.Split<FineTuner.Sample> split = LabelledClips.load(data, labels, FileKind.VIDEO,
                base.manifest().id() + " is an action model", f -> windows(f, spec, stride), FineTuner.Sample::new,
                conf.get(VALIDATION_FRACTION), conf.get(TRAINING.seed()), out);
        out.printf("%d training and %d validation windows%n", split.train().size(), split.validation().size());
        return new FineTuner(out).fineTune(base, split.train(), split.validation(),
                config(conf, labels, freeze, "action-finetuned"));
    }

    /**
     * A pose action model: every person the base's pose model follows in a label's clips is a
     * sample of that label (so each clip should show its action by everyone in view); the keypoint
     * LSTM's head is retrained, the pose model kept.
     */
    private static FineTuning.Result people(ModelPackage base, Path data, Configuration conf, PrintStream out)
            throws IOException {
        int freeze = freeze(conf.get(FREEZE), PoseFineTuner.units(),
                "units of the keypoint LSTM: 1 the per-slot dense layer, 2 that and the LSTM");
        InputSpec spec = base.manifest().video();
        List<String> labels = LabelledClips.labels(data);
        out.printf("base %s (%s); labels %s%n", base.manifest().id(), spec, labels);
        try (PoseEstimator estimator = PoseEstimator.load(base, ai.djl.Device.cpu())) {
            ClipPoses poses = new ClipPoses(estimator, spec,
                    ClipPoses.windowsFor(spec, VideoOptions.POSE_MIN_PERSON_SCORE.defaultValue().floatValue()));
            LabelledClips.Split<PoseFineTuner.Sample> split = LabelledClips.load(data, labels, FileKind.VIDEO,
                    base.manifest().id() + " is an action model", f -> tracks(poses.windows(f)),
                    PoseFineTuner.Sample::new, conf.get(VALIDATION_FRACTION), conf.get(TRAINING.seed()), out);
            out.printf("%d training and %d validation person tracks%n", split.train().size(),
                    split.validation().size());
            return new PoseFineTuner(out).fineTune(base, split.train(), split.validation(),
                    config(conf, labels, freeze, "pose-action-finetuned"));
        }
    }

    /** Every person's track in every window. */
    private static List<TrackWindow> tracks(List<PoseWindow> windows) {
        List<TrackWindow> tracks = new ArrayList<>();
        for (PoseWindow w : windows) {
            for (int t = 0; t < w.tracks(); t++) {
                tracks.add(w.track(t));
            }
        }
        return tracks;
    }

    private static FineTuning.Result audio(ModelPackage base, Path data, Configuration conf, PrintStream out)
            throws IOException {
        int freeze = freeze(conf.get(FREEZE), AudioNetwork.CONV_BLOCKS, "conv blocks of the audio model");
        SpectrogramSpec spec = base.manifest().audio();
        List<String> labels = LabelledClips.labels(data);
        out.printf("base %s (%s, a window every %d ms); labels %s%n", base.manifest().id(), spec,
                conf.get(AudioOptions.HOP).toMillis(), labels);
        AudioClipWindows cutter = new AudioClipWindows(spec, conf.get(AudioOptions.HOP));
        LabelledClips.Split<AudioFineTuner.Sample> split = LabelledClips.load(data, labels, FileKind.AUDIO,
                base.manifest().id() + " is an audio model", cutter::of, AudioFineTuner.Sample::new,
                conf.get(VALIDATION_FRACTION), conf.get(TRAINING.seed()), out);
        out.printf("%d training and %d validation windows%n", split.train().size(), split.validation().size());
        return new AudioFineTuner(out).fineTune(base, split.train(), split.validation(),
                config(conf, labels, freeze, "audio-finetuned"));
    }

    private static FineTuning.Config config(Configuration conf, List<String> labels, int freeze, String name) {
        TrainingOptions.Settings t = TRAINING.settings(conf);
        return new FineTuning.Config(labels, freeze, t.epochs(), t.batchSize(), t.learningRate(), t.patience(),
                t.seed(), conf.getOptional(NAME).orElse(name), t.version());
    }

    /** {@code all}, or a number of the base network's units from 0 to {@code units}. */
    static int freeze(String value, int units, String what) {
        if (value.equals("all")) {
            return FineTuning.FREEZE_ALL;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0 || n > units) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --freeze: all or 0 to " + units + " (" + what + "), not "
                    + value);
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
