package io.argus.jobs.models;

import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where a model option points: {@code bundled:NAME} (shipped in the jar), {@code registry:NAME}
 * (the version a model registry serves, followed while the job runs), {@code registry:NAME@VERSION}
 * (one version of the registry, kept while the job runs) or a package directory.
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

    /**
     * The manifest of the learned model a job option names, checked to be of {@code task} with an
     * input spec ({@code input} of it not null); every problem becomes an error naming the option.
     */
    static ModelManifest learned(String option, String task, String ref, ModelTrust trust, String registry,
            Function<ModelManifest, ?> input) {
        try {
            ModelManifest m = manifest(ref, trust, registry);
            if (!task.equals(m.task()) || input.apply(m) == null) {
                throw new IllegalArgumentException("option --" + option + ": " + ref + " is a " + m.task()
                        + " model, not an " + task + " model");
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("option --" + option + ": " + e.getMessage(), e);
        }
    }

    /** The model name of a {@code registry:NAME[@VERSION]} reference. */
    static String registryName(String ref) {
        String rest = ref.substring(REGISTRY.length());
        int at = rest.indexOf('@');
        return at < 0 ? rest : rest.substring(0, at);
    }

    /** The version a {@code registry:NAME@VERSION} reference pins, or null for {@code registry:NAME}. */
    static String registryVersion(String ref) {
        String rest = ref.substring(REGISTRY.length());
        int at = rest.indexOf('@');
        if (at == rest.length() - 1) {
            throw new IllegalArgumentException(ref + ": no version after '@'");
        }
        return at < 0 ? null : rest.substring(at + 1);
    }

    /** The package a {@code registry:NAME[@VERSION]} reference names now (the serving or pinned version). */
    static ModelPackage servingPackage(String ref, ModelTrust trust, String registry) throws IOException {
        if (registry == null) {
            throw new IllegalArgumentException(ref + " needs --model-registry");
        }
        String name = registryName(ref);
        ModelRegistry r = new ModelRegistry(registry);
        String pinned = registryVersion(ref);
        String version = pinned != null ? pinned : r.serving(name).orElseThrow(() -> new IllegalArgumentException(
                name + " serves no version in " + registry + "; promote one (argus models promote)"));
        return r.read(name, version, trust);
    }

    /** The manifest {@code ref} names now: for a registry, the serving version's. */
    static ModelManifest manifest(String ref, ModelTrust trust, String registry) throws IOException {
        if (!ref.startsWith(REGISTRY)) {
            return read(ref, trust).manifest();
        }
        return servingPackage(ref, trust, registry).manifest();
    }
}
