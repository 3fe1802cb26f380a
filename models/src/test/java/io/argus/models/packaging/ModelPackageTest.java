package io.argus.models.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.argus.models.classify.Classifier;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.input.FrameWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {

    @Test
    void theBundledActionModelVerifiesAndLoads() throws Exception {
        ModelPackage pkg = ModelPackage.bundled("action-cnn-lstm");
        ModelManifest m = pkg.manifest();
        assertThat(m.task()).isEqualTo("action");
        assertThat(m.labels()).containsExactly("walking", "running", "waving", "jumping", "idle");
        assertThat(m.video().frames()).isEqualTo(16);
        assertThat(m.files()).containsKey(ModelPackage.WEIGHTS);
        try (Classifier<FrameWindow> c = DjlActionClassifier.load(pkg, Device.cpu())) {
            assertThat(c.info().version()).isEqualTo(m.version());
        }
    }

    @Test
    void aWrittenPackageReadsBackAndATamperedOneIsRefused(@TempDir Path dir) throws Exception {
        ModelPackage pkg = ModelPackage.bundled("action-cnn-lstm");
        pkg.writeTo(dir);
        assertThat(ModelPackage.read(dir).manifest()).isEqualTo(pkg.manifest());

        byte[] weights = Files.readAllBytes(dir.resolve(ModelPackage.WEIGHTS));
        weights[weights.length / 2] ^= 1;
        Files.write(dir.resolve(ModelPackage.WEIGHTS), weights);
        assertThatThrownBy(() -> ModelPackage.read(dir))
                .isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("weights.params has SHA-256");
    }

    @Test
    void fileNamesThatLeaveThePackageAreRefused(@TempDir Path dir) throws Exception {
        ModelPackage.bundled("action-cnn-lstm").writeTo(dir);
        String manifest = Files.readString(dir.resolve(ModelPackage.MANIFEST));
        Files.writeString(dir.resolve(ModelPackage.MANIFEST), manifest.replace("\"weights.params\"", "\"../weights.params\""));
        assertThatThrownBy(() -> ModelPackage.read(dir)).hasMessageContaining("not a plain file name");
        Files.writeString(dir.resolve(ModelPackage.MANIFEST), "{ not json");
        assertThatThrownBy(() -> ModelPackage.read(dir)).hasMessageContaining("unreadable manifest.json");
    }
}
