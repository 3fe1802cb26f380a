package io.argus.jobs.models;

import io.argus.models.admission.ModelAdmission;
import io.argus.models.admission.ModelKind;
import io.argus.models.classify.ClassifierFactory;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.runtime.DjlRuntime;
import io.argus.operators.inference.ModelSource;
import java.io.Serializable;

/**
 * A model setting of the job resolved when the job is built: what it refers to, the id and version
 * it named then, and the trust and registry the task managers read it with. The action and audio
 * settings ({@link ActionModelRef}, {@link AudioModelRef}) each hold one beside their input spec.
 */
final class ResolvedModel implements Serializable {

    private static final long serialVersionUID = 1L;

    final ModelRef ref;
    /** {@code name@version}. */
    final String id;
    final String version;
    final ModelTrust trust;
    /** The registry {@code registry:NAME} refers to; may be null otherwise. */
    final String registry;

    ResolvedModel(ModelRef ref, String id, String version, ModelTrust trust, String registry) {
        this.ref = ref;
        this.id = id;
        this.version = version;
        this.trust = trust;
        this.registry = registry;
    }

    /**
     * The recipe the inference operator runs in {@code open()} on each task manager: the package is
     * read with the job's trust and admitted ({@link ModelAdmission}) on the device.
     */
    <I extends ModelInput> ClassifierFactory<I> admitted(ModelKind<I> kind, String device) {
        ModelRef r = ref;
        ModelTrust t = trust;
        return () -> ModelAdmission.admit(PackageRef.read(r, t), kind, DjlRuntime.device(device)).classifier();
    }

    /**
     * Where the inference operator gets its model: {@code fixed}, or for {@code registry:NAME} each
     * version promoted while the job runs, if it verifies, {@code fits} the job and passes admission.
     */
    <I extends ModelInput> ModelSource<I> source(ModelKind<I> kind, String device, ClassifierFactory<I> fixed,
            RegistryModelSource.Fit fits) {
        if (!(ref instanceof ModelRef.Registry named)) {
            return ModelSource.fixed(ref.text(), version, fixed);
        }
        return new RegistryModelSource<>(registry, named, trust, kind, device, fits);
    }

    @Override
    public String toString() {
        return ref.text() + " (" + id + ")";
    }
}
