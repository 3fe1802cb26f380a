package io.argus.models.action;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.argus.models.admission.ModelKind;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.inference.FrameWindowTranslator;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.training.Epochs;
import io.argus.models.training.FineTuning;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes a CNN-LSTM action model package to a new label set with {@link FineTuning}: the
 * backbone is frozen all but the head, or its first N layers of the frame CNN. The same loop
 * trains the architecture from scratch, for comparison.
 */
public final class FineTuner {

    /** A window and the index of its label in the new label set. */
    public record Sample(FrameWindow window, int label) {}

    private final FineTuning tuning;

    public FineTuner(PrintStream progress) {
        this.tuning = new FineTuning(progress);
    }

    /**
     * Fine-tunes {@code base} (a CNN-LSTM action package) to the config's labels; the package's golden
     * set is chosen from the validation windows.
     */
    public FineTuning.Result fineTune(ModelPackage base, List<Sample> train, List<Sample> validation,
            FineTuning.Config c) throws IOException {
        ModelManifest m = base.manifest();
        FineTuning.requireBase(base, DjlActionClassifier.TASK, ActionNetwork.ARCHITECTURE, m.video());
        FineTuning.Result r = run(m.video(), base, train, validation, c);
        return FineTuning.withGoldenSet(r, r.pkg(), ModelKind.ACTION, validation, Sample::window, Sample::label,
                c.labels());
    }

    /** Trains the same architecture from freshly initialised weights, with the same loop and seeds. */
    public FineTuning.Result fromScratch(InputSpec spec, List<Sample> train, List<Sample> validation,
            FineTuning.Config c) throws IOException {
        return run(spec, null, train, validation, c);
    }

    private FineTuning.Result run(InputSpec spec, ModelPackage base, List<Sample> train, List<Sample> validation,
            FineTuning.Config c) throws IOException {
        FrameWindowTranslator translator = new FrameWindowTranslator(spec, c.labels());
        return tuning.run(new Network(spec), base, samples(translator, train), samples(translator, validation), c);
    }

    /** Layers of the frame CNN that {@code --freeze N} can count. */
    public static int frameCnnLayers() {
        return ActionNetwork.frameCnn().getChildren().size();
    }

    private static FineTuning.Samples samples(FrameWindowTranslator translator, List<Sample> samples) {
        Epochs.Batches batches = (scope, order, from, to) -> {
            List<FrameWindow> windows = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                windows.add(samples.get(order[i]).window());
            }
            return translator.batch(scope, translator.pixels(windows), to - from);
        };
        return new FineTuning.Samples(samples.size(), i -> samples.get(i).label(), batches);
    }

    /** The CNN-LSTM as {@link FineTuning} sees it: units are the layers of the frame CNN. */
    private record Network(InputSpec spec) implements FineTuning.Network {

        @Override
        public String task() {
            return DjlActionClassifier.TASK;
        }

        @Override
        public String architecture() {
            return ActionNetwork.ARCHITECTURE;
        }

        @Override
        public SequentialBlock build(int classes) {
            return (SequentialBlock) ActionNetwork.build(spec, classes);
        }

        @Override
        public Shape inputShape(int batch) {
            return new Shape(batch, spec.frames(), spec.channels(), spec.height(), spec.width());
        }

        @Override
        public String units() {
            return "frame CNN layers";
        }

        @Override
        public int unitCount() {
            return frameCnnLayers();
        }

        @Override
        public List<Block> leadingUnits(SequentialBlock net, int n) {
            SequentialBlock frameCnn = (SequentialBlock) net.getChildren().get(1).getValue();
            return frameCnn.getChildren().values().subList(0, n);
        }

        @Override
        public ModelManifest manifest(String name, String version, List<String> labels, String baseModel,
                Map<String, Object> training, Map<String, Object> metrics) {
            return new ModelManifest(ModelPackage.FORMAT, name, version, DjlActionClassifier.TASK,
                    ActionNetwork.ARCHITECTURE, labels, spec, null, baseModel, training, metrics, null);
        }
    }
}
