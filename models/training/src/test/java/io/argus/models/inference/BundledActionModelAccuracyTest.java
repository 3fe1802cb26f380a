package io.argus.models.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.argus.models.action.Action;
import io.argus.models.action.ActionDataset;
import io.argus.models.action.ActionTrainer;
import io.argus.models.action.Backdrop;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelPackage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each bundled action model on data it never saw: scenes on the TILES backdrop family, which
 * training left out, rendered from seeds training never used.
 */
class BundledActionModelAccuracyTest {

    private static final long HELD_OUT_SEED = 90_210;

    @ParameterizedTest
    @ValueSource(strings = {"action-cnn-lstm"})
    void macroF1OnHeldOutScenesIsAtLeastNinetyPercent(String name) throws Exception {
        ModelPackage pkg = ModelPackage.bundled(name);
        assertThat(ActionTrainer.TRAINING_BACKDROPS).doesNotContain(Backdrop.TILES);
        InputSpec spec = pkg.manifest().video();
        ActionDataset heldOut = ActionDataset.render(spec, 60, List.of(Backdrop.TILES), HELD_OUT_SEED);

        ConfusionMatrix cm = new ConfusionMatrix(Action.labels());
        try (Classifier<FrameWindow> classifier = ActionClassifiers.load(pkg, Device.cpu())) {
            List<FrameWindow> batch = new ArrayList<>();
            List<Integer> truth = new ArrayList<>();
            for (int i = 0; i < heldOut.size(); i++) {
                long[] times = new long[spec.frames()];
                batch.add(new FrameWindow("held-out", 0, 2000, spec.height(), spec.width(), spec.channels(), times,
                        heldOut.window(i), 0));
                truth.add(heldOut.label(i));
                if (batch.size() == 32 || i == heldOut.size() - 1) {
                    List<Classification> results = classifier.classify(batch);
                    for (int k = 0; k < results.size(); k++) {
                        cm.add(Action.labels().get(truth.get(k)), results.get(k).label());
                    }
                    batch.clear();
                    truth.clear();
                }
            }
        }
        System.out.println("bundled action model " + name + " on held-out TILES scenes:\n" + cm);
        assertThat(cm.total()).isEqualTo(300);
        assertThat(cm.macroF1()).as("macro-F1 on held-out scenes").isGreaterThanOrEqualTo(0.9);
        for (int c = 0; c < Action.values().length; c++) {
            assertThat(cm.recall(c)).as("recall of %s", Action.values()[c].label()).isGreaterThan(0.7);
        }
    }
}
