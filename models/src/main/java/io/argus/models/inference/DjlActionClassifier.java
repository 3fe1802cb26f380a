package io.argus.models.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.argus.models.action.ActionNetwork;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.FrameWindow;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

/** A CNN-LSTM action model from a package, run by DJL's PyTorch engine on a chosen device. */
public final class DjlActionClassifier implements Classifier<FrameWindow> {

    public static final String TASK = "action";

    private final ModelInfo info;
    private final Model model;
    private final Predictor<FrameWindow, Classification> predictor;

    private DjlActionClassifier(ModelInfo info, Model model,
            Predictor<FrameWindow, Classification> predictor) {
        this.info = info;
        this.model = model;
        this.predictor = predictor;
    }

    /**
     * Loads a package's weights into the network its manifest names.
     *
     * @throws InvalidModelPackageException when the package is not an action model Argus can run
     */
    public static DjlActionClassifier load(ModelPackage pkg, Device device) throws IOException {
        ModelManifest m = pkg.manifest();
        String where = m.id();
        if (!TASK.equals(m.task())) {
            throw new InvalidModelPackageException(where, "task is '" + m.task() + "', not '" + TASK + "'");
        }
        if (!ActionNetwork.ARCHITECTURE.equals(m.architecture())) {
            throw new InvalidModelPackageException(where, "unknown architecture '" + m.architecture() + "'");
        }
        if (m.video() == null) {
            throw new InvalidModelPackageException(where, "manifest has no video input spec");
        }
        DjlRuntime.pytorch();
        Model model = Model.newInstance(m.name(), device, DjlRuntime.ENGINE);
        try {
            model.setBlock(ActionNetwork.build(m.video(), m.labels().size()));
            model.getBlock().loadParameters(model.getNDManager(),
                    new DataInputStream(new ByteArrayInputStream(pkg.weights())));
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new InvalidModelPackageException(where, "weights do not fit " + m.architecture() + ": " + e.getMessage());
        }
        Predictor<FrameWindow, Classification> predictor =
                model.newPredictor(new FrameWindowTranslator(m.video(), m.labels()));
        return new DjlActionClassifier(new ModelInfo(m.name(), m.version(), m.labels()), model, predictor);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<Classification> classify(List<FrameWindow> batch) {
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
