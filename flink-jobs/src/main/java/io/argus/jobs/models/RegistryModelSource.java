package io.argus.jobs.models;

import io.argus.models.admission.ModelAdmission;
import io.argus.models.admission.ModelKind;
import io.argus.models.classify.Classifier;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.runtime.DjlRuntime;
import io.argus.operators.inference.ModelSource;
import java.io.Serializable;
import java.util.List;

/**
 * The model a registry serves under a name, for a job that swaps to each version promoted while
 * it runs; or, pinned, one version of it that the job keeps. A candidate version must verify
 * (checksums, files, signature when configured), take the job's input spec exactly (the windows are
 * already being cut to it) and pass {@link ModelAdmission} on the device the job runs on, whose
 * golden inputs also warm it up before it takes over. Refusals of the package itself are recorded
 * in the registry ({@link ModelRegistry#refuse}); the fallbacks are the registry's last good
 * versions.
 */
final class RegistryModelSource<I extends ModelInput> implements ModelSource<I> {

    private static final long serialVersionUID = 1L;

    /** Why a manifest does not fit the running job, or null when it does. */
    interface Fit extends Serializable {
        String mismatch(ModelManifest m);
    }

    private final String registry;
    private final String name;
    /** The version to keep, or null to follow the one served. */
    private final String pinned;
    private final ModelTrust trust;
    private final ModelKind<I> kind;
    private final String device;
    private final Fit fit;

    RegistryModelSource(String registry, ModelRef.Registry ref, ModelTrust trust, ModelKind<I> kind, String device,
            Fit fit) {
        this.registry = registry;
        this.name = ref.name();
        this.pinned = ref.version();
        this.trust = trust;
        this.kind = kind;
        this.device = device;
        this.fit = fit;
    }

    @Override
    public String describe() {
        return new ModelRef.Registry(name, pinned).text();
    }

    @Override
    public boolean watched() {
        return pinned == null;
    }

    @Override
    public String serving() throws Exception {
        if (pinned != null) {
            return pinned;
        }
        return new ModelRegistry(registry).serving(name)
                .orElseThrow(() -> new IllegalStateException(name + " serves no version in " + registry));
    }

    @Override
    public String shadow() throws Exception {
        return pinned != null ? null : new ModelRegistry(registry).shadow(name).orElse(null);
    }

    @Override
    public Classifier<I> load(String version) throws Exception {
        ModelPackage pkg = new ModelRegistry(registry).read(name, version, trust);
        String mismatch = fit.mismatch(pkg.manifest());
        if (mismatch != null) {
            throw new IllegalArgumentException(pkg.manifest().id() + " does not fit the running job: " + mismatch);
        }
        return ModelAdmission.admit(pkg, kind, DjlRuntime.device(device)).classifier();
    }

    @Override
    public List<String> fallbacks() throws Exception {
        return pinned != null ? List.of() : new ModelRegistry(registry).lastGood(name);
    }

    @Override
    public String refusal(String version) throws Exception {
        return new ModelRegistry(registry).refusal(name, version).map(ModelRegistry.Refusal::reason).orElse(null);
    }

    @Override
    public void refuse(String version, String reason, String by) throws Exception {
        new ModelRegistry(registry).refuse(name, version, reason, by);
    }
}
