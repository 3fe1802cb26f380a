package io.argus.models.action;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.argus.models.admission.GoldenSets;
import io.argus.models.admission.ModelKind;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.inference.DjlTransferActionClassifier;
import io.argus.models.inference.FrameWindowTranslator;
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
 * Trains the CNN-LSTM action classifier from scratch on rendered scenes, with a validation set
 * of other seeds, early stopping on validation macro-F1, and deterministic seeds; returns a model
 * package holding the best epoch's weights, its validation scores and a golden set chosen from
 * held-out scenes ({@link HeldOutScenes}).
 */
public final class ActionTrainer {

    /** Backdrop families used for training and validation; {@link Backdrop#TILES} is held out. */
    public static final List<Backdrop> TRAINING_BACKDROPS =
            List.of(Backdrop.PLAIN, Backdrop.GRADIENT_BLOCKS, Backdrop.VALUE_NOISE);

    /**
     * Settings of one training run.
     *
     * @param backbone TorchScript of a frozen pretrained frame backbone for transfer learning, or
     *     null to train the small CNN-LSTM from scratch
     */
    public record Config(InputSpec spec, int trainPerClass, int validationPerClass, int epochs, int batchSize,
            float learningRate, int patience, long seed, String name, String version, byte[] backbone) {

        /** The from-scratch CNN-LSTM on 64x64 grey frames. */
        public static Config defaults() {
            return new Config(new InputSpec(16, 8, 64, 64, 1), 600, 100, 15, 16, 0.002f, 3, 7, "action-cnn-lstm",
                    "1.0.0", null);
        }

        /** The transfer-learning model: a frozen MobileNetV2 on 96x96 RGB frames, an LSTM head. */
        public static Config transfer(byte[] backbone) {
            return new Config(new InputSpec(16, 8, 96, 96, 3), 600, 100, 150, 32, 0.002f, 15, 7,
                    "action-mobilenet-lstm", "1.0.0", backbone);
        }
    }

    /** The trained package and its scores on the validation set. */
    public record Result(ModelPackage pkg, ConfusionMatrix validation) {}

    private final PrintStream progress;

    public ActionTrainer(PrintStream progress) {
        this.progress = progress;
    }

    public Result train(Config c) throws IOException {
        DjlRuntime.pytorch();
        Engine.getInstance().setRandomSeed((int) c.seed());
        long started = System.nanoTime();
        progress.printf("rendering %d training and %d validation windows (%s)...%n",
                c.trainPerClass() * Action.values().length, c.validationPerClass() * Action.values().length, c.spec());
        ActionDataset train = ActionDataset.render(c.spec(), c.trainPerClass(), TRAINING_BACKDROPS, c.seed());
        ActionDataset validation = ActionDataset.render(c.spec(), c.validationPerClass(), TRAINING_BACKDROPS,
                c.seed() + 1);
        progress.printf("rendered in %.1f s%n", (System.nanoTime() - started) / 1e9);

        List<String> labels = Action.labels();
        FrameWindowTranslator translator = new FrameWindowTranslator(c.spec(), labels);
        try (Model model = Model.newInstance(c.name(), Device.cpu(), DjlRuntime.ENGINE);
                Inputs inputs = c.backbone() == null ? new PixelInputs(translator)
                        : FeatureInputs.extract(c.backbone(), translator, progress, train, validation)) {
            model.setBlock(c.backbone() == null ? ActionNetwork.build(c.spec(), labels.size())
                    : TransferActionNetwork.head(labels.size(), c.spec().frames()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(c.learningRate())).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(inputs.shape(c.spec(), c.batchSize()));
                Random shuffle = new Random(c.seed());
                TrainingLoop.Result<ConfusionMatrix> best = TrainingLoop.onMacroF1(c.epochs(), c.patience(), progress)
                        .run(() -> Epochs.train(trainer, train.size(), train::label, batches(inputs, train),
                                        c.batchSize(), shuffle),
                                () -> evaluate(model, inputs, validation, labels),
                                () -> Epochs.weights(model));
                progress.println("validation (best epoch):");
                progress.println(best.validation());
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put(ModelPackage.WEIGHTS, best.weights());
                if (c.backbone() != null) {
                    files.put(DjlTransferActionClassifier.BACKBONE, c.backbone());
                }
                ModelPackage pkg = ModelPackage.create(manifest(c, train, validation, best.validation()), files);
                progress.println("choosing the golden set from held-out scenes...");
                pkg = GoldenSets.add(pkg, ModelKind.ACTION, HeldOutScenes.candidates(c.spec(),
                        HeldOutScenes.GOLDEN_CANDIDATES_PER_LABEL, HeldOutScenes.SEED), GoldenSets.Options.defaults(),
                        HeldOutScenes.goldenSource(HeldOutScenes.SEED));
                return new Result(pkg, best.validation());
            }
        }
    }

