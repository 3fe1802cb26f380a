package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * How windows are classified: the device, batching, the events' labels, and the registry
 * versions are swapped from, with their checks while they serve.
 */
public final class InferenceOptions {

    public static final ConfigOption<Integer> TOP_K = key("top-k")
            .intType()
            .defaultValue(3)
            .withDescription("Labels with scores in each event.");

    public static final ConfigOption<String> MODEL_REGISTRY = key("model-registry")
            .stringType()
            .noDefaultValue()
            .withDescription("Model registry (a path or a URI of a Flink file system: file://, s3://, hdfs://) that "
                    + "--action-model and --audio-model registry:NAME refer to; see argus models.");

    public static final ConfigOption<Duration> MODEL_POLL_INTERVAL = key("model-poll-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("How often each inference operator asks the registry which version of a "
                    + "registry:NAME model should serve, and swaps to a newly promoted one.");

    public static final ConfigOption<Integer> MODEL_MAX_NON_FINITE = key("model-max-non-finite")
            .intType()
            .defaultValue(3)
            .withDescription("Windows with a non-finite score (NaN, infinite) a registry:NAME version may give "
                    + "before each inference operator stops serving it, records it as refused in the registry and "
                    + "returns to the last good version. Every such window goes to the dead-letter topic (stage "
                    + "classify) and is classified again by the previous version where the operator still holds "
                    + "it; no event ever carries a non-finite score.");

    public static final ConfigOption<Duration> SHADOW_MAX_LAG = key("shadow-max-lag")
            .durationType()
            .defaultValue(Duration.ofSeconds(3))
            .withDescription("A shadow version (argus models shadow) classifies a batch only when its oldest window "
                    + "was decoded at most this long ago; beyond it the inference operator is behind, and the shadow "
                    + "skips the batch (counted in shadowSkipped) so that it never delays the serving version's "
                    + "events. Windows are held about --idle-flush for ordering before they are classified.");

    public static final ConfigOption<String> DEVICE = key("device")
            .stringType()
            .defaultValue("auto")
            .withDescription("Where models run: cpu, gpu, gpu:N, or auto (the first GPU when the engine sees one).");

    public static final ConfigOption<Integer> MAX_BATCH = key("max-batch")
            .intType()
            .defaultValue(4)
            .withDescription("Most windows classified in one batch, across streams. 4 by measurement on CPU: "
                    + "batches of 16 action windows took 6 times as long per window as batches of 4, and a "
                    + "backlog fills batches exactly when the job is behind (docs/benchmarks.md).");

    public static final ConfigOption<Duration> MAX_BATCH_WAIT = key("max-batch-wait")
            .durationType()
            .defaultValue(Duration.ofMillis(50))
            .withDescription("Longest a window waits for its batch to fill.");

    /** These options, in --help order. */
    public static final List<ConfigOption<?>> ALL = List.of(TOP_K, MODEL_REGISTRY, MODEL_POLL_INTERVAL,
            MODEL_MAX_NON_FINITE, SHADOW_MAX_LAG, DEVICE, MAX_BATCH, MAX_BATCH_WAIT);

    private InferenceOptions() {}
}
