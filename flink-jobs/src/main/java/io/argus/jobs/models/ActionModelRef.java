package io.argus.jobs.models;

import io.argus.models.admission.ModelAdmission;
import io.argus.models.admission.ModelKind;
import io.argus.models.classify.ClassifierFactory;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.pose.PoseActionNetwork;
import io.argus.models.pose.PoseEstimator;
import io.argus.models.pose.PoseWindow;
import io.argus.models.runtime.DjlRuntime;
import io.argus.models.signal.MotionEnergyClassifier;
import io.argus.operators.inference.ModelSource;
import io.argus.operators.inference.PoseEstimateOperator;
import java.io.Serializable;

/**
 * The job's {@code --action-model} setting resolved: which classifier the video path runs and, for
 * a learned model, the input spec its windows must have. The package is read and admitted when the
 * job is built, so a missing, corrupt or misbehaving package stops the submission with a clear
 * error instead of failing on the task managers.
 */
public final class ActionModelRef implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String MOTION_ENERGY = "motion-energy";
    public static final String BUNDLED = ModelRef.BUNDLED;

    private final ResolvedModel model;
    private final InputSpec spec;
    private final String architecture;

    private ActionModelRef(ResolvedModel model, InputSpec spec, String architecture) {
        this.model = model;
        this.spec = spec;
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
    public static ActionModelRef resolve(String option, ModelTrust trust, String registry) {
        ModelRef ref = ModelRef.parseOption("action-model", option, MOTION_ENERGY);
        if (ref instanceof ModelRef.Signal) {
            return new ActionModelRef(new ResolvedModel(ref, MotionEnergyClassifier.NAME + "@"
                    + MotionEnergyClassifier.VERSION, MotionEnergyClassifier.VERSION, trust, registry), null, null);
        }
        ModelManifest m = PackageRef.learned("action-model", ModelKind.ACTION, ref, trust, registry,
                ModelManifest::video);
        return new ActionModelRef(new ResolvedModel(ref, m.id(), m.version(), trust, registry), m.video(),
                m.architecture());
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
        ModelRef r = model.ref;
        ModelTrust t = model.trust;
        String reg = model.registry;
        return () -> PoseEstimator.load(PackageRef.startPackage(r, t, reg), DjlRuntime.device(device));
    }

    /**
     * Where the classify operator of a model that follows people gets its keypoint LSTM: fixed, or
     * for {@code registry:NAME} each version promoted while the job runs, if it checks out like
     * {@link #source} checks a candidate.
     */
    public ModelSource<PoseWindow> peopleSource(String device) {
        InputSpec s = spec;
        return model.source(ModelKind.PEOPLE, device, model.admitted(ModelKind.PEOPLE, device),
                m -> !PoseActionNetwork.ARCHITECTURE.equals(m.architecture()) ? "it is not a model that follows people"
                        : s.equals(m.video()) ? null : "its video input " + m.video() + " is not the job's " + s);
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
        return model.id;
    }

    /**
     * The recipe the inference operator runs in {@code open()} on each task manager: a package is
     * read with the job's trust and admitted ({@link ModelAdmission}) on the device.
     */
    public ClassifierFactory<FrameWindow> factory(String device, double motionThreshold) {
        if (!isLearned()) {
            return () -> new MotionEnergyClassifier(motionThreshold);
        }
        return model.admitted(ModelKind.ACTION, device);
    }

    /**
     * Where the inference operator gets its model: a fixed one, or for {@code registry:NAME} each
     * version promoted while the job runs, if it verifies, takes this job's video input and passes
     * admission.
     */
    public ModelSource<FrameWindow> source(String device, double motionThreshold) {
        InputSpec s = spec;
        return model.source(ModelKind.ACTION, device, factory(device, motionThreshold),
                m -> !DjlActionClassifier.TASK.equals(m.task()) ? "it is " + PackageRef.article(m.task()) + " model"
                        : s.equals(m.video()) ? null : "its video input " + m.video() + " is not the job's " + s);
    }

    @Override
    public String toString() {
        return model.toString();
    }
}
