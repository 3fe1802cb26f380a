package io.argus.models.classify;

import io.argus.models.input.ModelInput;
import java.io.Serializable;

/**
 * Serializable recipe for a {@link Classifier}: shipped with the job graph, invoked in the
 * operator's {@code open()} on the task manager, where native resources may be allocated.
 */
@FunctionalInterface
public interface ClassifierFactory<I extends ModelInput> extends Serializable {

    Classifier<I> create() throws Exception;
}
