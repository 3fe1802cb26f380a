package io.argus.jobs.models;

import io.argus.models.classify.ClassifierFactory;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.runtime.DjlRuntime;
import io.argus.models.signal.LoudnessClassifier;
import java.io.IOException;
import java.io.Serializable;

/**
 * The job's {@code --audio-model} setting resolved: the learned audio classifier of a package,
 * with the spectrogram spec the job must compute for it, or the measured loudness signal. The
 * manifest is read when the job is built, so a missing or corrupt package stops the submission
 * with a clear error instead of failing on the task managers.
 */
public final class AudioModelRef implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String LOUDNESS = "loudness";

    private final String ref;
    private final SpectrogramSpec spec;
    private final String id;
    private final ModelTrust trust;
    private final boolean learned;

    private AudioModelRef(String ref, SpectrogramSpec spec, String id, boolean learned, ModelTrust trust) {
        this.ref = ref;
        this.spec = spec;
        this.id = id;
        this.trust = trust;
        this.learned = learned;
    }

    /** Resolves a setting whose package the caller vouches for (tools, benchmarks). */
    public static AudioModelRef resolve(String ref) {
        return resolve(ref, ModelTrust.CALLER);
    }

    /** Resolves the job's setting; a package directory must satisfy {@code trust} here and on every task manager. */
    public static AudioModelRef resolve(String ref, ModelTrust trust) {
        if (ref.equals(LOUDNESS)) {
            return new AudioModelRef(ref, SpectrogramSpec.defaults(),
                    LoudnessClassifier.NAME + "@" + LoudnessClassifier.VERSION, false, trust);
        }
        try {
            ModelManifest m = PackageRef.read(ref, trust).manifest();
            if (!DjlAudioClassifier.TASK.equals(m.task()) || m.audio() == null) {
                throw new IllegalArgumentException("option --audio-model: " + ref + " is a " + m.task()
                        + " model, not an audio model");
            }
            return new AudioModelRef(ref, m.audio(), m.id(), true, trust);
        } catch (IOException e) {
            throw new IllegalArgumentException("option --audio-model: " + e.getMessage(), e);
        }
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
        return id;
    }

    /** The recipe the inference operator runs in {@code open()} on each task manager. */
    public ClassifierFactory<Spectrogram> factory(String device, double silenceDbfs, double loudDbfs) {
        String r = ref;
        ModelTrust t = trust;
        if (!learned) {
            return () -> new LoudnessClassifier(silenceDbfs, loudDbfs);
        }
        return () -> DjlAudioClassifier.load(PackageRef.read(r, t), DjlRuntime.device(device));
    }

    @Override
    public String toString() {
        return ref + " (" + id + ")";
    }
}
