package io.argus.models.pose;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.argus.models.admission.ModelKind;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.training.Epochs;
import io.argus.models.training.FineTuning;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes the keypoint LSTM of a pose action package to a new label set with
 * {@link FineTuning}: everything but the head frozen, or the first N of its two units (the
 * per-slot dense layer, then the LSTM). The pose model is the base's, unchanged, and goes into the
 * new package as it is.
 */
public final class PoseFineTuner {

    /** A person's track over a window and the index of its label in the new label set. */
    public record Sample(TrackWindow track, int label) {}

    /** Children of the network each unit ends after: the per-slot dense layer and its ReLU; the LSTM. */
    private static final int[] UNIT_ENDS = {3, 5};

    private final FineTuning tuning;

    public PoseFineTuner(PrintStream progress) {
        this.tuning = new FineTuning(progress);
    }

    /** Units {@code --freeze N} counts. */
    public static int units() {
        return UNIT_ENDS.length;
    }

    /**
     * Fine-tunes {@code base} (a pose action package) to the config's labels; the package carries
     * the base's pose model and a golden set chosen from the validation tracks.
     */
    public FineTuning.Result fineTune(ModelPackage base, List<Sample> train, List<Sample> validation,
            FineTuning.Config c) throws IOException {
        ModelManifest m = base.manifest();
        FineTuning.requireBase(base, DjlActionClassifier.TASK, PoseActionNetwork.ARCHITECTURE, m.video());
        InputSpec spec = m.video();
        FineTuning.Result r = tuning.run(new Network(spec), base, samples(spec, train), samples(spec, validation), c);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(ModelPackage.WEIGHTS, r.pkg().weights());
        files.put(PoseActionClassifier.POSE_MODEL, base.file(PoseActionClassifier.POSE_MODEL));
        ModelPackage withPose = ModelPackage.create(r.pkg().manifest(), files);
        return FineTuning.withGoldenSet(r, withPose, ModelKind.PEOPLE, validation, s -> window(s.track()),
                Sample::label, c.labels());
    }

    /** A track as the classifier reads it: one person's window. */
    private static PoseWindow window(TrackWindow t) {
        return new PoseWindow("golden", 0, 0, t.slots(), t.aspect(), new int[] {0}, t.poses(), t.present(), 0);
    }

    private static FineTuning.Samples samples(InputSpec spec, List<Sample> samples) {
        PoseActionDataset data = new PoseActionDataset(spec.frames());
        samples.forEach(s -> data.add(s.track(), s.label()));
        Epochs.Batches batches = data::batch;
        return new FineTuning.Samples(data.size(), data::label, batches);
    }

    /** The keypoint LSTM as {@link FineTuning} sees it. */
    private record Network(InputSpec spec) implements FineTuning.Network {

        @Override
        public String task() {
            return DjlActionClassifier.TASK;
        }

        @Override
        public String architecture() {
            return PoseActionNetwork.ARCHITECTURE;
        }

        @Override
        public SequentialBlock build(int classes) {
            return (SequentialBlock) PoseActionNetwork.build(spec.frames(), classes);
        }

        @Override
        public Shape inputShape(int batch) {
            return new Shape(batch, spec.frames(), TrackFeatures.WIDTH);
        }

        @Override
        public String units() {
            return "units (the per-slot dense layer, the LSTM)";
        }

        @Override
        public int unitCount() {
            return UNIT_ENDS.length;
        }

        @Override
        public List<Block> leadingUnits(SequentialBlock net, int n) {
            return n == 0 ? List.of() : net.getChildren().values().subList(0, UNIT_ENDS[n - 1]);
        }

        @Override
        public ModelManifest manifest(String name, String version, List<String> labels, String baseModel,
                Map<String, Object> training, Map<String, Object> metrics) {
            return new ModelManifest(ModelPackage.FORMAT, name, version, DjlActionClassifier.TASK,
                    PoseActionNetwork.ARCHITECTURE, labels, spec, null, baseModel, training, metrics, null);
        }
    }
}
