package io.argus.jobs.models;

import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import java.io.IOException;
import java.nio.file.Path;

/** Where a model option points: {@code bundled:NAME} (shipped in the jar) or a package directory. */
public final class PackageRef {

    public static final String BUNDLED = "bundled:";

    private PackageRef() {}

    /** Reads the package; a directory is checked against {@code trust}, a bundled package is trusted. */
    public static ModelPackage read(String ref, ModelTrust trust) throws IOException {
        return ref.startsWith(BUNDLED) ? ModelPackage.bundled(ref.substring(BUNDLED.length()))
                : ModelPackage.read(Path.of(ref), trust);
    }
}
