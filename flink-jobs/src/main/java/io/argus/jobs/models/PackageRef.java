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
 * Reads the package a {@link ModelRef} names: shipped in the jar, in a directory, or the version
 * of a registry's model a job starts with.
 */
public final class PackageRef {

    private static final Logger LOG = LoggerFactory.getLogger(PackageRef.class);

    private PackageRef() {}

    /** Reads the package; a directory is checked against {@code trust}, a bundled package is trusted. */
    public static ModelPackage read(String ref, ModelTrust trust) throws IOException {
        return read(ModelRef.parse(ref, null), trust);
    }

    static ModelPackage read(ModelRef ref, ModelTrust trust) throws IOException {
        if (ref instanceof ModelRef.Bundled b) {
            return ModelPackage.bundled(b.name());
        }
        if (ref instanceof ModelRef.Directory d) {
            return ModelPackage.read(Path.of(d.path()), trust);
        }
        throw new IllegalArgumentException(ref.text() + (ref instanceof ModelRef.Registry
                ? " is a registry's model: give the package's directory or bundled:NAME"
                : " is a signal, not a package"));
    }

    /**
     * The manifest of the learned model a job option names, checked to be of {@code kind} with an
     * input spec ({@code input} of it not null) and, but for a bundled model (the task managers
     * admit those), admitted here; every problem becomes an error naming the option.
     */
    static ModelManifest learned(String option, ModelKind<?> kind, ModelRef ref, ModelTrust trust, String registry,
            Function<ModelManifest, ?> input) {
        try {
            ModelPackage pkg = startPackage(ref, trust, registry);
            ModelManifest m = pkg.manifest();
            if (!kind.task().equals(m.task()) || input.apply(m) == null) {
                throw new IllegalArgumentException("option --" + option + ": " + ref.text() + " is " + article(m.task())
                        + " model, not " + article(kind.task()) + " model");
            }
            if (ref instanceof ModelRef.Directory) { // the registry's were admitted, bundled ones are the task managers'
                ModelAdmission.check(pkg);
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("option --" + option + ": " + e.getMessage(), e);
        }
    }

    /**
     * The package {@code ref} names now. For {@code registry:NAME}, the version the job starts
     * with: the serving one, unless it was refused or is refused now (it then gets a refusal marker),
     * in which case the last good one, as the task managers will choose; admitted here.
     */
    static ModelPackage startPackage(ModelRef ref, ModelTrust trust, String registry) throws IOException {
        if (!(ref instanceof ModelRef.Registry named)) {
            return read(ref, trust);
        }
        if (registry == null) {
            throw new IllegalArgumentException(ref.text() + " needs --model-registry");
        }
        String name = named.name();
        ModelRegistry r = new ModelRegistry(registry);
        String pinned = named.version();
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
                LOG.warn("{}: starting with {}, the last good version; refused: {}", ref.text(), v, refused);
            }
            return pkg;
        }
        throw new InvalidModelPackageException(registry + "/" + name, "no version to start with: " + refused);
    }

    /** "an action", "a people": the task with its article, for messages. */
    static String article(String task) {
        return (task.matches("[aeiouAEIOU].*") ? "an " : "a ") + task;
    }
}
