package io.argus.jobs.models;

import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a model option points: {@code bundled:NAME} (shipped in the jar), {@code registry:NAME}
 * (the version a model registry serves, followed while the job runs) or a package directory.
 */
public final class PackageRef {

    public static final String BUNDLED = "bundled:";
    public static final String REGISTRY = "registry:";

    private PackageRef() {}

    /** Reads the package; a directory is checked against {@code trust}, a bundled package is trusted. */
    public static ModelPackage read(String ref, ModelTrust trust) throws IOException {
        return ref.startsWith(BUNDLED) ? ModelPackage.bundled(ref.substring(BUNDLED.length()))
                : ModelPackage.read(Path.of(ref), trust);
    }

    /** The manifest {@code ref} names now: for a registry, the serving version's. */
    static ModelManifest manifest(String ref, ModelTrust trust, String registry) throws IOException {
        if (!ref.startsWith(REGISTRY)) {
            return read(ref, trust).manifest();
        }
        if (registry == null) {
            throw new IllegalArgumentException(ref + " needs --model-registry");
        }
        String name = ref.substring(REGISTRY.length());
        ModelRegistry r = new ModelRegistry(registry);
        String version = r.serving(name).orElseThrow(() -> new IllegalArgumentException(
                name + " serves no version in " + registry + "; promote one (argus models promote)"));
        return r.read(name, version, trust).manifest();
    }
}
