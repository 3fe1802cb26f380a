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
    void rollbackGoesToTheLastVersionThatServedCleanlyAndListShowsEachVersionsState(@TempDir Path root)
            throws Exception {
        ModelRegistry registry = new ModelRegistry(root.resolve("registry").toString());
        for (String v : java.util.List.of("1.0.0", "1.1.0", "2.0.0", "2.1.0", "3.0.0")) {
            registry.publish(TestPackages.audioVersion(root, v));
        }
        for (String v : java.util.List.of("1.0.0", "1.1.0", "2.0.0", "2.1.0")) {
            registry.promote("audio-cnn", v, true);
        }
        registry.refuse("audio-cnn", "2.0.0", "gave 3 windows non-finite scores", "job operator classify-audio");
        assertThat(registry.lastGood("audio-cnn")).containsExactly("2.1.0", "1.1.0", "1.0.0");
        assertThat(registry.states("audio-cnn")).extracting(s -> s.version() + " " + s.state()).containsExactly(
                "1.0.0 RETIRED", "1.1.0 RETIRED", "2.0.0 REFUSED", "2.1.0 SERVING", "3.0.0 PUBLISHED");
        assertThat(registry.states("audio-cnn").get(2).refusal().reason()).isEqualTo("gave 3 windows non-finite scores");

        assertThat(registry.rollback("audio-cnn")).as("the refused 2.0.0 is passed over").isEqualTo("1.1.0");
        assertThat(registry.rollback("audio-cnn")).isEqualTo("2.1.0");
        assertThatThrownBy(() -> registry.promote("audio-cnn", "2.0.0", true))
                .hasMessageStartingWith("audio-cnn@2.0.0 was refused (job operator classify-audio): gave 3 windows");
        assertThat(registry.serving("audio-cnn")).contains("2.1.0");
    }

    @Test
    void aShadowIsAdmittedLikeAPromotionAndEndsWhenStoppedOrPromoted(@TempDir Path root) throws Exception {
        Path dir = root.resolve("registry");
        ModelRegistry registry = new ModelRegistry(dir.toString());
        for (String v : java.util.List.of("1.0.0", "1.1.0", "1.2.0", "1.3.0")) {
            registry.publish(TestPackages.audioVersion(root, v));
        }
        registry.promote("audio-cnn", "1.0.0", true);
        assertThat(registry.shadow("audio-cnn")).isEmpty();
        assertThatThrownBy(() -> registry.startShadow("audio-cnn", "1.0.0", ModelTrust.CALLER))
                .hasMessageContaining("is the version serving");
        assertThatThrownBy(() -> registry.startShadow("audio-cnn", "9.0.0", ModelTrust.CALLER))
                .hasMessageContaining("not published");

        registry.startShadow("audio-cnn", "1.1.0", ModelTrust.CALLER);
        assertThat(registry.shadow("audio-cnn")).contains("1.1.0");
        assertThat(registry.versions("audio-cnn")).as("the pointer is no version").hasSize(4);
        assertThat(registry.stopShadow("audio-cnn")).contains("1.1.0");
        assertThat(registry.shadow("audio-cnn")).isEmpty();
        assertThat(registry.stopShadow("audio-cnn")).isEmpty();

        registry.startShadow("audio-cnn", "1.1.0", ModelTrust.CALLER);
        registry.promote("audio-cnn", "1.2.0", true); // another version: the shadow goes on
        assertThat(registry.shadow("audio-cnn")).contains("1.1.0");
        registry.promote("audio-cnn", "1.1.0", true); // the shadow itself: it serves now, and is a shadow no longer
        assertThat(registry.shadow("audio-cnn")).isEmpty();

        Path weights = dir.resolve("audio-cnn/1.3.0").resolve(ModelPackage.WEIGHTS);
        byte[] w = Files.readAllBytes(weights);
        w[w.length / 2] ^= 1;
        Files.write(weights, w);
        assertThatThrownBy(() -> registry.startShadow("audio-cnn", "1.3.0", ModelTrust.CALLER))
                .isInstanceOf(InvalidModelPackageException.class);
        assertThat(registry.shadow("audio-cnn")).isEmpty();
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
