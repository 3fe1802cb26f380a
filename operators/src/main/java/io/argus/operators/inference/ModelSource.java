package io.argus.operators.inference;

import io.argus.models.classify.Classifier;
import io.argus.models.classify.ClassifierFactory;
import io.argus.models.input.ModelInput;
import java.io.Serializable;

/**
 * Where an inference operator's model comes from. A fixed source always names the same model; a
 * watched one (a registry's serving pointer) can name another while the job runs, and the
 * operator then loads it beside the one serving and swaps between batches.
 */
public interface ModelSource<I extends ModelInput> extends Serializable {

    /** For logs and status reports, e.g. {@code registry:audio-cnn}. */
    String describe();

    /** Whether {@link #serving()} can change while the job runs, so that the operator polls it. */
    boolean watched();

    /** The version that should serve now. Called off the task thread; may read a file system. */
    String serving() throws Exception;

    /**
     * Loads {@code version}, checks it (checksums, trust, input spec, a smoke inference) and warms it
     * up; throws with the reason it must not serve. Called off the task thread for a reload.
     */
    Classifier<I> load(String version) throws Exception;

    /** A source that never changes: {@code factory} makes the classifier, {@code version} names it. */
    static <I extends ModelInput> ModelSource<I> fixed(String description, String version, ClassifierFactory<I> factory) {
        return new ModelSource<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public String describe() {
                return description;
            }

            @Override
            public boolean watched() {
                return false;
            }

            @Override
            public String serving() {
                return version;
            }

            @Override
            public Classifier<I> load(String v) throws Exception {
                return factory.create();
            }
        };
    }
}
