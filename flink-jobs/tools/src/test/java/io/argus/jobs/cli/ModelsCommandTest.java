package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.ModelTrustOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.models.AudioModelRef;
import io.argus.jobs.models.ModelRegistry;
import io.argus.jobs.models.TestPackages;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelSigning;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.testing.FaultyPackages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelsCommandTest {

    @Test
    void keysMadeByKeygenSignPackagesThatTheJobThenAcceptsAndItRefusesUnsignedOnes(@TempDir Path root)
            throws Exception {
        Path keys = root.resolve("keys");
        Path pkg = root.resolve("audio-model");
        ModelPackage.bundled("audio-cnn").writeTo(pkg);
        ModelsCommand.keygen(new String[] {"--out", keys.toString()}, quiet());
        assertThat(Files.getPosixFilePermissions(keys.resolve(ModelsCommand.PRIVATE_KEY)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String publicKey = keys.resolve(ModelsCommand.PUBLIC_KEY).toString();

        Configuration conf = new Configuration();
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, "localhost:9092");
        conf.set(AudioOptions.MODEL, pkg.toString());
        conf.set(ModelTrustOptions.PUBLIC_KEY, publicKey);
        assertThatThrownBy(() -> new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("option --audio-model: model package " + pkg)
                .hasMessageContaining("unsigned");
        assertThatThrownBy(() -> ModelsCommand.verify(new String[] {"--package", pkg.toString(),
                "--model-public-key", publicKey}, quiet())).isInstanceOf(InvalidModelPackageException.class);

        ModelsCommand.sign(new String[] {"--key", keys.resolve(ModelsCommand.PRIVATE_KEY).toString(),
                "--package", pkg.toString()}, quiet());
        new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        ModelsCommand.verify(new String[] {"--package", pkg.toString(), "--model-public-key", publicKey},
                new PrintStream(said, true, StandardCharsets.UTF_8));
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("audio-cnn@", "is accepted", "signature required");

        assertThatThrownBy(() -> ModelsCommand.keygen(new String[] {"--out", keys.toString()}, quiet()))
                .hasMessageContaining("not overwriting a signing key");
    }

    @Test
    void aJobWithTrustedDirectoriesRefusesPackagesOutsideThem(@TempDir Path root) throws Exception {
        Path pkg = root.resolve("downloads").resolve("action-model");
        ModelPackage.bundled("action-cnn-lstm").writeTo(pkg);
        Configuration conf = new Configuration();
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, "localhost:9092");
        conf.set(VideoOptions.ACTION_MODEL, pkg.toString());
        conf.set(ModelTrustOptions.TRUSTED_DIRS, List.of(root.resolve("models").toString()));
        assertThatThrownBy(() -> new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .hasMessageStartingWith("option --action-model: model package " + pkg)
                .hasMessageContaining("not inside a trusted model directory");
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void aBundledModelIsPublishedByNameAndServes(@TempDir Path root) throws Exception {
        String registry = root.resolve("registry").toString();
        assertThat(said(o -> ModelsCommand.publish(new String[] {"--registry", registry, "--package",
                "bundled:audio-cnn"}, o))).isEqualTo("argus models publish: published audio-cnn@1.0.0\n");
        ModelsCommand.promote(new String[] {"--registry", registry, "--model", "audio-cnn", "--version", "1.0.0"},
                quiet());
        assertThat(said(o -> ModelsCommand.list(new String[] {"--registry", registry}, o)))
                .isEqualTo("audio-cnn\n  1.0.0  serving\n");
        assertThatThrownBy(() -> ModelsCommand.publish(new String[] {"--registry", registry, "--package",
                "bundled:no-such-model"}, quiet())).hasMessageContaining("no-such-model");
    }

    @Test
    void theRegistryCommandsPublishPromoteShowListAndRollBack(@TempDir Path root) throws Exception {
        String registry = root.resolve("registry").toString();
        ModelsCommand.publish(new String[] {"--registry", registry, "--package", TestPackages.audioVersion(root, "1.0.0").toString()},
                quiet());
        ModelsCommand.publish(new String[] {"--registry", registry, "--package", TestPackages.audioVersion(root, "1.1.0").toString()},
                quiet());
        ModelsCommand.promote(new String[] {"--registry", registry, "--model", "audio-cnn", "--version", "1.0.0"},
                quiet());
        ModelsCommand.promote(new String[] {"--registry", registry, "--model", "audio-cnn", "--version", "1.1.0"},
                quiet());
        assertThat(said(o -> ModelsCommand.list(new String[] {"--registry", registry}, o)))
                .isEqualTo("audio-cnn\n  1.0.0  retired\n  1.1.0  serving\n");
        assertThat(said(o -> ModelsCommand.show(new String[] {"--registry", registry, "--model", "audio-cnn"}, o)))
                .startsWith("audio-cnn@1.1.0 (serving)").contains("labels      [speech, music, silence, noise, alarm]",
                        "validation  accuracy 0.9589, macro-F1 0.9107", "file        weights.params  sha256 ");
        assertThat(said(o -> ModelsCommand.rollback(new String[] {"--registry", registry, "--model", "audio-cnn"}, o)))
                .contains("now serves 1.0.0 (was 1.1.0)");
    }

    /** A package that must never serve, of the bundled audio model. */
    enum Faulty {
        NAN_BIAS("1.2.0", "golden set golden.npy: 15 of 15 inputs got non-finite scores"),
        TRUNCATED("1.3.0", "weights.params (124,016 bytes) does not fit logmel-cnn-small-v1: the file ends before"),
        MISLABELLED_HEAD("1.4.0", "golden set golden.npy: 0 of 15 inputs gave the expected label (0.00), below the "
                + "manifest's minAgreement 0.80");

        final String version;
        final String reason;

        Faulty(String version, String reason) {
            this.version = version;
            this.reason = reason;
        }

        ModelPackage make() throws Exception {
            return switch (this) {
                case NAN_BIAS -> FaultyPackages.nanBias("audio-cnn", version);
                case TRUNCATED -> FaultyPackages.truncated("audio-cnn", version);
                case MISLABELLED_HEAD -> FaultyPackages.mislabelledHead("audio-cnn", version);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Faulty.class)
    void aPackageThatWouldMisbehaveIsRefusedByVerifyPublishPromoteAndJobStart(Faulty faulty, @TempDir Path root)
            throws Exception {
        Path pkg = root.resolve("package");
        faulty.make().writeTo(pkg);
        String registry = root.resolve("registry").toString();
        ModelsCommand.publish(new String[] {"--registry", registry, "--package", TestPackages.audioVersion(root,
                "1.0.0").toString()}, quiet());
        ModelsCommand.promote(new String[] {"--registry", registry, "--model", "audio-cnn", "--version", "1.0.0"},
                quiet());

        assertThatThrownBy(() -> ModelsCommand.verify(new String[] {"--package", pkg.toString()}, quiet()))
                .isInstanceOf(InvalidModelPackageException.class)
                .hasMessageStartingWith("model package " + pkg + ": " + faulty.reason);
        assertThatThrownBy(() -> ModelsCommand.publish(new String[] {"--registry", registry, "--package",
                pkg.toString()}, quiet())).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining(faulty.reason);
        assertThat(new ModelRegistry(registry).versions("audio-cnn")).containsExactly("1.0.0");

        // written into the registry by hand, bypassing publish
        faulty.make().writeTo(root.resolve("registry/audio-cnn").resolve(faulty.version));
        assertThatThrownBy(() -> ModelsCommand.promote(new String[] {"--registry", registry, "--model", "audio-cnn",
                "--version", faulty.version}, quiet())).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining(faulty.reason);
        assertThat(new ModelRegistry(registry).serving("audio-cnn")).contains("1.0.0");
        assertThat(said(o -> ModelsCommand.list(new String[] {"--registry", registry}, o)))
                .contains("  1.0.0  serving\n", "  " + faulty.version + "  refused: model package " + registry
                        + "/audio-cnn@" + faulty.version + ": " + faulty.reason, "(argus models promote, ");
        assertThatThrownBy(() -> ModelsCommand.promote(new String[] {"--registry", registry, "--model", "audio-cnn",
                "--version", faulty.version}, quiet())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("audio-cnn@" + faulty.version + " was refused (argus models promote)");

        Configuration conf = new Configuration();
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, "localhost:9092");
        conf.set(VideoOptions.ENABLED, false);
        conf.set(AudioOptions.MODEL, pkg.toString());
        assertThatThrownBy(() -> new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("option --audio-model: model package " + pkg + ": " + faulty.reason);
    }

    @Test
    void aJobStartedWhileTheRegistryServesABadVersionStartsWithTheLastGoodOneAndMarksTheBadOne(@TempDir Path root)
            throws Exception {
        String registry = root.resolve("registry").toString();
        ModelRegistry r = new ModelRegistry(registry);
        r.publish(TestPackages.audioVersion(root, "1.0.0"));
        r.promote("audio-cnn", "1.0.0", true);
        FaultyPackages.nanBias("audio-cnn", "1.2.0").writeTo(root.resolve("registry/audio-cnn/1.2.0"));
        Files.writeString(root.resolve("registry/audio-cnn/SERVING"), "1.2.0\n"); // by hand

        AudioModelRef ref = AudioModelRef.resolve("registry:audio-cnn", ModelTrust.of(List.of(), null), registry);
        assertThat(ref.id()).isEqualTo("audio-cnn@1.0.0");
        assertThat(r.refusal("audio-cnn", "1.2.0")).hasValueSatisfying(x -> {
            assertThat(x.reason()).contains("15 of 15 inputs got non-finite scores");
            assertThat(x.by()).isEqualTo("job submission");
        });
        assertThat(said(o -> ModelsCommand.list(new String[] {"--registry", registry}, o)))
                .contains("SERVING names 1.2.0, which is refused: jobs serve the last good version, 1.0.0");
    }

    @Test
    void publishAndPromoteRefuseWhatAJobRequiringSignaturesWouldRefuse(@TempDir Path root) throws Exception {
        Path keys = root.resolve("keys");
        ModelsCommand.keygen(new String[] {"--out", keys.toString()}, quiet());
        String publicKey = keys.resolve(ModelsCommand.PUBLIC_KEY).toString();
        String registry = root.resolve("registry").toString();
        Path unsigned = TestPackages.audioVersion(root, "1.0.0");
        assertThatThrownBy(() -> ModelsCommand.publish(new String[] {"--registry", registry, "--package",
                unsigned.toString(), "--model-public-key", publicKey}, quiet()))
                .isInstanceOf(InvalidModelPackageException.class).hasMessageContaining("unsigned");

        ModelsCommand.publish(new String[] {"--registry", registry, "--package", unsigned.toString()}, quiet());
        assertThatThrownBy(() -> ModelsCommand.promote(new String[] {"--registry", registry, "--model", "audio-cnn",
                "--version", "1.0.0", "--model-public-key", publicKey}, quiet()))
                .isInstanceOf(InvalidModelPackageException.class).hasMessageContaining("unsigned");
        assertThat(new ModelRegistry(registry).serving("audio-cnn")).isEmpty();

        Path signed = TestPackages.audioVersion(root, "1.1.0");
        ModelsCommand.sign(new String[] {"--key", keys.resolve(ModelsCommand.PRIVATE_KEY).toString(), "--package",
                signed.toString()}, quiet());
        ModelsCommand.publish(new String[] {"--registry", registry, "--package", signed.toString(),
                "--model-public-key", publicKey}, quiet());
        assertThat(said(o -> ModelsCommand.promote(new String[] {"--registry", registry, "--model", "audio-cnn",
                "--version", "1.1.0", "--model-public-key", publicKey}, o)))
                .contains("now serves 1.1.0 (was none); golden set golden.npy: 15 of 15 inputs gave the expected label");

        // an unsigned version served by hand cannot stop a job requiring signatures from starting
        ModelsCommand.publish(new String[] {"--registry", registry, "--package", TestPackages.audioVersion(root,
                "1.2.0").toString()}, quiet());
        Files.writeString(root.resolve("registry/audio-cnn/SERVING"), "1.2.0\n");
        AudioModelRef ref = AudioModelRef.resolve("registry:audio-cnn",
                ModelTrust.of(List.of(), ModelSigning.readPublicKey(Path.of(publicKey))),
                registry);
        assertThat(ref.id()).isEqualTo("audio-cnn@1.1.0");
        assertThat(new ModelRegistry(registry).refusal("audio-cnn", "1.2.0").orElseThrow()).satisfies(r -> {
            assertThat(r.reason()).contains("unsigned");
            assertThat(r.by()).isEqualTo("job submission");
        });
    }

    private interface Command {
        void run(PrintStream out) throws Exception;
    }

    private static String said(Command c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.run(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
