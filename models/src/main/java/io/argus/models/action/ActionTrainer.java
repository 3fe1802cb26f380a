package io.argus.models.action;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.inference.FrameWindowTranslator;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
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
 * package holding the best epoch's weights and its validation scores.
 */
public final class ActionTrainer {

    /** Backdrop families used for training and validation; {@link Backdrop#TILES} is held out. */
    public static final List<Backdrop> TRAINING_BACKDROPS =
            List.of(Backdrop.PLAIN, Backdrop.GRADIENT_BLOCKS, Backdrop.VALUE_NOISE);

    /** Settings of one training run. */
    public record Config(InputSpec spec, int trainPerClass, int validationPerClass, int epochs, int batchSize,
            float learningRate, int patience, long seed, String name, String version) {

        public static Config defaults() {
            return new Config(new InputSpec(16, 8, 64, 64, 1), 600, 100, 15, 16, 0.002f, 3, 7, "action-cnn-lstm",
                    "1.0.0");
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
        try (Model model = Model.newInstance(c.name(), Device.cpu(), DjlRuntime.ENGINE)) {
            model.setBlock(ActionNetwork.build(c.spec(), labels.size()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(c.learningRate())).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                InputSpec s = c.spec();
                trainer.initialize(new Shape(c.batchSize(), s.frames(), s.channels(), s.height(), s.width()));
                byte[] best = null;
                ConfusionMatrix bestScores = null;
                int sinceBest = 0;
                Random shuffle = new Random(c.seed());
                for (int epoch = 1; epoch <= c.epochs() && sinceBest < c.patience(); epoch++) {
                    long t0 = System.nanoTime();
                    double loss = epoch(trainer, translator, train, c.batchSize(), shuffle);
                    ConfusionMatrix scores = evaluate(model, translator, validation, labels);
                    boolean improved = bestScores == null || scores.macroF1() > bestScores.macroF1();
                    if (improved) {
                        best = parameters(model);
                        bestScores = scores;
                        sinceBest = 0;
                    } else {
                        sinceBest++;
                    }
                    progress.printf(Locale.ROOT, "epoch %d/%d: loss %.4f, validation accuracy %.3f, macro-F1 %.3f%s (%.0f s)%n",
                            epoch, c.epochs(), loss, scores.accuracy(), scores.macroF1(), improved ? " (best)" : "",
                            (System.nanoTime() - t0) / 1e9);
                }
                progress.println("validation (best epoch):");
                progress.println(bestScores);
                return new Result(ModelPackage.create(manifest(c, train, validation, bestScores), best), bestScores);
            }
        }
    }

    private double epoch(Trainer trainer, FrameWindowTranslator translator, ActionDataset data, int batchSize,
            Random shuffle) {
        int[] order = shuffled(data.size(), shuffle);
        double lossSum = 0;
        int batches = 0;
        for (int from = 0; from + batchSize <= order.length; from += batchSize) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = translator.batch(scope, data.batch(order, from, from + batchSize), batchSize);
                int[] y = new int[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    y[i] = data.label(order[from + i]);
                }
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(scope.create(y)), new NDList(logits));
                    gc.backward(loss);
                    lossSum += loss.getFloat();
                }
                trainer.step();
                batches++;
            }
        }
        return lossSum / Math.max(1, batches);
    }

    /** Scores a network on a dataset in inference mode. */
    static ConfusionMatrix evaluate(Model model, FrameWindowTranslator translator, ActionDataset data,
            List<String> labels) {
        ConfusionMatrix cm = new ConfusionMatrix(labels);
        int[] order = shuffled(data.size(), null);
        int batch = 32;
        for (int from = 0; from < order.length; from += batch) {
            int to = Math.min(order.length, from + batch);
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray x = translator.batch(scope, data.batch(order, from, to), to - from);
                NDArray logits = model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false)
                        .singletonOrThrow();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = from; i < to; i++) {
                    cm.add(data.label(order[i]), (int) predicted[i - from]);
                }
            }
        }
        return cm;
    }

    private static byte[] parameters(Model model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.getBlock().saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (random != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    private static ModelManifest manifest(Config c, ActionDataset train, ActionDataset validation,
            ConfusionMatrix scores) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", "rendered stick-figure scenes (io.argus.models.action.ActionScene) on backdrops "
                + TRAINING_BACKDROPS + "; TILES held out for evaluation");
        training.put("command", "bin/argus train-action --out <dir>");
        training.put("seed", c.seed());
        training.put("trainSamples", train.size());
        training.put("validationSamples", validation.size());
        training.put("maxEpochs", c.epochs());
        training.put("batchSize", c.batchSize());
        training.put("learningRate", c.learningRate());
        return new ModelManifest(ModelPackage.FORMAT, c.name(), c.version(), DjlActionClassifier.TASK,
                ActionNetwork.ARCHITECTURE, Action.labels(), c.spec(), null, training,
                Map.of("validation", scores.summary()), null);
    }
}
