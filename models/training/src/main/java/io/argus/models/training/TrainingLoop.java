package io.argus.models.training;

import io.argus.models.eval.ConfusionMatrix;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The epochs of every trainer and fine-tuning, with early stopping: trains one epoch at a time,
 * scores validation after each, keeps the weights of the best epoch so far, and stops after the
 * most epochs or after {@code patience} epochs in a row that did not beat the best; a held-out
 * test set, when there is one, is scored only at epochs that became the best (reported, never
 * used to choose). One progress line per epoch. The modality says how an epoch trains (an audio
 * epoch draws fresh clips), how validation and test are scored and how the weights are read.
 *
 * <p>This is not DJL's {@code EasyTrain.fit} with listeners: {@code fit} iterates a DJL
 * {@code Dataset} and calls {@code Trainer.step()} right after each batch's backward pass, while
 * {@link Epochs#train} draws its own batches (an audio epoch's clips and their order from one
 * {@code Random}) and checks the first step's gradients by their absolute values before stepping.
 * {@code EasyTrain.trainBatch} alone returns no loss: an evaluator listener would compute it again
 * and sum it in floats, which can change the mean printed. DJL's {@code EarlyStoppingListener}
 * watches the loss, stops by throwing and keeps no weights; this loop chooses by validation
 * macro-F1 and keeps the best epoch's weights.
 *
 * @param <V> what validation yields for one epoch: a {@link ConfusionMatrix}, or more where a
 *     trainer scores a second set every epoch
 */
public final class TrainingLoop<V> {

    /** One epoch of training; returns its mean loss. */
    @FunctionalInterface
    public interface Epoch {
        double train();
    }

    /** The network's weights as they are now, as a package's weights file holds them. */
    @FunctionalInterface
    public interface Weights {
        byte[] read() throws IOException;
    }

    /**
     * How an epoch's validation scores are compared and shown.
     *
     * @param value the number the best epoch is chosen by; higher is better, and an epoch that
     *     only equals the best is not better
     * @param shown the scores as the progress line shows them
     */
    public record Criterion<V>(ToDoubleFunction<V> value, Function<V, String> shown) {}

    /** Validation macro-F1 chooses; the progress line shows accuracy and macro-F1. */
    public static final Criterion<ConfusionMatrix> MACRO_F1 = new Criterion<>(ConfusionMatrix::macroF1,
            scores -> String.format(Locale.ROOT, "validation accuracy %.3f, macro-F1 %.3f", scores.accuracy(),
                    scores.macroF1()));

    /**
     * What a run found.
     *
     * @param weights the best epoch's weights
     * @param validation the best epoch's validation scores
     * @param test the best epoch's test scores, or null without a test set
     * @param epochs how many epochs ran
     * @param bestEpoch which of them was the best, from 1
     */
    public record Result<V>(byte[] weights, V validation, ConfusionMatrix test, int epochs, int bestEpoch) {}

    private final int maxEpochs;
    private final int patience;
    private final Criterion<V> criterion;
    private final PrintStream progress;

    /**
     * @param maxEpochs the most epochs to run
     * @param patience how many epochs in a row that do not beat the best end the run
     */
    public TrainingLoop(int maxEpochs, int patience, Criterion<V> criterion, PrintStream progress) {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("epochs: at least 1, not " + maxEpochs);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience: at least 1, not " + patience);
        }
        this.maxEpochs = maxEpochs;
        this.patience = patience;
        this.criterion = criterion;
        this.progress = progress;
    }

    /** A loop that chooses by validation macro-F1 ({@link #MACRO_F1}). */
    public static TrainingLoop<ConfusionMatrix> onMacroF1(int maxEpochs, int patience, PrintStream progress) {
        return new TrainingLoop<>(maxEpochs, patience, MACRO_F1, progress);
    }

    /** Runs the epochs without a test set. */
    public Result<V> run(Epoch oneEpoch, Supplier<V> validation, Weights weights) throws IOException {
        return run(oneEpoch, validation, weights, () -> null);
    }

    /** Runs the epochs, scoring {@code test} at every epoch that becomes the best. */
    public Result<V> run(Epoch oneEpoch, Supplier<V> validation, Weights weights, Supplier<ConfusionMatrix> test)
            throws IOException {
        byte[] bestWeights = null;
        V best = null;
        double bestValue = 0;
        ConfusionMatrix bestTest = null;
        int bestEpoch = 0;
        int epoch = 0;
        while (epoch < maxEpochs && epoch - bestEpoch < patience) {
            epoch++;
            long t0 = System.nanoTime();
            double loss = oneEpoch.train();
            V scores = validation.get();
            double value = criterion.value().applyAsDouble(scores);
            boolean improved = best == null || value > bestValue;
            if (improved) {
                bestWeights = weights.read();
                best = scores;
                bestValue = value;
                bestTest = test.get();
                bestEpoch = epoch;
            }
            progress.printf(Locale.ROOT, "epoch %d/%d: loss %.4f, %s%s (%.1f s)%n", epoch, maxEpochs, loss,
                    criterion.shown().apply(scores), improved ? " (best)" : "", (System.nanoTime() - t0) / 1e9);
        }
        return new Result<>(bestWeights, best, bestTest, epoch, bestEpoch);
    }
}
