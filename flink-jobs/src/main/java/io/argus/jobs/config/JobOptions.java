package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;

/**
 * The analytics job's own settings, and {@link #all()}: every option of the job, composed from
 * the options of each component (Kafka, state, streams, video, audio, inference, model trust,
 * incidents), each declared once in its component's class.
 */
public final class JobOptions {

    /** Delivery guarantee of the event and dead-letter sinks. */
    public enum Guarantee { EXACTLY_ONCE, AT_LEAST_ONCE, NONE }

    public static final ConfigOption<String> JOB_NAME = key("job-name")
            .stringType()
            .defaultValue("argus-analytics")
            .withDescription("Name of the Flink job.");

    public static final ConfigOption<String> GROUP_ID = key("group-id")
            .stringType()
            .defaultValue("argus-analytics")
            .withDescription("Kafka consumer group of the job's sources.");

    public static final ConfigOption<Boolean> BOUNDED = key("bounded")
            .booleanType()
            .defaultValue(false)
            .withDescription("Stop once the input topics are read up to the offsets current at start "
                    + "(replays, evaluations); otherwise run until cancelled.");

    public static final ConfigOption<Integer> PARALLELISM = key("parallelism")
            .intType()
            .defaultValue(-1)
            .withDescription("Parallelism of the job; -1 keeps the cluster's default.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval; events become visible to read_committed consumers at "
                    + "each checkpoint. 0 disables checkpointing (and exactly-once).");

    public static final ConfigOption<Guarantee> DELIVERY_GUARANTEE = key("delivery-guarantee")
            .enumType(Guarantee.class)
            .defaultValue(Guarantee.EXACTLY_ONCE)
            .withDescription("Delivery guarantee of the events and dead-letter sinks: "
                    + "EXACTLY_ONCE, AT_LEAST_ONCE or NONE.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("transactional-id-prefix")
            .stringType()
            .defaultValue("argus")
            .withDescription("Prefix of the sinks' Kafka transactional ids; unique per job on a cluster.");

    public static final ConfigOption<String> LOCAL_BIND_ADDRESS = key("local-bind-address")
            .stringType()
            .defaultValue("127.0.0.1")
            .withDescription("Address the REST endpoint and blob server of a job run in this process (argus job, "
                    + "demo, evaluate and benchmark without --jobmanager) listen on. The default keeps them to this "
                    + "machine; 0.0.0.0 exposes them on every interface, unauthenticated: anyone who reaches them can "
                    + "read the job's configuration and cancel it. Not used under flink run.");

    public static final ConfigOption<Integer> METRICS_PORT = key("metrics-port")
            .intType()
            .defaultValue(0)
            .withDescription("Port of the Prometheus endpoint (/metrics) of a job run in this process (argus job, "
                    + "demo), on --local-bind-address; 0: no endpoint. Under flink run the cluster's own metric "
                    + "reporters apply (docs/operations.md#metrics).");

    /** The job's own options: its name and consumer group, checkpoints and delivery, its local servers. */
    public static final List<ConfigOption<?>> ALL = List.of(JOB_NAME, GROUP_ID, BOUNDED, PARALLELISM,
            CHECKPOINT_INTERVAL, DELIVERY_GUARANTEE, TRANSACTIONAL_ID_PREFIX, LOCAL_BIND_ADDRESS, METRICS_PORT);

    /** Every option of the analytics job, component by component, in --help order. */
    public static List<ConfigOption<?>> all() {
        return Stream.of(KafkaOptions.ALL, ALL, StateOptions.ALL, StreamOptions.ALL, VideoOptions.ALL,
                AudioOptions.ALL, InferenceOptions.ALL, ModelTrustOptions.ALL, IncidentOptions.ALL)
                .flatMap(List::stream).toList();
    }

    private JobOptions() {}
}
