package io.argus.jobs.models;

import io.argus.models.packaging.ModelPackage;
import java.nio.file.Files;
import java.nio.file.Path;

/** Model packages for tests. */
public final class TestPackages {

    private TestPackages() {}

    /** The bundled audio model re-versioned as {@code version} (same weights), as a package directory under root. */
    public static Path audioVersion(Path root, String version) throws Exception {
        Path dir = Files.createTempDirectory(root, "audio-" + version + "-");
        ModelPackage.bundled("audio-cnn").withVersion(version).writeTo(dir);
        return dir;
    }
}
