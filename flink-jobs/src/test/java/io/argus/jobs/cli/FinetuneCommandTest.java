package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.argus.connectors.replay.SyntheticClip;
import io.argus.connectors.replay.SyntheticClip.Phase;
import io.argus.connectors.replay.SyntheticClip.Sound;
import io.argus.models.action.Action;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command end to end on a folder of 2 labels x 2 short generated clips (a mechanism, not accuracy). */
class FinetuneCommandTest {

    @Test
    void fineTunesTheBundledModelOnAFolderOfClipsAndWritesAPackageThatLoads(@TempDir Path root) throws Exception {
        Path data = root.resolve("clips");
        long seed = 1;
        for (String label : List.of("moving", "still")) {
            Files.createDirectories(data.resolve(label));
            for (int i = 0; i < 2; i++) {
                Action action = label.equals("moving") ? Action.WALKING : Action.WAVING;
                SyntheticClip.standard(seed++).write(data.resolve(label).resolve("clip-" + i + ".mkv"),
                        List.of(new Phase(3000, action, Sound.SILENCE)));
            }
        }
        Files.writeString(data.resolve("still").resolve("notes.txt"), "not a clip");
        Path out = root.resolve("model");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        FinetuneCommand.run(new String[] {"--data", data.toString(), "--out", out.toString(), "--epochs", "2",
                "--batch-size", "2", "--version", "0.0.1-test"}, new PrintStream(said, true, StandardCharsets.UTF_8));

        String log = said.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("labels [moving, still]", "moving/clip-0.mkv", "epoch 1/2",
                "frozen: all but the head", "argus finetune: wrote action-finetuned@0.0.1-test");
        ModelPackage pkg = ModelPackage.read(out);
        ModelManifest m = pkg.manifest();
        assertThat(m.baseModel()).isEqualTo(ModelPackage.bundled("action-cnn-lstm").manifest().id());
        assertThat(m.labels()).containsExactly("moving", "still");
        assertThat(m.training()).containsEntry("frozen", "all but the head").containsKeys("trainSamples", "bestEpoch");
        assertThat(m.metrics()).containsKey("validation");
        List<FrameWindow> windows = FinetuneCommand.windows(data.resolve("moving").resolve("clip-0.mkv"), m.video(), 8);
        assertThat(windows).isNotEmpty();
        try (Classifier<FrameWindow> c = DjlActionClassifier.load(pkg, Device.cpu())) {
            List<Classification> results = c.classify(windows);
            assertThat(results).hasSize(windows.size());
            assertThat(results.get(0).labels()).containsExactlyInAnyOrder("moving", "still");
        }
    }

    @Test
    void refusesALabelWithOneClipAndABadFreeze(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        assertThatThrownBy(() -> FinetuneCommand.freeze("most")).hasMessageStartingWith("option --freeze:");
        assertThatThrownBy(() -> FinetuneCommand.run(new String[] {"--data", root.toString(), "--out",
                root.resolve("o").toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .hasMessageContaining("label a has 0 clip(s)");
    }
}
