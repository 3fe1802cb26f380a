package io.argus.models.pose;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.argus.models.action.Action;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.classify.PersonDecision;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies every person tracked in a pose window with the keypoint LSTM of a pose action
 * package, all tracks of a batch of windows in one forward pass, and sums each window up for the
 * stream: the most salient action anyone does (the highest score any person has for walking,
 * running, waving or jumping, if at least {@value #SALIENT}), else {@code idle}, which is also the
 * label of a window with nobody in view.
 */
public final class PoseActionClassifier implements Classifier<PoseWindow> {

    /** The pose model's TorchScript inside a pose action package. */
    public static final String POSE_MODEL = "movenet_multipose_lightning.pt";
    /** Least score of a non-idle action for it to become the window's label. */
    static final float SALIENT = 0.5f;
    /** The window's label when nobody is in view and the model has no idle label. */
    public static final String NONE = "none";
    private static final Classification NOBODY = new Classification(List.of(NONE), new float[] {1});

    private final ModelInfo info;
    private final Model model;
    private final int slots;
    private final int idle;

    private PoseActionClassifier(ModelInfo info, Model model, int slots) {
        this.info = info;
        this.model = model;
        this.slots = slots;
        this.idle = info.labels().indexOf(Action.IDLE.label());
    }

    /**
     * Loads the keypoint LSTM of a package.
     *
     * @throws InvalidModelPackageException when the package is not a pose action model or its
     *     weights do not fit
     */
    public static PoseActionClassifier load(ModelPackage pkg, Device device) throws IOException {
        ModelManifest m = check(pkg);
        DjlRuntime.pytorch();
        Model model = Model.newInstance(m.name(), device, DjlRuntime.ENGINE);
        try {
            model.setBlock(PoseActionNetwork.build(m.video().frames(), m.labels().size()));
            model.getBlock().loadParameters(model.getNDManager(),
                    new DataInputStream(new ByteArrayInputStream(pkg.weights())));
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new InvalidModelPackageException(m.id(), "weights do not fit " + m.architecture() + ": " + e);
        }
        return new PoseActionClassifier(new ModelInfo(m.name(), m.version(), m.labels()), model, m.video().frames());
    }

    /**
     * Loads the keypoint LSTM after checking that the package's pose model loads and finds people as
     * it should: one black frame of the model's input must give finite values, and nobody.
     */
    public static PoseActionClassifier loadChecked(ModelPackage pkg, Device device) throws IOException {
        ModelManifest m = check(pkg);
        InputSpec spec = m.video();
        try (PoseEstimator pose = PoseEstimator.load(pkg, device)) {
            float[] found = pose.estimate(new byte[spec.height() * spec.width() * 3], 1, spec.height(), spec.width())[0];
            for (float v : found) {
                if (!Float.isFinite(v)) {
                    throw new InvalidModelPackageException(m.id(), POSE_MODEL + " gave a value that is not a finite "
                            + "number on a black frame of " + spec.width() + "x" + spec.height());
                }
            }
            if (Poses.count(Poses.atLeast(found, 0.5f)) > 0) {
                throw new InvalidModelPackageException(m.id(), POSE_MODEL + " finds a person in a black frame");
            }
        } catch (RuntimeException e) {
            throw new InvalidModelPackageException(m.id(), POSE_MODEL + " does not run on a frame of "
                    + spec.width() + "x" + spec.height() + ": " + e.getMessage());
        }
        return load(pkg, device);
    }

    /** Refuses a package that is not a pose action model. */
    static ModelManifest check(ModelPackage pkg) throws InvalidModelPackageException {
        ModelManifest m = pkg.manifest();
        if (!DjlActionClassifier.TASK.equals(m.task()) || !PoseActionNetwork.ARCHITECTURE.equals(m.architecture())) {
            throw new InvalidModelPackageException(m.id(), "not a pose action model (task " + m.task()
                    + ", architecture " + m.architecture() + ")");
        }
        if (m.video() == null || m.video().channels() != 3) {
            throw new InvalidModelPackageException(m.id(), "manifest has no RGB video input spec");
        }
        if (pkg.file(POSE_MODEL) == null) {
            throw new InvalidModelPackageException(m.id(), "package has no " + POSE_MODEL);
        }
        return m;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<Classification> classify(List<PoseWindow> batch) {
        List<float[]> features = new ArrayList<>();
        for (PoseWindow w : batch) {
            if (w.slots != slots) {
                throw new IllegalArgumentException("pose window of " + w.slots + " slots for a model of " + slots);
            }
            for (int t = 0; t < w.tracks(); t++) {
                features.add(TrackFeatures.of(w.track(t)));
            }
        }
        float[][] probabilities = features.isEmpty() ? new float[0][] : forward(features);
        List<Classification> out = new ArrayList<>(batch.size());
        int next = 0;
        for (PoseWindow w : batch) {
            List<PersonDecision> people = new ArrayList<>(w.tracks());
            float[][] perTrack = new float[w.tracks()][];
            for (int t = 0; t < w.tracks(); t++) {
                perTrack[t] = probabilities[next++];
                people.add(new PersonDecision(w.trackIds[t], lastBox(w, t),
                        Classification.of(info.labels(), perTrack[t])));
            }
            out.add((perTrack.length == 0 && idle < 0 ? NOBODY : Classification.of(info.labels(), scene(perTrack)))
                    .withPeople(people));
        }
        return out;
    }

    /**
     * The window's scores: for every action but idle the highest any person has, for idle one minus
     * the highest of those, normalised to sum to one; nobody in view is idle. A model without an
     * idle label (fine-tuned to other labels) gives each label the highest score any person has for
     * it, normalised, and says {@value #NONE} when nobody is in view.
     */
    float[] scene(float[][] perTrack) {
        int classes = info.labels().size();
        float[] v = new float[classes];
        if (perTrack.length == 0) {
            v[idle] = 1;
            return v;
        }
        float top = 0;
        for (int c = 0; c < classes; c++) {
            if (c == idle) {
                continue;
            }
            for (float[] p : perTrack) {
                v[c] = Math.max(v[c], p[c]);
            }
            top = Math.max(top, v[c]);
        }
        if (idle >= 0) {
            v[idle] = 1 - top;
        }
        float sum = 0;
        for (float x : v) {
            sum += x;
        }
        for (int c = 0; c < classes; c++) {
            v[c] /= sum;
        }
        return v;
    }

    private float[][] forward(List<float[]> features) {
        int width = slots * TrackFeatures.WIDTH;
        float[] flat = new float[features.size() * width];
        for (int i = 0; i < features.size(); i++) {
            System.arraycopy(features.get(i), 0, flat, i * width, width);
        }
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray x = scope.create(flat, new Shape(features.size(), slots, TrackFeatures.WIDTH));
            NDArray p = model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false)
                    .singletonOrThrow().softmax(-1);
            float[] all = p.toFloatArray();
            int classes = info.labels().size();
            float[][] out = new float[features.size()][classes];
            for (int i = 0; i < out.length; i++) {
                System.arraycopy(all, i * classes, out[i], 0, classes);
            }
            return out;
        }
    }

    /** The track's box in the latest slot it was seen in: xmin, ymin, xmax, ymax. */
    private static float[] lastBox(PoseWindow w, int track) {
        for (int s = w.slots - 1; s >= 0; s--) {
            if (w.present[track * w.slots + s]) {
                int o = (track * w.slots + s) * Poses.STRIDE + Poses.BOX;
                return new float[] {clamp(w.poses[o + 1]), clamp(w.poses[o]), clamp(w.poses[o + 3]),
                        clamp(w.poses[o + 2])};
            }
        }
        return new float[4];
    }

    private static float clamp(float v) {
        return Math.max(0, Math.min(1, v));
    }

    @Override
    public void close() {
        model.close();
    }
}
