package io.argus.models.action;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.inference.ActionClassifiers;
import io.argus.models.inference.DjlTransferActionClassifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelPackage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer-learning path as a mechanism (its accuracy is in docs/models.md): the real
 * MobileNetV2 backbone from models/pretrained extracts features, an LSTM head trains on them, the
 * package carries the frozen backbone, and it loads and classifies like any action model.
 */
class TransferActionTrainingTest {

    @Test
    void trainsAHeadOnTheFrozenBackboneAndShipsBoth(@TempDir Path dir) throws Exception {
        byte[] backbone = Files.readAllBytes(Path.of("../pretrained/mobilenetv2_block10.pt"));
        ActionTrainer.Config base = ActionTrainer.Config.transfer(backbone);
        InputSpec small = new InputSpec(4, base.spec().fps(), 32, 32, 3);
        ActionTrainer.Config tiny = new ActionTrainer.Config(small, 4, 2, 2, 4, base.learningRate(), 1, 1,
                base.name(), "0.0.1-test", backbone);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ActionTrainer.Result result = new ActionTrainer(new PrintStream(log, true, StandardCharsets.UTF_8)).train(tiny);

        assertThat(log.toString(StandardCharsets.UTF_8)).contains("backbone features of 20 windows", "epoch 1/2");
        ModelPackage pkg = result.pkg();
        assertThat(pkg.manifest().architecture()).isEqualTo(TransferActionNetwork.ARCHITECTURE);
        assertThat(pkg.manifest().baseModel()).isEqualTo(FrameBackbone.MOBILENETV2_BLOCK10);
        assertThat(pkg.file(DjlTransferActionClassifier.BACKBONE)).isEqualTo(backbone);

        pkg.writeTo(dir);
        try (Classifier<FrameWindow> c = ActionClassifiers.load(ModelPackage.read(dir), Device.cpu())) {
            byte[] pixels = ActionScene.random(Action.RUNNING, Backdrop.PLAIN, small,
                    new java.util.SplittableRandom(3)).window(small, 0);
            FrameWindow w = new FrameWindow("s", 0, 500, 32, 32, 3, new long[4], pixels, 0);
            List<Classification> out = c.classify(List.of(w, w));
            assertThat(out).hasSize(2);
            assertThat(out.get(0).labels()).containsExactlyInAnyOrderElementsOf(Action.labels());
            float sum = 0;
            for (float p : out.get(0).scores()) {
                sum += p;
            }
            assertThat(sum).isBetween(0.99f, 1.01f);
            assertThat(out.get(1).label()).isEqualTo(out.get(0).label());
        }
    }
}
