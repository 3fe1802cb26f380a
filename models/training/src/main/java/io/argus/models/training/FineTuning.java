package io.argus.models.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.argus.models.admission.GoldenSets;
import io.argus.models.admission.ModelKind;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.Reasons;
import io.argus.models.runtime.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntFunction;

/**
 * Fine-tuning a packaged network to a new label set, whatever its input: the base's weights are
 * copied into a new network of the same architecture (by parameter name and shape, child by child),
 * the head (the network's last child) is replaced by a freshly initialised one for the new labels,
 * the backbone is frozen (all of it, or its first N units, as the network counts them), and the
 * rest trains with early stopping on validation macro-F1. The same loop trains the architecture
 * from scratch, for comparison. {@code action.FineTuner} and {@code audio.AudioFineTuner} say
 * what their network is and how their samples become its input.
 *
 * <p>Frozen layers also run in inference mode while training, so frozen batch normalisation keeps
 * the base's running statistics instead of normalising by the statistics of the small new set.
 */
public final class FineTuning {

    /** Freeze every layer but the head. */
    public static final int FREEZE_ALL = -1;

    /** The bare command that makes fine-tuned packages, recorded in their manifests. */
    static final String COMMAND = "bin/argus finetune --base <model> --data <dir> --out <dir>";

