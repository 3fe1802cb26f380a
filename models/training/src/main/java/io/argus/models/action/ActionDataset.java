package io.argus.models.action;

import io.argus.models.input.InputSpec;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Labelled windows rendered by {@link ActionScene}: {@code perClass} windows of each action, on the
 * given backdrop families. Sample {@code i} depends only on ({@code seed}, {@code i}), so a set is
 * the same however many threads render it.
 */
public final class ActionDataset {

    private final InputSpec spec;
    private final byte[][] windows;
    private final int[] labels;

    private ActionDataset(InputSpec spec, byte[][] windows, int[] labels) {
        this.spec = spec;
        this.windows = windows;
        this.labels = labels;
    }

    public static ActionDataset render(InputSpec spec, int perClass, List<Backdrop> backdrops, long seed) {
        Action[] actions = Action.values();
        int n = perClass * actions.length;
        byte[][] windows = new byte[n][];
        int[] labels = new int[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
            Action action = actions[i % actions.length];
            Backdrop backdrop = backdrops.get(r.nextInt(backdrops.size()));
            ActionScene scene = ActionScene.random(action, backdrop, spec, r);
            windows[i] = scene.window(spec, r.nextDouble(0, 6));
            labels[i] = action.ordinal();
        });
        return new ActionDataset(spec, windows, labels);
    }

    public int size() {
        return labels.length;
    }

    public byte[] window(int i) {
        return windows[i];
    }

    public int label(int i) {
        return labels[i];
    }

    /** Windows {@code from..to} (exclusive) of a shuffled order, concatenated for one tensor. */
    public byte[] batch(int[] order, int from, int to) {
        int size = spec.frames() * spec.frameBytes();
        byte[] out = new byte[(to - from) * size];
        for (int i = from; i < to; i++) {
            System.arraycopy(windows[order[i]], 0, out, (i - from) * size, size);
        }
        return out;
    }
}
