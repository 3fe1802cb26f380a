package io.argus.models.audio;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.argus.models.admission.ModelKind;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.training.Epochs;
import io.argus.models.training.FineTuning;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes a log-mel CNN audio model package to a new label set with {@link FineTuning}: the
 * backbone is frozen all but the head, or its first N convolution blocks. The same loop trains the
 * architecture from scratch, for comparison.
 */
public final class AudioFineTuner {

    /** A spectrogram window and the index of its label in the new label set. */
    public record Sample(Spectrogram window, int label) {}

    private final FineTuning tuning;

    public AudioFineTuner(PrintStream progress) {
        this.tuning = new FineTuning(progress);
    }

    /**
     * Fine-tunes {@code base} (a log-mel CNN audio package) to the config's labels; the package's golden
     * set is chosen from the validation windows.
     */
    public FineTuning.Result fineTune(ModelPackage base, List<Sample> train, List<Sample> validation,
            FineTuning.Config c) throws IOException {
        ModelManifest m = base.manifest();
        FineTuning.requireBase(base, DjlAudioClassifier.TASK, AudioNetwork.ARCHITECTURE, m.audio());
        FineTuning.Result r = run(m.audio(), base, train, validation, c);
        return FineTuning.withGoldenSet(r, r.pkg(), ModelKind.AUDIO, validation, Sample::window, Sample::label,
                c.labels());
    }

    /** Trains the same architecture from freshly initialised weights, with the same loop and seeds. */
    public FineTuning.Result fromScratch(SpectrogramSpec spec, List<Sample> train, List<Sample> validation,
            FineTuning.Config c) throws IOException {
        return run(spec, null, train, validation, c);
    }

    private FineTuning.Result run(SpectrogramSpec spec, ModelPackage base, List<Sample> train,
            List<Sample> validation, FineTuning.Config c) throws IOException {
        return tuning.run(new Network(spec), base, samples(spec, train), samples(spec, validation), c);
    }

    private static FineTuning.Samples samples(SpectrogramSpec spec, List<Sample> samples) {
        int size = spec.frames() * spec.mels();
        for (Sample s : samples) {
            if (s.window().values.length != size) {
                throw new IllegalArgumentException("window of " + s.window().streamId + " at " + s.window().startMs
                        + " ms has " + s.window().frames + "x" + s.window().mels + " values, the model takes "
                        + spec.frames() + "x" + spec.mels() + " (" + spec + ")");
            }
        }
        Epochs.Batches batches = (scope, order, from, to) -> {
            float[] flat = new float[(to - from) * size];
            for (int i = from; i < to; i++) {
                System.arraycopy(samples.get(order[i]).window().values, 0, flat, (i - from) * size, size);
            }
            return scope.create(flat, new Shape(to - from, spec.frames(), spec.mels()));
        };
        return new FineTuning.Samples(samples.size(), i -> samples.get(i).label(), batches);
    }

    /** The log-mel CNN as {@link FineTuning} sees it: units are its convolution blocks. */
    private record Network(SpectrogramSpec spec) implements FineTuning.Network {

        @Override
        public String task() {
            return DjlAudioClassifier.TASK;
        }

        @Override
        public String architecture() {
            return AudioNetwork.ARCHITECTURE;
        }

        @Override
        public SequentialBlock build(int classes) {
            return (SequentialBlock) AudioNetwork.build(spec, classes);
        }

        @Override
        public Shape inputShape(int batch) {
            return new Shape(batch, spec.frames(), spec.mels());
        }

        @Override
        public String units() {
            return "conv blocks";
        }

        @Override
        public int unitCount() {
            return AudioNetwork.CONV_BLOCKS;
        }

        @Override
        public List<Block> leadingUnits(SequentialBlock net, int n) {
            return net.getChildren().values().subList(0, AudioNetwork.layersThroughBlock(n));
        }

        @Override
        public ModelManifest manifest(String name, String version, List<String> labels, String baseModel,
                Map<String, Object> training, Map<String, Object> metrics) {
            return new ModelManifest(ModelPackage.FORMAT, name, version, DjlAudioClassifier.TASK,
                    AudioNetwork.ARCHITECTURE, labels, null, spec, baseModel, training, metrics, null);
        }
    }
}
