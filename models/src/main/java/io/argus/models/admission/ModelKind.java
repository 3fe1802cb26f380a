package io.argus.models.admission;

import ai.djl.Device;
import io.argus.models.action.ActionNetwork;
import io.argus.models.action.TransferActionNetwork;
import io.argus.models.audio.AudioNetwork;
import io.argus.models.classify.Classifier;
import io.argus.models.inference.ActionClassifiers;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.ModelInput;
import io.argus.models.input.Spectrogram;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.pose.PoseActionClassifier;
import io.argus.models.pose.PoseActionNetwork;
import io.argus.models.pose.PoseWindow;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A kind of model package Argus can run: which manifests it covers (task and architectures), how
 * its network is loaded, and how its golden inputs are stored. {@link ModelAdmission} checks every
 * kind the same way; a new kind is one more constant here, listed in {@link #ALL}.
 */
public final class ModelKind<I extends ModelInput> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Loads a package's network as a classifier on a device. */
    @FunctionalInterface
    public interface Loader<I extends ModelInput> extends Serializable {
        Classifier<I> load(ModelPackage pkg, Device device) throws IOException;
    }

    /** Action models on frame windows: the CNN-LSTM and the transfer-learning MobileNetV2-LSTM. */
    public static final ModelKind<FrameWindow> ACTION = new ModelKind<>(DjlActionClassifier.TASK,
            Set.of(ActionNetwork.ARCHITECTURE, TransferActionNetwork.ARCHITECTURE), ActionClassifiers::load,
            FrameWindowCodec.INSTANCE);

    /** Audio models on log-mel spectrograms. */
    public static final ModelKind<Spectrogram> AUDIO = new ModelKind<>(DjlAudioClassifier.TASK,
            Set.of(AudioNetwork.ARCHITECTURE), DjlAudioClassifier::load, SpectrogramCodec.INSTANCE);

    /**
     * Action models that follow people: a pose model on frames, then a keypoint LSTM on each person's
     * track. Loading one also runs its pose model once, so a package whose pose model does not load
     * or gives no finite output is refused like one whose LSTM does not fit.
     */
    public static final ModelKind<PoseWindow> PEOPLE = new ModelKind<>(DjlActionClassifier.TASK,
            Set.of(PoseActionNetwork.ARCHITECTURE), PoseActionClassifier::loadChecked, PoseWindowCodec.INSTANCE);

    private static final List<ModelKind<?>> ALL = List.of(ACTION, AUDIO, PEOPLE);

    private final String task;
    private final Set<String> architectures;
    private final Loader<I> loader;
    private final GoldenCodec<I> golden;

    public ModelKind(String task, Set<String> architectures, Loader<I> loader, GoldenCodec<I> golden) {
        this.task = task;
        this.architectures = Set.copyOf(architectures);
        this.loader = loader;
        this.golden = golden;
    }

    /**
     * The kind a manifest's task and architecture name.
     *
     * @throws InvalidModelPackageException when no kind Argus knows covers it
     */
    public static ModelKind<?> of(ModelManifest m) throws InvalidModelPackageException {
        for (ModelKind<?> k : ALL) {
            if (k.covers(m)) {
                return k;
            }
        }
        List<String> known = new ArrayList<>();
        ALL.forEach(k -> known.add(k.task + " " + k.architectures));
        throw new InvalidModelPackageException(m.id(), "no model Argus runs has task '" + m.task()
                + "' and architecture '" + m.architecture() + "' (known: " + String.join("; ", known) + ")");
    }

    /** Whether a manifest is of this kind. */
    public boolean covers(ModelManifest m) {
        return task.equals(m.task()) && architectures.contains(m.architecture());
    }

    public String task() {
        return task;
    }

    /** Loads the network; checks only that the weights fit it (see {@link ModelAdmission} for the rest). */
    public Classifier<I> load(ModelPackage pkg, Device device) throws IOException {
        return loader.load(pkg, device);
    }

    public GoldenCodec<I> golden() {
        return golden;
    }

    @Override
    public String toString() {
        return task + " " + architectures;
    }
}
