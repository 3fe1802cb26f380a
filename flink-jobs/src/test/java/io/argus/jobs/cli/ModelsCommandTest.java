package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.models.TestPackages;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelPackage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        conf.set(JobOptions.AUDIO_MODEL, pkg.toString());
        conf.set(JobOptions.MODEL_PUBLIC_KEY, publicKey);
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
        conf.set(JobOptions.ACTION_MODEL, pkg.toString());
        conf.set(JobOptions.MODEL_TRUSTED_DIRS, java.util.List.of(root.resolve("models").toString()));
        assertThatThrownBy(() -> new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .hasMessageStartingWith("option --action-model: model package " + pkg)
                .hasMessageContaining("not inside a trusted model directory");
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
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
                .isEqualTo("audio-cnn  1.0.0 1.1.0*\n");
        assertThat(said(o -> ModelsCommand.show(new String[] {"--registry", registry, "--model", "audio-cnn"}, o)))
                .startsWith("audio-cnn@1.1.0 (serving)").contains("labels      [speech, music, silence, noise, alarm]",
                        "validation  accuracy 0.9589, macro-F1 0.9107", "file        weights.params  sha256 ");
        assertThat(said(o -> ModelsCommand.rollback(new String[] {"--registry", registry, "--model", "audio-cnn"}, o)))
                .contains("now serves 1.0.0 (was 1.1.0)");
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
