package io.argus.jobs.models;

import io.argus.models.admission.ModelAdmission;
import io.argus.models.admission.ModelKind;
import io.argus.models.classify.ClassifierFactory;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.signal.LoudnessClassifier;
import io.argus.operators.inference.ModelSource;
import java.io.Serializable;

/**
 * The job's {@code --audio-model} setting resolved: the learned audio classifier of a package,
 * with the spectrogram spec the job must compute for it, or the measured loudness signal. The
 * package is read and admitted when the job is built, so a missing, corrupt or misbehaving package
 * stops the submission with a clear error instead of failing on the task managers.
 */
public final class AudioModelRef implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String LOUDNESS = "loudness";

    private final ResolvedModel model;
    private final SpectrogramSpec spec;
    private final boolean learned;

    private AudioModelRef(ResolvedModel model, SpectrogramSpec spec, boolean learned) {
        this.model = model;
        this.spec = spec;
        this.learned = learned;
    }

    /** Resolves a setting whose package the caller vouches for (tools, benchmarks). */
    public static AudioModelRef resolve(String ref) {
        return resolve(ref, ModelTrust.CALLER, null);
    }

    /**
     * Resolves the job's setting; a package must satisfy {@code trust} here and on every task
     * manager. {@code registry} is the URI {@code registry:NAME} refers to (may be null otherwise).
     */
    public static AudioModelRef resolve(String option, ModelTrust trust, String registry) {
        ModelRef ref = ModelRef.parseOption("audio-model", option, LOUDNESS);
        if (ref instanceof ModelRef.Signal) {
            return new AudioModelRef(new ResolvedModel(ref, LoudnessClassifier.NAME + "@" + LoudnessClassifier.VERSION,
                    LoudnessClassifier.VERSION, trust, registry), SpectrogramSpec.defaults(), false);
        }
        ModelManifest m = PackageRef.learned("audio-model", ModelKind.AUDIO, ref, trust, registry,
                ModelManifest::audio);
        return new AudioModelRef(new ResolvedModel(ref, m.id(), m.version(), trust, registry), m.audio(), true);
    }

    /** Whether this is a learned model rather than the measured signal. */
    public boolean isLearned() {
        return learned;
    }

    /** The spectrograms the classifier takes (the default spec for the loudness signal). */
    public SpectrogramSpec spec() {
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
    public ClassifierFactory<Spectrogram> factory(String device, double silenceDbfs, double loudDbfs) {
        if (!learned) {
            return () -> new LoudnessClassifier(silenceDbfs, loudDbfs);
        }
        return model.admitted(ModelKind.AUDIO, device);
    }

    /**
     * Where the inference operator gets its model: a fixed one, or for {@code registry:NAME} each
     * version promoted while the job runs, if it verifies, takes this job's spectrograms and passes
     * admission.
     */
    public ModelSource<Spectrogram> source(String device, double silenceDbfs, double loudDbfs) {
        SpectrogramSpec s = spec;
        return model.source(ModelKind.AUDIO, device, factory(device, silenceDbfs, loudDbfs),
                m -> !DjlAudioClassifier.TASK.equals(m.task()) ? "it is " + PackageRef.article(m.task()) + " model"
                        : s.equals(m.audio()) ? null : "its audio input " + m.audio() + " is not the job's " + s);
    }

    @Override
    public String toString() {
        return model.toString();
    }
}
