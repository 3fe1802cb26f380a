package io.argus.jobs.models;

import io.argus.models.admission.ModelAdmission;
import io.argus.models.admission.ModelKind;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a model option points: {@code bundled:NAME} (shipped in the jar), {@code registry:NAME}
 * (the version a model registry serves, followed while the job runs), {@code registry:NAME@VERSION}
 * (one version of the registry, kept while the job runs) or a package directory.
 */
public final class PackageRef {

    public static final String BUNDLED = "bundled:";
    private static final Logger LOG = LoggerFactory.getLogger(PackageRef.class);
    public static final String REGISTRY = "registry:";

    private PackageRef() {}

    /** Reads the package; a directory is checked against {@code trust}, a bundled package is trusted. */
    public static ModelPackage read(String ref, ModelTrust trust) throws IOException {
        return ref.startsWith(BUNDLED) ? ModelPackage.bundled(ref.substring(BUNDLED.length()))
                : ModelPackage.read(Path.of(ref), trust);
    }

    /**
     * The manifest of the learned model a job option names, checked to be of {@code kind} with an
     * input spec ({@code input} of it not null) and, but for a bundled model (the task managers
     * admit those), admitted here; every problem becomes an error naming the option.
     */
    static ModelManifest learned(String option, ModelKind<?> kind, String ref, ModelTrust trust, String registry,
            Function<ModelManifest, ?> input) {
        try {
            ModelPackage pkg = startPackage(ref, trust, registry);
            ModelManifest m = pkg.manifest();
            if (!kind.task().equals(m.task()) || input.apply(m) == null) {
                throw new IllegalArgumentException("option --" + option + ": " + ref + " is a " + m.task()
                        + " model, not an " + kind.task() + " model");
            }
            if (!ref.startsWith(BUNDLED) && !ref.startsWith(REGISTRY)) {
                ModelAdmission.check(pkg);
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

    /**
     * The package {@code ref} names now. For {@code registry:NAME}, the version the job starts
     * with: the serving one, unless it was refused or is refused now (it then gets a refusal marker),
     * in which case the last good one, as the task managers will choose; admitted here.
     */
    static ModelPackage startPackage(String ref, ModelTrust trust, String registry) throws IOException {
        if (!ref.startsWith(REGISTRY)) {
            return read(ref, trust);
        }
        if (registry == null) {
            throw new IllegalArgumentException(ref + " needs --model-registry");
        }
        String name = registryName(ref);
        ModelRegistry r = new ModelRegistry(registry);
        String pinned = registryVersion(ref);
        if (pinned != null) {
            ModelPackage pkg = r.read(name, pinned, trust);
            ModelAdmission.check(pkg);
            return pkg;
        }
        String serving = r.serving(name).orElseThrow(() -> new IllegalArgumentException(
                name + " serves no version in " + registry + "; promote one (argus models promote)"));
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(serving);
        candidates.addAll(r.lastGood(name));
        List<String> refused = new ArrayList<>();
        for (String v : candidates) {
            Optional<ModelRegistry.Refusal> earlier = r.refusal(name, v);
            if (earlier.isPresent()) {
                refused.add(v + ": " + earlier.get().reason());
                continue;
            }
            ModelPackage pkg;
            try {
                pkg = r.read(name, v, trust);
                ModelAdmission.check(pkg);
            } catch (InvalidModelPackageException e) {
                r.refuse(name, v, e.getMessage(), "job submission");
                refused.add(v + ": " + e.getMessage());
                continue;
            }
            if (!refused.isEmpty()) {
                LOG.warn("{}: starting with {}, the last good version; refused: {}", ref, v, refused);
            }
            return pkg;
        }
        throw new InvalidModelPackageException(registry + "/" + name, "no version to start with: " + refused);
    }
}
