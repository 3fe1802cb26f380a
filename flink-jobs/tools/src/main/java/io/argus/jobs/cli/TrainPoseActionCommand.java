package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import ai.djl.Device;
import io.argus.jobs.config.CommandLine;
import io.argus.models.action.Action;
import io.argus.models.input.InputSpec;
import io.argus.models.pose.PoseActionDataset;
import io.argus.models.pose.PoseActionTrainer;
import io.argus.models.pose.PoseEstimator;
import io.argus.models.pose.PoseWindow;
import io.argus.models.pose.TrackWindow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus train-pose-action --out DIR}: trains the keypoint LSTM that classifies the people a
 * pose model follows, on synthetic keypoint tracks and, with {@code --real DIR}, on the tracks the
 * pose model finds in real footage; packages it with the pose model.
 */
public final class TrainPoseActionCommand {

    static final ConfigOption<String> POSE_MODEL = key("pose-model").stringType()
            .defaultValue("models/pretrained/movenet/movenet_multipose_lightning.pt")
            .withDescription("TorchScript of the pose model (made by models/pretrained/movenet/convert_movenet.py).");
    static final ConfigOption<Integer> WIDTH = key("input-width").intType().defaultValue(384)
            .withDescription("Width the pose model reads frames at (a multiple of 32); pictures are letterboxed.");
    static final ConfigOption<Integer> HEIGHT = key("input-height").intType().defaultValue(288)
            .withDescription("Height the pose model reads frames at (a multiple of 32).");
    static final ConfigOption<Double> FPS = key("fps").doubleType().defaultValue(3.0)
            .withDescription("Frames per second the pose model sees of each stream.");
    static final ConfigOption<Integer> FRAMES = key("window-frames").intType().defaultValue(6)
            .withDescription("Frames (at --fps) in one window the LSTM classifies.");
    static final ConfigOption<String> REAL = key("real").stringType().noDefaultValue()
            .withDescription("Folder of real footage to train on too: one subfolder per action (walking, running, "
                    + "waving, jumping, idle) of video files. In walking and running footage a track counts as that "
                    + "action only when it moves at least --min-moving-speed, and as idle when it moves at most "
                    + "--max-still-speed (people standing in a street); tracks in between are left out.");
    static final ConfigOption<Double> VALIDATION_SHARE = key("real-validation-share").doubleType().defaultValue(0.34)
            .withDescription("The last share of every real recording's time, held out for validation.");
    static final ConfigOption<Double> MIN_MOVING = key("min-moving-speed").doubleType().defaultValue(0.35)
            .withDescription("Body heights per second a person in walking or running footage must move to count "
                    + "as walking or running.");
    static final ConfigOption<Double> MAX_STILL = key("max-still-speed").doubleType().defaultValue(0.1)
            .withDescription("Body heights per second below which a person in walking or running footage counts "
                    + "as idle.");
    static final ConfigOption<Integer> REAL_REPEATS = key("real-repeats").intType().defaultValue(10)
            .withDescription("Times each real training track is seen per epoch (they are few beside the synthetic"
                    + " ones).");
    static final ConfigOption<Integer> PER_CLASS = key("per-class").intType().defaultValue(3000)
            .withDescription("Synthetic training tracks per action.");
    static final ConfigOption<Integer> VALIDATION_PER_CLASS = key("validation-per-class").intType().defaultValue(600)
            .withDescription("Synthetic validation tracks per action (other seeds).");

    /** People scored lower by the pose model are left out, as the job leaves them out by default. */
    static final float MIN_PERSON_SCORE = 0.2f;

    static final TrainingOptions TRAINING;

    static {
        PoseActionTrainer.Config c = PoseActionTrainer.Config.defaults(null);
        TRAINING = TrainingOptions.of("tracks", "the synthetic data, the initial weights and the shuffling",
                TrainingOptions.Defaults.of(c.epochs(), c.batchSize(), c.learningRate(), c.patience(), c.seed()));
    }

    private static final List<ConfigOption<?>> OPTIONS = TRAINING.after(TRAINING.out(), POSE_MODEL, WIDTH, HEIGHT, FPS,
            FRAMES, REAL, VALIDATION_SHARE, MIN_MOVING, MAX_STILL, REAL_REPEATS, PER_CLASS, VALIDATION_PER_CLASS);

    private TrainPoseActionCommand() {}

