package io.argus.models.action;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.inference.FrameWindowTranslator;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import io.argus.models.training.Epochs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Fine-tunes a CNN-LSTM action model package to a new label set: the base's weights are copied
 * into a new network of the same architecture (by parameter name and shape, child by child), the
 * head is replaced by a freshly initialised one for the new labels, the backbone is frozen (all of
 * it, or the first N layers of the frame CNN), and the rest trains with early stopping on
 * validation macro-F1. The same loop trains the architecture from scratch, for comparison.
 *
 * <p>Frozen layers also run in inference mode while training, so frozen batch normalisation keeps
 * the base's running statistics instead of normalising by the statistics of the small new set.
 */
public final class FineTuner {

    /** Freeze every layer but the head. */
    public static final int FREEZE_ALL = -1;

    /** A window and the index of its label in the new label set. */
    public record Sample(FrameWindow window, int label) {}

    /**
     * Settings of one run.
     *
     * @param freeze {@link #FREEZE_ALL}, or how many leading layers of the frame CNN to freeze (0:
     *     nothing frozen, every weight starts from the base and trains)
     */
    public record Config(List<String> labels, int freeze, int epochs, int batchSize, float learningRate, int patience,
            long seed, String name, String version) {

        public Config {
            labels = List.copyOf(labels);
            if (labels.size() < 2) {
                throw new IllegalArgumentException("fine-tuning needs at least 2 labels, got " + labels);
            }
            if (freeze < FREEZE_ALL) {
                throw new IllegalArgumentException("freeze: all (-1) or a number of layers >= 0, not " + freeze);
            }
        }

        public static Config defaults(List<String> labels) {
            return new Config(labels, FREEZE_ALL, 30, 8, 0.01f, 5, 7, "action-finetuned", "1.0.0");
        }
    }

    /** The trained package, its scores on the validation set, and the epochs run. */
    public record Result(ModelPackage pkg, ConfusionMatrix validation, int epochs, int bestEpoch) {}

    private final PrintStream progress;

    public FineTuner(PrintStream progress) {
        this.progress = progress;
    }

    /** Fine-tunes {@code base} (a CNN-LSTM action package) to the config's labels. */
    public Result fineTune(ModelPackage base, List<Sample> train, List<Sample> validation, Config c)
            throws IOException {
        ModelManifest m = base.manifest();
        if (!DjlActionClassifier.TASK.equals(m.task()) || !ActionNetwork.ARCHITECTURE.equals(m.architecture())
                || m.video() == null) {
            throw new InvalidModelPackageException(m.id(), "fine-tuning needs a " + ActionNetwork.ARCHITECTURE
                    + " action model, not " + m.task() + "/" + m.architecture());
        }
        return run(m.video(), base, train, validation, c);
    }

    /** Trains the same architecture from freshly initialised weights, with the same loop and seeds. */
    public Result fromScratch(InputSpec spec, List<Sample> train, List<Sample> validation, Config c)
            throws IOException {
        return run(spec, null, train, validation, c);
    }

