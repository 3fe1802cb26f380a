package io.argus.models.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.argus.models.classify.Classification;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Frame window in, classification out: the window's bytes become a float tensor
 * {@code (T, C, H, W)} in [0, 1] inside the engine (no per-pixel Java loop), batches are stacked,
 * and logits become label scores by softmax.
 */
public final class FrameWindowTranslator implements Translator<FrameWindow, Classification> {

    private final InputSpec spec;
    private final List<String> labels;

    public FrameWindowTranslator(InputSpec spec, List<String> labels) {
        this.spec = spec;
        this.labels = List.copyOf(labels);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, FrameWindow w) {
        return new NDList(batch(ctx.getNDManager(), pixels(List.of(w)), 1).squeeze(0));
    }

    /** The pixels of windows, concatenated; refuses a window whose shape is not the model's input. */
    public byte[] pixels(List<FrameWindow> windows) {
        if (windows.size() == 1 && spec.matches(windows.get(0))) {
            return windows.get(0).pixels;
        }
        int size = spec.frames() * spec.frameBytes();
        byte[] out = new byte[windows.size() * size];
        for (int i = 0; i < windows.size(); i++) {
            FrameWindow w = windows.get(i);
            if (!spec.matches(w)) {
                throw new IllegalArgumentException("window of " + w.frames + "x" + w.width + "x" + w.height + "x"
                        + w.channels + " does not fit the model's input of " + spec);
            }
            System.arraycopy(w.pixels, 0, out, i * size, size);
        }
        return out;
    }

    @Override
    public Classification processOutput(TranslatorContext ctx, NDList list) {
        float[] p = list.singletonOrThrow().softmax(-1).toFloatArray();
        return Classification.of(labels, p);
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    /**
     * {@code count} windows of unsigned bytes {@code [T][H][W][C]}, concatenated, as the float tensor
     * {@code (count, T, C, H, W)} in [0, 1] that the network takes.
     */
    public NDArray batch(NDManager manager, byte[] pixels, int count) {
        Shape shape = new Shape(count, spec.frames(), spec.height(), spec.width(), spec.channels());
        NDArray bytes = manager.create(ByteBuffer.wrap(pixels), shape, DataType.UINT8);
        return bytes.toType(DataType.FLOAT32, false).divi(255f).transpose(0, 1, 4, 2, 3);
    }
}