    public static void main(String[] args) throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        Configuration conf = parsed.config();
        if (parsed.help()) {
            CommandLine.printHelp(System.out, "argus train-pose-action --out DIR [--real DIR] [options]",
                    "Trains the keypoint LSTM of the pose action model (walking, running, waving, jumping, idle per "
                            + "person) on synthetic keypoint tracks of 3D bodies seen through random cameras, and on "
                            + "the tracks the pose model finds in real footage when --real is given; writes a package "
                            + "holding the pose model and the LSTM (CPU, deterministic seeds).",
                    OPTIONS);
            return;
        }
        CommandLine.require(conf, TRAINING.out());
        byte[] pose = readPoseModel(conf.get(POSE_MODEL));
        int width = conf.get(WIDTH);
        int height = conf.get(HEIGHT);
        if (width % 32 != 0 || height % 32 != 0 || width < 128 || height < 128 || width > 640 || height > 640) {
            throw new IllegalArgumentException("options --input-width and --input-height: multiples of 32 from 128 to "
                    + "640, not " + width + "x" + height);
        }
        InputSpec spec = new InputSpec(conf.get(FRAMES), conf.get(FPS), height, width, 3);
        PoseActionTrainer.Config base = PoseActionTrainer.Config.defaults(pose);
        PoseActionDataset realTrain = null;
        PoseActionDataset realValidation = null;
        String realData = null;
        if (conf.contains(REAL)) {
            realTrain = new PoseActionDataset(spec.frames());
            realValidation = new PoseActionDataset(spec.frames());
            realData = readReal(Path.of(conf.get(REAL)), pose, spec, conf, realTrain, realValidation, System.out);
        }
        TrainingOptions.Settings t = TRAINING.settings(conf);
        PoseActionTrainer.Config c = new PoseActionTrainer.Config(spec, conf.get(PER_CLASS),
                conf.get(VALIDATION_PER_CLASS), t.epochs(), t.batchSize(), t.learningRate(), t.patience(), t.seed(),
                base.name(), t.version(), pose, base.noise(), realTrain, realValidation, realData,
                conf.get(REAL_REPEATS));
        PoseActionTrainer.Result result = new PoseActionTrainer(System.out).train(c);
        Path out = Path.of(conf.get(TRAINING.out()));
        result.pkg().writeTo(out);
        System.out.println("argus train-pose-action: wrote " + result.pkg().manifest().id() + " to " + out);
    }

    /**
     * The people the pose model follows in each labelled recording, split by time into training and
     * validation tracks; returns a description of the data for the manifest.
     */
    static String readReal(Path dir, byte[] pose, InputSpec spec, Configuration conf, PoseActionDataset train,
            PoseActionDataset validation, PrintStream progress) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("option --real: no such folder " + dir);
        }
        double share = conf.get(VALIDATION_SHARE);
        StringBuilder described = new StringBuilder();
        try (PoseEstimator estimator = PoseEstimator.load(pose, Device.cpu())) {
            ClipPoses poses = new ClipPoses(estimator, spec, ClipPoses.windowsFor(spec, MIN_PERSON_SCORE));
            for (Action action : Action.values()) {
                Path folder = dir.resolve(action.label());
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                List<Path> clips;
                try (Stream<Path> files = Files.list(folder)) {
                    clips = files.filter(f -> LabelledClips.FileKind.VIDEO.matches(f)).sorted().toList();
                }
                for (Path clip : clips) {
                    long t0 = System.nanoTime();
                    List<PoseWindow> windows = poses.windows(clip);
                    if (windows.isEmpty()) {
                        progress.println("  " + clip.getFileName() + ": no windows, left out");
                        continue;
                    }
                    long first = windows.get(0).startMs;
                    long last = windows.get(windows.size() - 1).endMs;
                    long cut = first + Math.round((last - first) * (1 - share));
                    int[] counts = new int[Action.values().length];
                    int dropped = 0;
                    for (PoseWindow w : windows) {
                        PoseActionDataset into = w.endMs <= cut ? train : w.startMs >= cut ? validation : null;
                        if (into == null) {
                            continue; // a window across the cut would put the same moments in both sets
                        }
                        for (int t = 0; t < w.tracks(); t++) {
                            TrackWindow track = w.track(t);
                            Action label = label(action, track.bodyHeightsPerSecond(spec.fps()), conf);
                            if (label == null) {
                                dropped++;
                                continue;
                            }
                            into.add(track, label.ordinal());
                            counts[label.ordinal()]++;
                        }
                    }
                    String line = String.format(Locale.ROOT, "%s/%s: %d windows, tracks %s, %d left out as neither "
                            + "moving nor still, first %.0f%% of the time for training (%.0f s)", action.label(),
                            clip.getFileName(), windows.size(), counted(counts), dropped, 100 * (1 - share),
                            (System.nanoTime() - t0) / 1e9);
                    progress.println("  " + line);
                    described.append(described.length() == 0 ? "" : "; ").append(action.label()).append('/')
                            .append(clip.getFileName());
                }
            }
        }
        progress.printf("real tracks: %d for training, %d for validation%n", train.size(), validation.size());
        return described.toString();
    }

    /** What a track of footage labelled {@code folder} counts as, or null when it is left out. */
    private static Action label(Action folder, double speed, Configuration conf) {
        if (folder != Action.WALKING && folder != Action.RUNNING) {
            return folder;
        }
        if (speed >= conf.get(MIN_MOVING)) {
            return folder;
        }
        return speed <= conf.get(MAX_STILL) ? Action.IDLE : null;
    }

    private static String counted(int[] counts) {
        StringBuilder s = new StringBuilder();
        for (Action a : Action.values()) {
            if (counts[a.ordinal()] > 0) {
                s.append(s.length() == 0 ? "" : ", ").append(a.label()).append(' ').append(counts[a.ordinal()]);
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    private static byte[] readPoseModel(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("option --pose-model: cannot read " + file + " (" + e.getMessage()
                    + "); run models/pretrained/movenet/convert_movenet.py", e);
        }
    }
}
