package io.argus.jobs.models;

import io.argus.models.classify.ClassifierFactory;
import io.argus.models.inference.ActionClassifiers;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.pose.PoseActionClassifier;
import io.argus.models.pose.PoseActionNetwork;
import io.argus.models.pose.PoseEstimator;
import io.argus.models.pose.PoseWindow;
import io.argus.models.pose.Poses;
import io.argus.operators.inference.PoseEstimateOperator;
import io.argus.models.runtime.DjlRuntime;
import io.argus.models.signal.MotionEnergyClassifier;
import io.argus.operators.inference.ModelSource;
import java.io.Serializable;

/**
 * The job's {@code --action-model} setting resolved: which classifier the video path runs and, for
 * a learned model, the input spec its windows must have. The manifest is read when the job is
 * built, so a missing or corrupt package stops the submission with a clear error instead of
 * failing on the task managers.
 */
public final class ActionModelRef implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String MOTION_ENERGY = "motion-energy";
    public static final String BUNDLED = PackageRef.BUNDLED;

    private final String ref;
    private final InputSpec spec;
    private final String id;
    private final ModelTrust trust;
    private final String registry;
    private final String version;
    private final String architecture;

    private ActionModelRef(String ref, InputSpec spec, String id, String version, ModelTrust trust, String registry,
            String architecture) {
        this.ref = ref;
        this.spec = spec;
        this.id = id;
        this.trust = trust;
        this.version = version;
        this.registry = registry;
        this.architecture = architecture;
    }

    /** Resolves a setting whose package the caller vouches for (tools, benchmarks). */
    public static ActionModelRef resolve(String ref) {
        return resolve(ref, ModelTrust.CALLER, null);
    }

    /**
     * Resolves the job's setting; a package must satisfy {@code trust} here and on every task
     * manager. {@code registry} is the URI {@code registry:NAME} refers to (may be null otherwise).
     */
    public static ActionModelRef resolve(String ref, ModelTrust trust, String registry) {
        if (ref.equals(MOTION_ENERGY)) {
            return new ActionModelRef(ref, null, MotionEnergyClassifier.NAME + "@" + MotionEnergyClassifier.VERSION,
                    MotionEnergyClassifier.VERSION, trust, registry, null);
        }
        ModelManifest m = PackageRef.learned("action-model", DjlActionClassifier.TASK, ref, trust, registry,
                ModelManifest::video);
        return new ActionModelRef(ref, m.video(), m.id(), m.version(), trust, registry, m.architecture());
    }

    /**
     * Whether this model follows people: a pose model on every sampled frame, then a keypoint LSTM
     * on each person's track, rather than a network on a window's pixels.
     */
    public boolean followsPeople() {
        return PoseActionNetwork.ARCHITECTURE.equals(architecture);
    }

    /**
     * The pose model of a model that follows people, made on each task manager. For a registry, the
     * version served when the operator opens (the pose model of later versions is picked up at the
     * next restart; the keypoint LSTM swaps while the job runs).
     */
    public PoseEstimateOperator.Factory poseEstimator(String device) {
        String r = ref;
        ModelTrust t = trust;
        String reg = registry;
        return () -> PoseEstimator.load(r.startsWith(PackageRef.REGISTRY) ? PackageRef.servingPackage(r, t, reg)
                : PackageRef.read(r, t), DjlRuntime.device(device));
    }

    /**
     * Where the classify operator of a model that follows people gets its keypoint LSTM: fixed, or
     * for {@code registry:NAME} each version promoted while the job runs, if it checks out like
     * {@link #source} checks a candidate.
     */
    public ModelSource<PoseWindow> peopleSource(String device) {
        String r = ref;
        ModelTrust t = trust;
        if (!ref.startsWith(PackageRef.REGISTRY)) {
            return ModelSource.fixed(ref, version, () -> PoseActionClassifier.load(PackageRef.read(r, t),
                    DjlRuntime.device(device)));
        }
        InputSpec s = spec;
        return new RegistryModelSource<>(registry, ref, trust,
                pkg -> PoseActionClassifier.load(pkg, DjlRuntime.device(device)),
                m -> !PoseActionNetwork.ARCHITECTURE.equals(m.architecture()) ? "it is not a model that follows people"
                        : s.equals(m.video()) ? null : "its video input " + m.video() + " is not the job's " + s,
                () -> new PoseWindow("smoke-test", 0, 1000, s.frames(), 4f / 3, new int[] {0},
                        new float[s.frames() * Poses.STRIDE], new boolean[s.frames()], 0));
    }

    /** Whether this is a learned model (with an input spec) rather than the measured signal. */
    public boolean isLearned() {
        return spec != null;
    }

    /** The input spec of a learned model. */
    public InputSpec spec() {
        return spec;
    }

    /** {@code name@version}. */
    public String id() {
        return id;
    }

    /** The recipe the inference operator runs in {@code open()} on each task manager. */
    public ClassifierFactory<FrameWindow> factory(String device, double motionThreshold) {
        String r = ref;
        ModelTrust t = trust;
        if (!isLearned()) {
            return () -> new MotionEnergyClassifier(motionThreshold);
        }
        return () -> ActionClassifiers.load(PackageRef.read(r, t), DjlRuntime.device(device));
    }

    /**
     * Where the inference operator gets its model: a fixed one, or for {@code registry:NAME} each
     * version promoted while the job runs, if it verifies, takes this job's video input and passes a
     * smoke inference.
     */
    public ModelSource<FrameWindow> source(String device, double motionThreshold) {
        if (!ref.startsWith(PackageRef.REGISTRY)) {
            return ModelSource.fixed(ref, version, factory(device, motionThreshold));
        }
        InputSpec s = spec;
        String dev = device;
        return new RegistryModelSource<>(registry, ref, trust,
                pkg -> ActionClassifiers.load(pkg, DjlRuntime.device(dev)),
                m -> !DjlActionClassifier.TASK.equals(m.task()) ? "it is a " + m.task() + " model"
                        : s.equals(m.video()) ? null : "its video input " + m.video() + " is not the job's " + s,
                () -> new FrameWindow("smoke-test", 0, 1000, s.height(), s.width(), s.channels(), new long[s.frames()],
                        new byte[s.frames() * s.height() * s.width() * s.channels()], 0));
    }

    @Override
    public String toString() {
        return ref + " (" + id + ")";
    }
}
