package io.argus.models.classify;

import io.argus.models.input.ModelInput;
import java.util.List;

/**
 * Decides a label for each input of a batch. Implementations may hold native resources (a DJL
 * model, a predictor); they are created on a task manager by a {@link ClassifierFactory} and
 * closed when the operator closes.
 */
public interface Classifier<I extends ModelInput> extends AutoCloseable {

    ModelInfo info();

    /** One classification per input, in input order. */
    List<Classification> classify(List<I> batch);

    @Override
    default void close() {}
}
