package io.argus.models.training;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import io.argus.models.eval.ConfusionMatrix;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * What every trainer does within an epoch: one pass of gradient steps over a shuffled set, scoring
 * in inference mode, the sample order, and the weights as a package holds them; {@link TrainingLoop}
 * runs the epochs and keeps the best. A trainer only says how a slice of its samples becomes the
 * network's input ({@link Batches}) and what each sample's label is.
 */
public final class Epochs {

    /** The network's input for the samples {@code order[from..to)}, allocated in {@code scope}. */
    @FunctionalInterface
    public interface Batches {
        NDArray batch(NDManager scope, int[] order, int from, int to);
    }

    private Epochs() {}

    /**
     * One epoch of whole batches of {@code batchSize} in an order drawn from {@code random};
     * returns the mean loss.
     */
    public static double train(Trainer trainer, int size, IntUnaryOperator label, Batches batches, int batchSize,
            Random random) {
        int[] order = order(size, random);
        double lossSum = 0;
        int steps = 0;
        for (int from = 0; from + batchSize <= order.length; from += batchSize) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = batches.batch(scope, order, from, from + batchSize);
                int[] y = new int[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    y[i] = label.applyAsInt(order[from + i]);
                }
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(scope.create(y)), new NDList(logits));
                    gc.backward(loss);
                    lossSum += loss.getFloat();
                }
                if (steps == 0) {
                    checkGradients(trainer);
                }
                trainer.step();
                steps++;
            }
        }
        return lossSum / Math.max(1, steps);
    }

    /**
     * Refuses a step whose gradients are all zero (nothing was back-propagated), as DJL's trainer
     * does before its first step, but by their absolute values: DJL adds them up with their signs,
     * and the gradients of a softmax head trained alone (a fine-tuning with every other layer
     * frozen) add up to zero by construction, so its check failed now and then on a float sum that
     * came out exactly zero. Once this check has passed, DJL's is marked done.
     */
    static void checkGradients(Trainer trainer) {
        double total = 0;
        for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
            if (p.requiresGradient()) {
                try (NDArray g = p.getArray().getGradient(); NDArray abs = g.abs(); NDArray sum = abs.sum()) {
                    total += sum.getFloat();
                }
            }
        }
        if (total == 0) {
            throw new IllegalStateException("every gradient is zero: the loss does not depend on any trainable "
                    + "parameter (all frozen, or inputs that are all zero)");
        }
        try {
            Field checked = Trainer.class.getDeclaredField("gradientsChecked");
            checked.setAccessible(true);
            checked.setBoolean(trainer, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another DJL version: its own check runs, as it did before
        }
    }

    /** Scores a network on every sample in inference mode, {@code batchSize} at a time. */
    public static ConfusionMatrix evaluate(Model model, int size, IntUnaryOperator label, Batches batches,
            int batchSize, List<String> labels) {
        ConfusionMatrix cm = new ConfusionMatrix(labels);
        int[] order = order(size, null);
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray logits = model.getBlock().forward(new ParameterStore(scope, false),
                        new NDList(batches.batch(scope, order, from, to)), false).singletonOrThrow();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = from; i < to; i++) {
                    cm.add(label.applyAsInt(order[i]), (int) predicted[i - from]);
                }
            }
        }
        return cm;
    }

    /** {@code 0..n-1}, shuffled by {@code random} (Fisher-Yates), or in order when it is null. */
    public static int[] order(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (random != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The model's parameters as DJL writes them, the bytes of a package's weights file. */
    public static byte[] weights(Model model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.getBlock().saveParameters(out);
        }
        return bytes.toByteArray();
    }
}
