package io.argus.models.inference;

import ai.djl.Device;
import io.argus.models.action.ActionNetwork;
import io.argus.models.classify.Classifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import java.io.IOException;

/** Loads the CNN-LSTM action model of a package. */
public final class DjlActionClassifier {

    public static final String TASK = "action";

    private DjlActionClassifier() {}

    /**
     * Loads a package's weights into the CNN-LSTM.
     *
     * @throws InvalidModelPackageException when the package is not an action model Argus can run
     */
    public static Classifier<FrameWindow> load(ModelPackage pkg, Device device) throws IOException {
        ModelManifest m = pkg.manifest();
        DjlClassifier.check(m, TASK, ActionNetwork.ARCHITECTURE);
        if (m.video() == null) {
            throw new InvalidModelPackageException(m.id(), "manifest has no video input spec");
        }
        return DjlClassifier.load(pkg, device, ActionNetwork.build(m.video(), m.labels().size()),
                new FrameWindowTranslator(m.video(), m.labels()));
    }
}
