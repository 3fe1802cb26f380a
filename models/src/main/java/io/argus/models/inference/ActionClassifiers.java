package io.argus.models.inference;

import ai.djl.Device;
import io.argus.models.action.ActionNetwork;
import io.argus.models.action.TransferActionNetwork;
import io.argus.models.classify.Classifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelPackage;
import java.io.IOException;

/** Loads an action model package with the classifier its architecture needs. */
public final class ActionClassifiers {

    private ActionClassifiers() {}

    public static Classifier<FrameWindow> load(ModelPackage pkg, Device device) throws IOException {
        String architecture = pkg.manifest().architecture();
        if (ActionNetwork.ARCHITECTURE.equals(architecture)) {
            return DjlActionClassifier.load(pkg, device);
        }
        if (TransferActionNetwork.ARCHITECTURE.equals(architecture)) {
            return DjlTransferActionClassifier.load(pkg, device);
        }
        throw new InvalidModelPackageException(pkg.manifest().id(), "unknown action architecture '" + architecture
                + "' (known: " + ActionNetwork.ARCHITECTURE + ", " + TransferActionNetwork.ARCHITECTURE + ")");
    }
}
