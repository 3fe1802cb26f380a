package io.argus.jobs.models;

import io.argus.models.packaging.ModelPackage;
import java.io.IOException;
import java.nio.file.Path;

/** Where a model option points: {@code bundled:NAME} (shipped in the jar) or a package directory. */
public final class PackageRef {

    public static final String BUNDLED = "bundled:";

    private PackageRef() {}

    public static ModelPackage read(String ref) throws IOException {
        return ref.startsWith(BUNDLED) ? ModelPackage.bundled(ref.substring(BUNDLED.length()))
                : ModelPackage.read(Path.of(ref));
    }
}
