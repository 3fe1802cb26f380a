package io.argus.models.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.argus.models.classify.Classifier;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.input.FrameWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
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

    @Test
    void filesTheManifestDoesNotListLinksAndUnknownTypesAreRefused(@TempDir Path dir) throws Exception {
        ModelPackage.bundled("action-cnn-lstm").writeTo(dir);
        Files.writeString(dir.resolve("payload.so"), "not a model");
        assertThatThrownBy(() -> ModelPackage.read(dir)).hasMessageContaining("unexpected file 'payload.so'");
        Files.delete(dir.resolve("payload.so"));
        Files.createSymbolicLink(dir.resolve("extra.params"), dir.resolve(ModelPackage.WEIGHTS));
        assertThatThrownBy(() -> ModelPackage.read(dir)).hasMessageContaining("'extra.params' is not a plain file");
        Files.delete(dir.resolve("extra.params"));

        String manifest = Files.readString(dir.resolve(ModelPackage.MANIFEST));
        Files.writeString(dir.resolve(ModelPackage.MANIFEST), manifest.replace("\"weights.params\"", "\"model.pkl\""));
        assertThatThrownBy(() -> ModelPackage.read(dir)).hasMessageContaining("'model.pkl' is neither DJL parameters");
    }

    @Test
    void torchScriptLoadsOnlyFromATrustedDirectory(@TempDir Path root) throws Exception {
        ModelManifest m = ModelPackage.bundled("action-cnn-lstm").manifest();
        ModelPackage withCode = ModelPackage.create(m, Map.of(ModelPackage.WEIGHTS, new byte[] {1, 2},
                "backbone.pt", new byte[] {3, 4}));
        Path trusted = root.resolve("trusted");
        Path elsewhere = root.resolve("downloads");
        withCode.writeTo(trusted.resolve("m"));
        withCode.writeTo(elsewhere.resolve("m"));

        assertThatThrownBy(() -> ModelPackage.read(elsewhere.resolve("m"), ModelTrust.of(List.of(), null)))
                .isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("backbone.pt is TorchScript").hasMessageContaining("--model-trusted-dirs");
        ModelTrust trustingOne = ModelTrust.of(List.of(trusted), null);
        assertThat(ModelPackage.read(trusted.resolve("m"), trustingOne).file("backbone.pt")).containsExactly(3, 4);
        assertThatThrownBy(() -> ModelPackage.read(elsewhere.resolve("m"), trustingOne))
                .hasMessageContaining("not inside a trusted model directory");
        // a link from the trusted directory to a package elsewhere does not make it trusted
        Files.createSymbolicLink(trusted.resolve("link"), elsewhere.resolve("m"));
        assertThatThrownBy(() -> ModelPackage.read(trusted.resolve("link"), trustingOne))
                .hasMessageContaining("not inside a trusted model directory");
        // tensors-only packages load from anywhere when no trusted directory is configured
        ModelPackage.bundled("action-cnn-lstm").writeTo(elsewhere.resolve("plain"));
        assertThat(ModelPackage.read(elsewhere.resolve("plain"), ModelTrust.of(List.of(), null)).manifest().name())
                .isEqualTo("action-cnn-lstm");
    }

    @Test
    void withAKeyConfiguredOnlyPackagesSignedByItLoad(@TempDir Path root) throws Exception {
        KeyPair ours = ModelSigning.generateKeyPair();
        KeyPair theirs = ModelSigning.generateKeyPair();
        Path keyFile = root.resolve("signing.pub");
        ModelSigning.writePem(keyFile, ours.getPublic());
        Path privateFile = root.resolve("signing.key");
        ModelSigning.writePem(privateFile, ours.getPrivate());
        ModelTrust trust = ModelTrust.of(List.of(), ModelSigning.readPublicKey(keyFile));
        Path dir = root.resolve("m");
        ModelPackage.bundled("audio-cnn").writeTo(dir);

        assertThatThrownBy(() -> ModelPackage.read(dir, trust)).hasMessageContaining("unsigned");
        ModelSigning.sign(dir, ModelSigning.readPrivateKey(privateFile));
        assertThat(ModelPackage.read(dir, trust).manifest().name()).isEqualTo("audio-cnn");

        // a label renamed after signing: the checksums still hold, the signature does not
        String manifest = Files.readString(dir.resolve(ModelPackage.MANIFEST));
        Files.writeString(dir.resolve(ModelPackage.MANIFEST), manifest.replace("\"alarm\"", "\"alarn\""));
        assertThatThrownBy(() -> ModelPackage.read(dir, trust))
                .hasMessageContaining("not a signature of its manifest by the configured key");
        Files.writeString(dir.resolve(ModelPackage.MANIFEST), manifest);
        ModelSigning.sign(dir, theirs.getPrivate());
        assertThatThrownBy(() -> ModelPackage.read(dir, trust))
                .hasMessageContaining("not a signature of its manifest by the configured key");
        Files.writeString(dir.resolve(ModelPackage.SIGNATURE), "%%% not base64");
        assertThatThrownBy(() -> ModelPackage.read(dir, trust)).hasMessageContaining("unreadable manifest.sig");
    }
}
