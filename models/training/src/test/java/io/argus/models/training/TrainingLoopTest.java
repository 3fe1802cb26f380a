package io.argus.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.eval.ConfusionMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The loop on scripted epochs: epoch {@code n} has the loss {@code 1/n}, its validation score is the
 * script's {@code n}th value, its weights are the single byte {@code n}, and its test score is
 * recorded with the epoch it was taken at.
 */
class TrainingLoopTest {

    /** Scores by value; the progress line shows "score" and the value. */
    private static final TrainingLoop.Criterion<Double> SCORE = new TrainingLoop.Criterion<>(v -> v,
            v -> String.format(Locale.ROOT, "score %.2f", v));

    /** Runs the loop on {@code scores}, one per epoch, and records what it asked for. */
    private static final class Script {
        final double[] scores;
        final List<Integer> weightsRead = new ArrayList<>();
        final List<Integer> testScored = new ArrayList<>();
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        int epoch;

        Script(double... scores) {
            this.scores = scores;
        }

        TrainingLoop.Result<Double> run(int maxEpochs, int patience) throws IOException {
            TrainingLoop<Double> loop = new TrainingLoop<>(maxEpochs, patience, SCORE,
                    new PrintStream(log, true, StandardCharsets.UTF_8));
            return loop.run(() -> 1.0 / ++epoch, () -> scores[epoch - 1], () -> {
                weightsRead.add(epoch);
                return new byte[] {(byte) epoch};
            }, () -> {
                testScored.add(epoch);
                return matrix(epoch);
            });
        }

        List<String> lines() {
            return log.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void stopsAfterPatienceEpochsWithoutABetterScoreAndKeepsTheBestEpoch() throws IOException {
        Script script = new Script(0.5, 0.7, 0.6, 0.7, 0.65, 0.9);

        TrainingLoop.Result<Double> result = script.run(10, 3);

        assertThat(result.epochs()).as("epochs 3 to 5 do not beat epoch 2; a tie does not count").isEqualTo(5);
        assertThat(script.epoch).as("epochs trained").isEqualTo(5);
        assertThat(result.bestEpoch()).isEqualTo(2);
        assertThat(result.validation()).isEqualTo(0.7);
        assertThat(result.weights()).containsExactly(2);
    }

    @Test
    void readsTheWeightsAndScoresTheTestSetOnlyAtEpochsThatBecomeTheBest() throws IOException {
        Script script = new Script(0.5, 0.4, 0.6, 0.6, 0.8, 0.7);

        TrainingLoop.Result<Double> result = script.run(6, 6);

        assertThat(script.weightsRead).containsExactly(1, 3, 5);
        assertThat(script.testScored).containsExactly(1, 3, 5);
        assertThat(result.test().total()).as("the test scores taken at the best epoch").isEqualTo(5);
        assertThat(result.weights()).containsExactly(5);
    }

    @Test
    void runsAtMostTheMostEpochsEvenWhileImproving() throws IOException {
        Script script = new Script(0.1, 0.2, 0.3, 0.4, 0.5);

        TrainingLoop.Result<Double> result = script.run(3, 2);

        assertThat(script.epoch).isEqualTo(3);
        assertThat(result.epochs()).isEqualTo(3);
        assertThat(result.bestEpoch()).isEqualTo(3);
        assertThat(result.weights()).containsExactly(3);
    }

    @Test
    void withoutATestSetTheResultHasNoTestScores() throws IOException {
        TrainingLoop<Double> loop = new TrainingLoop<>(5, 1, SCORE, new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8));

        TrainingLoop.Result<Double> result = loop.run(() -> 0.5, () -> 0.5, () -> new byte[] {7});

        assertThat(result.epochs()).as("the second epoch only ties the first").isEqualTo(2);
        assertThat(result.bestEpoch()).isEqualTo(1);
        assertThat(result.test()).isNull();
    }

    @Test
    void printsOneLinePerEpochWithTheLossTheScoresAndWhichEpochsWereTheBest() throws IOException {
        Script script = new Script(0.5, 0.4);

        script.run(2, 5);

        String seconds = " \\(\\d+\\.\\d s\\)";
        assertThat(script.lines()).hasSize(2);
        assertThat(script.lines().get(0)).matches("epoch 1/2: loss 1\\.0000, score 0\\.50 \\(best\\)" + seconds);
        assertThat(script.lines().get(1)).matches("epoch 2/2: loss 0\\.5000, score 0\\.40" + seconds);
    }

    @Test
    void onMacroF1ChoosesByValidationMacroF1AndShowsAccuracyAndMacroF1() throws IOException {
        // accuracy and macro-F1 disagree: the second epoch is right more often, but only ever says "a"
        List<ConfusionMatrix> epochs = List.of(matrix(new int[][] {{1, 1}, {1, 1}}),
                matrix(new int[][] {{3, 0}, {1, 0}}));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int[] epoch = {0};

        TrainingLoop.Result<ConfusionMatrix> result = TrainingLoop.onMacroF1(2, 1,
                new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(() -> ++epoch[0], () -> epochs.get(epoch[0] - 1), () -> new byte[] {(byte) epoch[0]});

        assertThat(epochs.get(1).accuracy()).isGreaterThan(epochs.get(0).accuracy());
        assertThat(result.bestEpoch()).isEqualTo(1);
        assertThat(result.validation()).isSameAs(epochs.get(0));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains(
                "epoch 1/2: loss 1.0000, validation accuracy 0.500, macro-F1 0.500 (best) (",
                "epoch 2/2: loss 2.0000, validation accuracy 0.750, macro-F1 0.429 (");
    }

    @Test
    void aRunWithoutEpochsOrPatienceIsRefusedByName() {
        PrintStream progress = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new TrainingLoop<>(0, 3, SCORE, progress))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("epochs: at least 1, not 0");
        assertThatThrownBy(() -> new TrainingLoop<>(3, 0, SCORE, progress))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("patience: at least 1, not 0");
    }

    /** A matrix of two labels with {@code n} samples of the first, all predicted right. */
    private static ConfusionMatrix matrix(int n) {
        return matrix(new int[][] {{n, 0}, {0, 0}});
    }

    /** A matrix of two labels: {@code counts[truth][predicted]} samples each. */
    private static ConfusionMatrix matrix(int[][] counts) {
        ConfusionMatrix cm = new ConfusionMatrix(List.of("a", "b"));
        for (int truth = 0; truth < 2; truth++) {
            for (int predicted = 0; predicted < 2; predicted++) {
                for (int i = 0; i < counts[truth][predicted]; i++) {
                    cm.add(truth, predicted);
                }
            }
        }
        return cm;
    }
}
