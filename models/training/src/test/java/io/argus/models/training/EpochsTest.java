package io.argus.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The epoch loop's check of the first step's gradients, on a softmax head trained alone (as in a
 * fine-tuning with every other layer frozen): two classes, zero weights, so that the gradients are
 * exact and add up to zero with their signs.
 */
class EpochsTest {

    @Test
    void aHeadWhoseGradientsAddUpToZeroTrains() {
        try (Model model = head(); Trainer trainer = trainer(model)) {
            double loss = Epochs.train(trainer, 2, i -> i, (scope, order, from, to) -> inputs(scope, order, 1), 2,
                    new Random(1));

            assertThat(loss).as("two classes scored alike: ln 2").isCloseTo(Math.log(2), within());
            float[] weights = model.getBlock().getParameters().get("weight").getArray().toFloatArray();
            assertThat(weights).as("the step moved the weights").containsExactly(-0.05f, -0.05f, 0.05f, 0.05f);
        }
    }

    @Test
    void djlsOwnCheckRefusesThatStep() {
        // why the loop checks by itself: should a DJL version stop refusing, the workaround can go
        try (Model model = head(); Trainer trainer = trainer(model)) {
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(inputs(trainer.getManager(), new int[] {0, 1}, 1)))
                        .singletonOrThrow();
                gc.backward(trainer.getLoss().evaluate(new NDList(trainer.getManager().create(new int[] {0, 1})),
                        new NDList(logits)));
            }
            assertThatThrownBy(trainer::step).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Gradient values are all zeros");
        }
    }

    @Test
    void gradientsThatAreAllZeroAreRefused() {
        try (Model model = head(); Trainer trainer = trainer(model)) {
            assertThatThrownBy(() -> Epochs.train(trainer, 2, i -> i,
                    (scope, order, from, to) -> inputs(scope, order, 0), 2, new Random(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("every gradient is zero");
        }
    }

    private static Model head() {
        Model model = Model.newInstance("head");
        model.setBlock(Linear.builder().setUnits(2).build());
        return model;
    }

    private static Trainer trainer(Model model) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT)
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(2, 2));
        return trainer;
    }

    /** Sample {@code i}'s input is {@code scale * (1 + 2i, 2 + 2i)}; its label is {@code i}. */
    private static NDArray inputs(NDManager scope, int[] order, float scale) {
        float[] x = new float[order.length * 2];
        for (int i = 0; i < order.length; i++) {
            x[2 * i] = scale * (1 + 2 * order[i]);
            x[2 * i + 1] = scale * (2 + 2 * order[i]);
        }
        return scope.create(x, new Shape(order.length, 2));
    }

    private static Offset<Double> within() {
        return Offset.offset(1e-6);
    }
}
