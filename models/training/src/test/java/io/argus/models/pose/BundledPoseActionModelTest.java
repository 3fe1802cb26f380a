package io.argus.models.pose;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.argus.models.action.Action;
import io.argus.models.classify.Classification;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.packaging.ModelPackage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bundled pose action model's keypoint LSTM on tracks it never saw: people generated from a
 * seed training never used, each through a camera of its own (height, pitch, yaw, field of view,
 * aspect drawn anew), with the pose model's noise; and the window's summary for the stream.
 */
class BundledPoseActionModelTest {

    static final String NAME = "pose-action-lstm";
    private static final long HELD_OUT_SEED = 90_210;
    private static final int PER_CLASS = 200;

    @Test
    void macroF1OnHeldOutTracksIsAtLeastNinetyPercent() throws Exception {
        ModelPackage pkg = ModelPackage.bundled(NAME);
        int slots = pkg.manifest().video().frames();
        SyntheticTracks gen = new SyntheticTracks(slots, pkg.manifest().video().fps(), PoseNoise.defaults());
        Random r = new Random(HELD_OUT_SEED);
        List<PoseWindow> windows = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (int i = 0; i < PER_CLASS; i++) {
            for (Action a : Action.values()) {
                TrackWindow t = gen.generate(a, r);
                windows.add(new PoseWindow("held-out", 0, 2000, slots, t.aspect(), new int[] {i}, t.poses(),
                        t.present(), 0));
                truth.add(a.label());
            }
        }
        ConfusionMatrix people = new ConfusionMatrix(Action.labels());
        ConfusionMatrix scenes = new ConfusionMatrix(Action.labels());
        try (PoseActionClassifier classifier = PoseActionClassifier.load(pkg, Device.cpu())) {
            for (int from = 0; from < windows.size(); from += 64) {
                List<PoseWindow> batch = windows.subList(from, Math.min(windows.size(), from + 64));
                List<Classification> out = classifier.classify(batch);
                for (int k = 0; k < out.size(); k++) {
                    assertThat(out.get(k).people()).hasSize(1);
                    people.add(truth.get(from + k), out.get(k).people().get(0).classification().label());
                    scenes.add(truth.get(from + k), out.get(k).label());
                }
            }
        }
        System.out.println("bundled " + NAME + " on held-out synthetic tracks, per person:\n" + people
                + "\nper window (one person in view):\n" + scenes);
        assertThat(people.total()).isEqualTo(PER_CLASS * 5L);
        assertThat(people.macroF1()).as("macro-F1 per person").isGreaterThanOrEqualTo(0.9);
        // with one person in view, the window says what that person does
        assertThat(scenes.macroF1()).as("macro-F1 per window").isGreaterThanOrEqualTo(0.9);
        for (int c = 0; c < Action.values().length; c++) {
            assertThat(people.recall(c)).as("recall of %s", Action.values()[c].label()).isGreaterThan(0.8);
        }
    }

    @Test
    void aWindowWithNobodyInViewIsIdleAndNamesNoPeople() throws Exception {
        ModelPackage pkg = ModelPackage.bundled(NAME);
        int slots = pkg.manifest().video().frames();
        try (PoseActionClassifier classifier = PoseActionClassifier.load(pkg, Device.cpu())) {
            Classification c = classifier.classify(List.of(new PoseWindow("empty", 0, 2000, slots, 4f / 3,
                    new int[0], new float[0], new boolean[0], 0))).get(0);
            assertThat(c.label()).isEqualTo(Action.IDLE.label());
            assertThat(c.score()).isEqualTo(1f);
            assertThat(c.people()).isEmpty();
        }
    }
}