    private Result run(InputSpec spec, ModelPackage base, List<Sample> train, List<Sample> validation, Config c)
            throws IOException {
        if (train.size() < c.batchSize()) {
            throw new IllegalArgumentException("only " + train.size() + " training windows, fewer than a batch of "
                    + c.batchSize());
        }
        DjlRuntime.pytorch();
        Engine.getInstance().setRandomSeed((int) c.seed());
        FrameWindowTranslator translator = new FrameWindowTranslator(spec, c.labels());
        SequentialBlock net = (SequentialBlock) ActionNetwork.build(spec, c.labels().size());
        Set<Block> frozen = Collections.newSetFromMap(new IdentityHashMap<>());
        try (Model model = Model.newInstance(c.name(), Device.cpu(), DjlRuntime.ENGINE)) {
            model.setBlock(new PartlyFrozen(net, frozen));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(c.learningRate())).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(c.batchSize(), spec.frames(), spec.channels(), spec.height(),
                        spec.width()));
                if (base != null) {
                    int copied = copyBackbone(base, spec, net, model.getNDManager());
                    frozen.addAll(frozenLayers(net, c.freeze()));
                    for (Block b : frozen) {
                        b.freezeParameters(true);
                    }
                    progress.printf(Locale.ROOT, "base %s: copied %d parameter arrays, head of %d labels initialised, "
                            + "frozen: %s%n", base.manifest().id(), copied, c.labels().size(), describe(c.freeze()));
                }
                Epochs.Batches trainBatches = batches(translator, train);
                Epochs.Batches validationBatches = batches(translator, validation);
                byte[] best = null;
                ConfusionMatrix bestScores = null;
                int sinceBest = 0;
                int epoch = 0;
                int bestEpoch = 0;
                Random shuffle = new Random(c.seed());
                while (epoch < c.epochs() && sinceBest < c.patience()) {
                    epoch++;
                    long t0 = System.nanoTime();
                    double loss = Epochs.train(trainer, train.size(), i -> train.get(i).label(), trainBatches,
                            c.batchSize(), shuffle);
                    ConfusionMatrix scores = Epochs.evaluate(model, validation.size(), i -> validation.get(i).label(),
                            validationBatches, 32, c.labels());
                    boolean improved = bestScores == null || scores.macroF1() > bestScores.macroF1();
                    if (improved) {
                        best = weights(net);
                        bestScores = scores;
                        bestEpoch = epoch;
                        sinceBest = 0;
                    } else {
                        sinceBest++;
                    }
                    progress.printf(Locale.ROOT, "epoch %d/%d: loss %.4f, validation accuracy %.3f, macro-F1 %.3f%s "
                            + "(%.1f s)%n", epoch, c.epochs(), loss, scores.accuracy(), scores.macroF1(),
                            improved ? " (best)" : "", (System.nanoTime() - t0) / 1e9);
                }
                progress.printf("validation (best epoch, %d):%n", bestEpoch);
                progress.println(bestScores);
                ModelManifest manifest = manifest(spec, base, c, train.size(), validation.size(), epoch, bestEpoch,
                        bestScores);
                return new Result(ModelPackage.create(manifest, Map.of(ModelPackage.WEIGHTS, best)), bestScores,
                        epoch, bestEpoch);
            }
        }
    }

    /**
     * Copies the base's weights into every layer but the head, matching parameters by name and
     * shape within the same child of the network; returns how many arrays were copied.
     */
    static int copyBackbone(ModelPackage base, InputSpec spec, SequentialBlock net, NDManager manager)
            throws IOException {
        SequentialBlock from = (SequentialBlock) ActionNetwork.build(spec, base.manifest().labels().size());
        try (NDManager scope = manager.newSubManager()) {
            from.initialize(scope, DataType.FLOAT32, new Shape(1, spec.frames(), spec.channels(), spec.height(),
                    spec.width()));
            try {
                from.loadParameters(scope, new DataInputStream(new ByteArrayInputStream(base.weights())));
            } catch (ai.djl.MalformedModelException e) {
                throw new InvalidModelPackageException(base.manifest().id(), "weights do not fit "
                        + ActionNetwork.ARCHITECTURE + ": " + e.getMessage());
            }
            List<Block> source = from.getChildren().values();
            List<Block> target = net.getChildren().values();
            int copied = 0;
            for (int i = 0; i < target.size() - 1; i++) { // the last child is the head
                Map<String, Parameter> byName = new LinkedHashMap<>();
                for (Pair<String, Parameter> p : source.get(i).getParameters()) {
                    byName.put(p.getKey(), p.getValue());
                }
                for (Pair<String, Parameter> p : target.get(i).getParameters()) {
                    Parameter src = byName.get(p.getKey());
                    NDArray to = p.getValue().getArray();
                    if (src != null && src.getArray().getShape().equals(to.getShape())) {
                        to.set(src.getArray().toByteBuffer());
                        copied++;
                    }
                }
            }
            return copied;
        }
    }

    /** The layers {@code freeze} names: every child but the head, or the first N of the frame CNN. */
    static List<Block> frozenLayers(SequentialBlock net, int freeze) {
        List<Block> children = net.getChildren().values();
        if (freeze == FREEZE_ALL) {
            return children.subList(0, children.size() - 1);
        }
        List<Block> cnn = frameCnn(net).getChildren().values();
        if (freeze > cnn.size()) {
            throw new IllegalArgumentException("freeze: the frame CNN has " + cnn.size() + " layers, not " + freeze);
        }
        return cnn.subList(0, freeze);
    }

    /** Layers of the frame CNN that {@code freeze} can count. */
    public static int frameCnnLayers() {
        return ActionNetwork.frameCnn().getChildren().size();
    }

    private static SequentialBlock frameCnn(SequentialBlock net) {
        return (SequentialBlock) net.getChildren().get(1).getValue();
    }

    static String describe(int freeze) {
        return freeze == FREEZE_ALL ? "all but the head"
                : freeze == 0 ? "nothing" : "the first " + freeze + " of " + frameCnnLayers() + " frame CNN layers";
    }

    /** The network's parameters as {@link ActionNetwork#build} writes them (a package's weights file). */
    private static byte[] weights(Block net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            net.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static Epochs.Batches batches(FrameWindowTranslator translator, List<Sample> samples) {
        return (scope, order, from, to) -> {
            List<FrameWindow> windows = new java.util.ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                windows.add(samples.get(order[i]).window());
            }
            return translator.batch(scope, translator.pixels(windows), to - from);
        };
    }

    private static ModelManifest manifest(InputSpec spec, ModelPackage base, Config c, int trainSamples,
            int validationSamples, int epochs, int bestEpoch, ConfusionMatrix scores) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("method", base == null ? "trained from scratch" : "fine-tuned from " + base.manifest().id());
        if (base != null) {
            training.put("command", "bin/argus finetune --base <model> --data <dir> --out <dir>");
            training.put("frozen", describe(c.freeze()));
        }
        training.put("seed", c.seed());
        training.put("trainSamples", trainSamples);
        training.put("validationSamples", validationSamples);
        training.put("maxEpochs", c.epochs());
        training.put("epochs", epochs);
        training.put("bestEpoch", bestEpoch);
        training.put("patience", c.patience());
        training.put("batchSize", c.batchSize());
        training.put("learningRate", c.learningRate());
        return new ModelManifest(ModelPackage.FORMAT, c.name(), c.version(), DjlActionClassifier.TASK,
                ActionNetwork.ARCHITECTURE, c.labels(), spec, null, base == null ? null : base.manifest().id(),
                training, Map.of("validation", scores.summary()), null);
    }

    /**
     * The action network with some layers frozen: it walks the network's sequential blocks itself
     * so that frozen layers run in inference mode (batch normalisation uses its running statistics
     * and leaves them alone) while the rest trains.
     */
    private static final class PartlyFrozen extends AbstractBlock {

        private final SequentialBlock net;
        private final Set<Block> frozen;

        PartlyFrozen(SequentialBlock net, Set<Block> frozen) {
            this.net = addChildBlock("net", net);
            this.frozen = frozen;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return forward(net, ps, inputs, training, params);
        }

        private NDList forward(Block block, ParameterStore ps, NDList x, boolean training,
                PairList<String, Object> params) {
            if (frozen.contains(block)) {
                return block.forward(ps, x, false, params);
            }
            if (training && block instanceof SequentialBlock seq && !frozen.isEmpty()) {
                NDList current = x;
                for (Block child : seq.getChildren().values()) {
                    current = forward(child, ps, current, true, params);
                }
                return current;
            }
            return block.forward(ps, x, training, params);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            net.initialize(manager, dataType, inputShapes);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return net.getOutputShapes(inputShapes);
        }
    }
}
