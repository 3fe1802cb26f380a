package io.argus.models.inference;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.nn.Block;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import java.io.IOException;
import java.util.List;

/**
 * A network from a model package, run by DJL's PyTorch engine on a chosen device: the package's
 * weights loaded into the block its manifest names, and a translator for the input kind.
 */
public final class DjlClassifier<I extends ModelInput> implements Classifier<I> {

    private final ModelInfo info;
    private final Model model;
    private final Predictor<I, Classification> predictor;

    private DjlClassifier(ModelInfo info, Model model, Predictor<I, Classification> predictor) {
        this.info = info;
        this.model = model;
        this.predictor = predictor;
    }

    /**
     * Loads a package's weights into {@code block}.
     *
     * @throws InvalidModelPackageException when the weights do not fit the block, naming the file and the cause
     */
    static <I extends ModelInput> DjlClassifier<I> load(ModelPackage pkg, Device device, Block block,
            Translator<I, Classification> translator) throws IOException {
        ModelManifest m = pkg.manifest();
        DjlRuntime.pytorch();
        Model model = Model.newInstance(m.name(), device, DjlRuntime.ENGINE);
        try {
            model.setBlock(block);
            Weights.load(pkg, ModelPackage.WEIGHTS, block, model.getNDManager());
        } catch (InvalidModelPackageException | RuntimeException e) {
            model.close();
            throw e;
        }
        return new DjlClassifier<>(new ModelInfo(m.name(), m.version(), m.labels()), model,
                model.newPredictor(translator));
    }

    /** Refuses a package whose task or architecture is not the expected one. */
    static void check(ModelManifest m, String task, String architecture) throws InvalidModelPackageException {
        if (!task.equals(m.task())) {
            throw new InvalidModelPackageException(m.id(), "task is '" + m.task() + "', not '" + task + "'");
        }
        if (!architecture.equals(m.architecture())) {
            throw new InvalidModelPackageException(m.id(), "unknown architecture '" + m.architecture() + "'");
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<Classification> classify(List<I> batch) {
        try {
            return predictor.batchPredict(batch);
        } catch (TranslateException e) {
            throw new IllegalStateException("inference with " + info.name() + "@" + info.version() + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
