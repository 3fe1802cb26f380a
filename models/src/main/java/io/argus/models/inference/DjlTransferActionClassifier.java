package io.argus.models.inference;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.argus.models.action.FrameBackbone;
import io.argus.models.action.TransferActionNetwork;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The transfer-learning action model: a frozen pretrained backbone (TorchScript, shipped in the
 * package as {@value #BACKBONE}) turns each frame into features, and the trained LSTM head
 * classifies the window from them.
 */
public final class DjlTransferActionClassifier implements Classifier<FrameWindow> {

    public static final String BACKBONE = "backbone.pt";

    private final ModelInfo info;
    private final FrameBackbone backbone;
    private final Model head;
    private final FrameWindowTranslator translator;

    private DjlTransferActionClassifier(ModelInfo info, InputSpec spec, FrameBackbone backbone, Model head) {
        this.info = info;
        this.backbone = backbone;
        this.head = head;
        this.translator = new FrameWindowTranslator(spec, info.labels());
    }

    public static DjlTransferActionClassifier load(ModelPackage pkg, Device device) throws IOException {
        ModelManifest m = pkg.manifest();
        if (!TransferActionNetwork.ARCHITECTURE.equals(m.architecture()) || m.video() == null
                || m.video().channels() != 3) {
            throw new InvalidModelPackageException(m.id(), "not a " + TransferActionNetwork.ARCHITECTURE
                    + " action model with RGB input");
        }
        FrameBackbone backbone = FrameBackbone.load(pkg.file(BACKBONE), device);
        Model head = Model.newInstance(m.name(), device, DjlRuntime.ENGINE);
        try {
            head.setBlock(TransferActionNetwork.head(m.labels().size(), m.video().frames()));
            Weights.load(pkg, ModelPackage.WEIGHTS, head.getBlock(), head.getNDManager());
        } catch (InvalidModelPackageException | RuntimeException e) {
            head.close();
            backbone.close();
            throw e;
        }
        return new DjlTransferActionClassifier(new ModelInfo(m.name(), m.version(), m.labels()), m.video(), backbone,
                head);
    }

    /** Backbone features of windows: {@code (count, T, F)}. */
    public static NDArray windowFeatures(FrameBackbone backbone, NDArray windows) {
        long count = windows.getShape().get(0);
        long frames = windows.getShape().get(1);
        NDArray flat = windows.reshape(count * frames, windows.getShape().get(2), windows.getShape().get(3),
                windows.getShape().get(4));
        NDArray f = backbone.features(flat);
        return f.reshape(count, frames, f.getShape().get(1));
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<Classification> classify(List<FrameWindow> batch) {
        try (NDManager scope = head.getNDManager().newSubManager()) {
            NDArray x = translator.batch(scope, translator.pixels(batch), batch.size());
            NDArray features = windowFeatures(backbone, x);
            NDArray p = head.getBlock().forward(new ParameterStore(scope, false), new NDList(features), false)
                    .singletonOrThrow().softmax(-1);
            List<Classification> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(Classification.of(info.labels(), p.get(i).toFloatArray()));
            }
            return out;
        }
    }

    @Override
    public void close() {
        head.close();
        backbone.close();
    }
}
