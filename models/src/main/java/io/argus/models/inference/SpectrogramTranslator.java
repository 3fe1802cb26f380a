package io.argus.models.inference;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.argus.models.classify.Classification;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import java.util.List;

/**
 * Spectrogram in, classification out: the window's dB values become a float tensor
 * {@code (frames, mels)}, batches are stacked, and logits become label scores by softmax.
 */
public final class SpectrogramTranslator implements Translator<Spectrogram, Classification> {

    private final SpectrogramSpec spec;
    private final List<String> labels;

    public SpectrogramTranslator(SpectrogramSpec spec, List<String> labels) {
        this.spec = spec;
        this.labels = List.copyOf(labels);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Spectrogram s) {
        if (s.frames != spec.frames() || s.mels != spec.mels()) {
            throw new IllegalArgumentException("spectrogram of " + s.frames + "x" + s.mels
                    + " does not fit the model's input of " + spec.frames() + "x" + spec.mels() + " (" + spec + ")");
        }
        return new NDList(ctx.getNDManager().create(s.values, new Shape(s.frames, s.mels)));
    }

    @Override
    public Classification processOutput(TranslatorContext ctx, NDList list) {
        return Classification.of(labels, list.singletonOrThrow().softmax(-1).toFloatArray());
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
