package io.argus.jobs.models;

import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import io.argus.operators.inference.ModelSource;
import java.io.Serializable;
import java.util.List;

/**
 * The model a registry serves under a name, for a job that swaps to each version promoted while
 * it runs; or, pinned, one version of it that the job keeps. A candidate version must verify (checksums, files, signature when configured), take the
 * job's input spec exactly (the windows are already being cut to it) and answer a smoke inference
 * with one score per label; that inference also warms it up before it takes over.
 */
final class RegistryModelSource<I extends ModelInput> implements ModelSource<I> {

    private static final long serialVersionUID = 1L;

    /** Builds the classifier of a verified package. */
    interface Loader<I extends ModelInput> extends Serializable {
        Classifier<I> load(ModelPackage pkg) throws Exception;
    }

    /** Why a manifest does not fit the running job, or null when it does. */
    interface Fit extends Serializable {
        String mismatch(ModelManifest m);
    }

    /** An input of the job's shape, for the smoke inference. */
    interface Sample<I extends ModelInput> extends Serializable {
        I input();
    }

    private final String registry;
    private final String name;
    /** The version to keep, or null to follow the one served. */
    private final String pinned;
    private final ModelTrust trust;
    private final Loader<I> loader;
    private final Fit fit;
    private final Sample<I> sample;

    /** @param ref {@code registry:NAME} or {@code registry:NAME@VERSION} */
    RegistryModelSource(String registry, String ref, ModelTrust trust, Loader<I> loader, Fit fit, Sample<I> sample) {
        this.registry = registry;
        this.name = PackageRef.registryName(ref);
        this.pinned = PackageRef.registryVersion(ref);
        this.trust = trust;
        this.loader = loader;
        this.fit = fit;
        this.sample = sample;
    }

    @Override
    public String describe() {
        return PackageRef.REGISTRY + name + (pinned == null ? "" : "@" + pinned);
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
    public Classifier<I> load(String version) throws Exception {
        ModelPackage pkg = new ModelRegistry(registry).read(name, version, trust);
        String mismatch = fit.mismatch(pkg.manifest());
        if (mismatch != null) {
            throw new IllegalArgumentException(pkg.manifest().id() + " does not fit the running job: " + mismatch);
        }
        Classifier<I> c = loader.load(pkg);
        try {
            List<Classification> out = c.classify(List.of(sample.input()));
            if (out.size() != 1 || out.get(0).labels().size() != pkg.manifest().labels().size()) {
                throw new IllegalStateException("the smoke inference did not give one score per label");
            }
        } catch (RuntimeException e) {
            c.close();
            throw new IllegalStateException("smoke inference failed: " + e.getMessage(), e);
        }
        return c;
    }
}