    private static ModelManifest manifest(Config c, ActionDataset train, ActionDataset validation,
            ConfusionMatrix scores) {
        boolean transfer = c.backbone() != null;
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", "rendered stick-figure scenes (io.argus.models.action.ActionScene) on backdrops "
                + TRAINING_BACKDROPS + "; TILES held out for evaluation");
        training.put("command", transfer ? "bin/argus train-action --backbone mobilenetv2 --out <dir>"
                : "bin/argus train-action --out <dir>");
        if (transfer) {
            training.put("backbone", "frozen " + FrameBackbone.MOBILENETV2_BLOCK10
                    + " (MobileNetV2 to block_10, ImageNet weights, from nsfwjs 4.3.0; models/pretrained/"
                    + "mobilenetv2_block10.pt)");
        }
        training.put("seed", c.seed());
        training.put("trainSamples", train.size());
        training.put("validationSamples", validation.size());
        training.put("maxEpochs", c.epochs());
        training.put("batchSize", c.batchSize());
        training.put("learningRate", c.learningRate());
        return new ModelManifest(ModelPackage.FORMAT, c.name(), c.version(), DjlActionClassifier.TASK,
                transfer ? TransferActionNetwork.ARCHITECTURE : ActionNetwork.ARCHITECTURE, Action.labels(), c.spec(), null,
                transfer ? FrameBackbone.MOBILENETV2_BLOCK10 : null, training, Map.of("validation", scores.summary()),
                null);
    }

    /** Scores a network on a dataset in inference mode. */
    static ConfusionMatrix evaluate(Model model, Inputs inputs, ActionDataset data, List<String> labels) {
        return Epochs.evaluate(model, data.size(), data::label, batches(inputs, data), 32, labels);
    }

    private static Epochs.Batches batches(Inputs inputs, ActionDataset data) {
        return (scope, order, from, to) -> inputs.batch(scope, data, order, from, to);
    }

    /** How a batch of a dataset becomes the network's input. */
    interface Inputs extends AutoCloseable {
        Shape shape(InputSpec spec, int batchSize);

        NDArray batch(NDManager scope, ActionDataset data, int[] order, int from, int to);

        @Override
        default void close() {}
    }

    /** Pixels: the from-scratch network sees the frames. */
    private record PixelInputs(FrameWindowTranslator translator) implements Inputs {
        @Override
        public Shape shape(InputSpec s, int batchSize) {
            return new Shape(batchSize, s.frames(), s.channels(), s.height(), s.width());
        }

        @Override
        public NDArray batch(NDManager scope, ActionDataset data, int[] order, int from, int to) {
            return translator.batch(scope, data.batch(order, from, to), to - from);
        }
    }

    /** Features of the frozen backbone, computed once per window before training. */
    private static final class FeatureInputs implements Inputs {
        private final java.util.Map<ActionDataset, float[][]> features = new java.util.IdentityHashMap<>();
        private final int frames;
        private final int width;

        private FeatureInputs(int frames, int width) {
            this.frames = frames;
            this.width = width;
        }

        static FeatureInputs extract(byte[] backboneScript, FrameWindowTranslator translator, PrintStream progress,
                ActionDataset... sets) throws IOException {
            try (FrameBackbone backbone = FrameBackbone.load(backboneScript, Device.cpu());
                    NDManager manager = NDManager.newBaseManager(Device.cpu(), DjlRuntime.ENGINE)) {
                FeatureInputs inputs = null;
                for (ActionDataset set : sets) {
                    long t0 = System.nanoTime();
                    float[][] f = new float[set.size()][];
                    int[] order = new int[set.size()];
                    for (int i = 0; i < order.length; i++) {
                        order[i] = i;
                    }
                    for (int from = 0; from < set.size(); from += 8) {
                        int to = Math.min(set.size(), from + 8);
                        try (NDManager scope = manager.newSubManager()) {
                            NDArray x = translator.batch(scope, set.batch(order, from, to), to - from);
                            NDArray feats = DjlTransferActionClassifier.windowFeatures(backbone, x);
                            if (inputs == null) {
                                inputs = new FeatureInputs((int) feats.getShape().get(1), (int) feats.getShape().get(2));
                            }
                            for (int i = from; i < to; i++) {
                                f[i] = feats.get(i - from).toFloatArray();
                            }
                        }
                    }
                    inputs.features.put(set, f);
                    progress.printf(Locale.ROOT, "backbone features of %d windows in %.0f s%n", set.size(),
                            (System.nanoTime() - t0) / 1e9);
                }
                return inputs;
            }
        }

        @Override
        public Shape shape(InputSpec s, int batchSize) {
            return new Shape(batchSize, frames, width);
        }

        @Override
        public NDArray batch(NDManager scope, ActionDataset data, int[] order, int from, int to) {
            float[][] f = features.get(data);
            float[] flat = new float[(to - from) * frames * width];
            for (int i = from; i < to; i++) {
                System.arraycopy(f[order[i]], 0, flat, (i - from) * frames * width, frames * width);
            }
            return scope.create(flat, new Shape(to - from, frames, width));
        }
    }
}
