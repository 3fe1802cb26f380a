package io.argus.jobs.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

    @Test
    void versionsArePublishedOncePromotedAndRolledBack(@TempDir Path root) throws Exception {
        ModelRegistry registry = new ModelRegistry(root.resolve("registry").toUri().toString());
        assertThat(registry.names()).isEmpty();
        assertThat(registry.publish(TestPackages.audioVersion(root, "1.0.0"))).isEqualTo("audio-cnn@1.0.0");
        assertThat(registry.publish(TestPackages.audioVersion(root, "1.10.0"))).isEqualTo("audio-cnn@1.10.0");
        assertThat(registry.publish(TestPackages.audioVersion(root, "1.2.0"))).isEqualTo("audio-cnn@1.2.0");
        assertThatThrownBy(() -> registry.publish(TestPackages.audioVersion(root, "1.2.0")))
                .hasMessageContaining("already published");

        assertThat(registry.names()).containsExactly("audio-cnn");
        assertThat(registry.versions("audio-cnn")).containsExactly("1.0.0", "1.2.0", "1.10.0");
        assertThat(registry.serving("audio-cnn")).isEmpty();
        registry.promote("audio-cnn", "1.0.0", true);
        registry.promote("audio-cnn", "1.10.0", true);
        assertThat(registry.serving("audio-cnn")).contains("1.10.0");
        assertThat(registry.rollback("audio-cnn")).isEqualTo("1.0.0");
        assertThat(registry.serving("audio-cnn")).contains("1.0.0");
        assertThat(registry.history("audio-cnn")).containsExactly("1.0.0", "1.10.0", "1.0.0");
        assertThatThrownBy(() -> registry.promote("audio-cnn", "9.9.9", true)).hasMessageContaining("not published");

        ModelPackage pkg = registry.read("audio-cnn", "1.2.0", ModelTrust.of(java.util.List.of(), null));
        assertThat(pkg.manifest().version()).isEqualTo("1.2.0");
    }

    @Test
    void aPublishedVersionThatWasTamperedWithIsRefusedOnReadAndOnPromotion(@TempDir Path root) throws Exception {
        Path dir = root.resolve("registry");
        ModelRegistry registry = new ModelRegistry(dir.toString());
        registry.publish(TestPackages.audioVersion(root, "2.0.0"));
        Path weights = dir.resolve("audio-cnn/2.0.0").resolve(ModelPackage.WEIGHTS);
        byte[] w = Files.readAllBytes(weights);
        w[w.length / 3] ^= 4;
        Files.write(weights, w);

        assertThatThrownBy(() -> registry.read("audio-cnn", "2.0.0", ModelTrust.CALLER))
                .isInstanceOf(InvalidModelPackageException.class).hasMessageContaining("weights.params has SHA-256");
        assertThatThrownBy(() -> registry.promote("audio-cnn", "2.0.0", true))
                .hasMessageContaining("weights.params has SHA-256");
        assertThat(registry.serving("audio-cnn")).isEmpty();

        Files.write(weights, Files.readAllBytes(TestPackages.audioVersion(root, "x").resolve(ModelPackage.WEIGHTS)));
        Files.writeString(dir.resolve("audio-cnn/2.0.0/run.sh"), "#!/bin/sh");
        assertThatThrownBy(() -> registry.read("audio-cnn", "2.0.0", ModelTrust.CALLER))
                .hasMessageContaining("unexpected file 'run.sh'");
    }
}