    /**
     * Settings of one run.
     *
     * @param freeze {@link #FREEZE_ALL}, or how many leading units of the backbone to freeze (0:
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
                throw new IllegalArgumentException("freeze: all (-1) or a number of units >= 0, not " + freeze);
            }
        }

        /** The same settings with another learning rate. */
        public Config withLearningRate(float rate) {
            return new Config(labels, freeze, epochs, batchSize, rate, patience, seed, name, version);
        }
    }

    /** The trained package, its scores on the validation set, and the epochs run. */
    public record Result(ModelPackage pkg, ConfusionMatrix validation, int epochs, int bestEpoch) {

        /** The same result with another package (the trained one with its golden set). */
        public Result withPackage(ModelPackage other) {
            return new Result(other, validation, epochs, bestEpoch);
        }
    }

    /** What a fine-tuned package's golden set records as its source: the validation clips. */
    public static Map<String, Object> goldenSource() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("data", "the validation windows (whole clips held out of training)");
        source.put("command", COMMAND);
        return source;
    }

    /**
     * {@code r} with a golden set chosen from the validation samples: each as the model reads it
     * ({@code input}) with its label, for a model of {@code kind}; {@code pkg} is the package to add
     * it to ({@code r}'s own, or one completed with files the training does not make).
     */
    public static <S, I extends ModelInput> Result withGoldenSet(Result r, ModelPackage pkg, ModelKind<I> kind,
            List<S> validation, Function<S, I> input, ToIntFunction<S> label, List<String> labels) throws IOException {
        List<GoldenSets.Candidate<I>> candidates = new ArrayList<>(validation.size());
        for (S s : validation) {
            candidates.add(new GoldenSets.Candidate<>(input.apply(s), labels.get(label.applyAsInt(s))));
        }
        return r.withPackage(GoldenSets.add(pkg, kind, candidates, GoldenSets.Options.defaults(), goldenSource()));
    }

    /** Samples as the loop sees them: how many, the label of each, and how a slice becomes input. */
    public record Samples(int size, IntUnaryOperator label, Epochs.Batches batches) {}

    /** What differs between the networks that can be fine-tuned. */
    public interface Network {

        String task();

        String architecture();

        /** A freshly made network for {@code classes} labels; its last child is the head. */
        SequentialBlock build(int classes);

        /** The input shape of a batch of {@code batch} samples. */
        Shape inputShape(int batch);

        /** The units {@code --freeze N} counts, e.g. "frame CNN layers" or "conv blocks". */
        String units();

        /** How many units there are. */
        int unitCount();

        /** The leading children (or grandchildren) of {@code net} that its first {@code n} units cover. */
        List<Block> leadingUnits(SequentialBlock net, int n);

        /** The package's manifest, with this network's task, architecture and input spec. */
        ModelManifest manifest(String name, String version, List<String> labels, String baseModel,
                Map<String, Object> training, Map<String, Object> metrics);
    }

    private final PrintStream progress;

    public FineTuning(PrintStream progress) {
        this.progress = progress;
    }

    /**
     * Checks that {@code base} is a package of {@code network}'s task and architecture whose
     * manifest holds an input spec.
     */
    public static void requireBase(ModelPackage base, String task, String architecture, Object spec)
            throws InvalidModelPackageException {
        ModelManifest m = base.manifest();
        if (!task.equals(m.task()) || !architecture.equals(m.architecture()) || spec == null) {
            throw new InvalidModelPackageException(m.id(), "fine-tuning here needs a " + architecture + " " + task
                    + " model, not " + m.task() + "/" + m.architecture());
        }
    }

    /**
     * Trains {@code network}: from {@code base}'s weights with its backbone frozen as the config
     * says, or from freshly initialised weights when {@code base} is null.
     */
    public Result run(Network network, ModelPackage base, Samples train, Samples validation, Config c)
            throws IOException {
        if (train.size() < c.batchSize()) {
            throw new IllegalArgumentException("only " + train.size() + " training windows, fewer than a batch of "
                    + c.batchSize());
        }
        if (c.freeze() > network.unitCount()) {
            throw new IllegalArgumentException("freeze: the network has " + network.unitCount() + " "
                    + network.units() + ", not " + c.freeze());
        }
        DjlRuntime.pytorch();
        Engine.getInstance().setRandomSeed((int) c.seed());
        SequentialBlock net = network.build(c.labels().size());
        Set<Block> frozen = Collections.newSetFromMap(new IdentityHashMap<>());
        try (Model model = Model.newInstance(c.name(), Device.cpu(), DjlRuntime.ENGINE)) {
            model.setBlock(new PartlyFrozenBlock(net, frozen));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(c.learningRate())).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(network.inputShape(c.batchSize()));
                if (base != null) {
                    int copied = copyAllButHead(network, base, net, model.getNDManager());
                    frozen.addAll(frozenLayers(network, net, c.freeze()));
                    for (Block b : frozen) {
                        b.freezeParameters(true);
                    }
                    progress.printf(Locale.ROOT, "base %s: copied %d parameter arrays, head of %d labels initialised, "
                            + "frozen: %s%n", base.manifest().id(), copied, c.labels().size(),
                            describe(network, c.freeze()));
                }
                return epochs(network, net, model, trainer, base, train, validation, c);
            }
        }
    }

    /** Trains until the most epochs or the patience run out; keeps the best epoch's weights. */
    private Result epochs(Network network, SequentialBlock net, Model model, Trainer trainer, ModelPackage base,
            Samples train, Samples validation, Config c) throws IOException {
        Random shuffle = new Random(c.seed());
        TrainingLoop.Result<ConfusionMatrix> best = TrainingLoop.onMacroF1(c.epochs(), c.patience(), progress).run(
                () -> Epochs.train(trainer, train.size(), train.label(), train.batches(), c.batchSize(), shuffle),
                () -> Epochs.evaluate(model, validation.size(), validation.label(), validation.batches(), 32,
                        c.labels()),
                () -> weights(net));
        progress.printf("validation (best epoch, %d):%n", best.bestEpoch());
        progress.println(best.validation());
        Map<String, Object> training = training(network, base, c, train.size(), validation.size(), best.epochs(),
                best.bestEpoch());
        ModelManifest manifest = network.manifest(c.name(), c.version(), c.labels(),
                base == null ? null : base.manifest().id(), training,
                Map.of("validation", best.validation().summary()));
        return new Result(ModelPackage.create(manifest, Map.of(ModelPackage.WEIGHTS, best.weights())),
                best.validation(), best.epochs(), best.bestEpoch());
    }

    /**
     * Copies the base's weights into every child of {@code net} but the head, matching parameters
     * by name and shape within the same child; returns how many arrays were copied.
     */
    static int copyAllButHead(Network network, ModelPackage base, SequentialBlock net, NDManager manager)
            throws IOException {
        SequentialBlock from = network.build(base.manifest().labels().size());
        try (NDManager scope = manager.newSubManager()) {
            from.initialize(scope, DataType.FLOAT32, network.inputShape(1));
            try {
                from.loadParameters(scope, new DataInputStream(new ByteArrayInputStream(base.weights())));
            } catch (MalformedModelException | IOException | RuntimeException e) {
                throw new InvalidModelPackageException(base.location(), ModelPackage.WEIGHTS + " does not fit "
                        + network.architecture() + ": " + Reasons.of(e));
            }
            List<Block> source = from.getChildren().values();
            List<Block> target = net.getChildren().values();
            int copied = 0;
            for (int i = 0; i < target.size() - 1; i++) {
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

    /** The network's parameters as its {@link Network#build} writes them (a package's weights file). */
    private static byte[] weights(Block net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            net.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    /** The layers {@code freeze} names: every child but the head, or the network's first N units. */
    static List<Block> frozenLayers(Network network, SequentialBlock net, int freeze) {
        if (freeze == FREEZE_ALL) {
            List<Block> children = net.getChildren().values();
            return children.subList(0, children.size() - 1);
        }
        return network.leadingUnits(net, freeze);
    }

    /** What {@code freeze} keeps, in words (written to the manifest and the progress output). */
    public static String describe(Network network, int freeze) {
        return freeze == FREEZE_ALL ? "all but the head"
                : freeze == 0 ? "nothing" : "the first " + freeze + " of " + network.unitCount() + " "
                        + network.units();
    }

    private static Map<String, Object> training(Network network, ModelPackage base, Config c, int trainSamples,
            int validationSamples, int epochs, int bestEpoch) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("method", base == null ? "trained from scratch" : "fine-tuned from " + base.manifest().id());
        if (base != null) {
            training.put("command", COMMAND);
            training.put("frozen", describe(network, c.freeze()));
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
        return training;
    }
}
