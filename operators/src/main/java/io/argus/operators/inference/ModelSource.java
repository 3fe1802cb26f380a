package io.argus.operators.inference;

import io.argus.models.classify.Classifier;
import io.argus.models.classify.ClassifierFactory;
import io.argus.models.input.ModelInput;
import java.io.Serializable;
import java.util.List;

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
     * Loads {@code version}, checks it (checksums, trust, input spec, the admission check on its
     * golden inputs) and warms it up; throws with the reason it must not serve. Called off the task
     * thread for a reload. A {@code io.argus.models.packaging.InvalidModelPackageException} means the
     * package itself is at fault (any job would refuse it); anything else, that it does not fit this
     * job or could not be read now.
     */
    Classifier<I> load(String version) throws Exception;

    /**
     * Versions to serve instead when the one {@link #serving()} names is refused, best first: for a
     * registry, the versions promoted before it that no job refused, latest first. Empty for a source
     * that has no others. May read a file system.
     */
    default List<String> fallbacks() throws Exception {
        return List.of();
    }

    /**
     * The version that should run as a shadow beside the serving one (classifying the same windows,
     * its events kept apart), or null for none. Called off the task thread, like {@link #serving()};
     * only a watched source has one.
     */
    default String shadow() throws Exception {
        return null;
    }

    /** Why {@code version} was refused earlier (by any job, or a tool), or null if it was not. */
    default String refusal(String version) throws Exception {
        return null;
    }

    /**
     * Records that {@code version} must not serve, and why, where every job and tool will see it (a
     * registry's refusal marker); {@code by} says who refused it. Best effort for a source that cannot
     * record anything.
     */
    default void refuse(String version, String reason, String by) throws Exception {}

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
