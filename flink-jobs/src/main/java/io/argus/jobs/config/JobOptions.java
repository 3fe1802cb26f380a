package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.media.MediaRecordFormat;
import io.argus.models.signal.LoudnessClassifier;
import io.argus.models.signal.MotionEnergyClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Every setting of the analytics job, typed, with its default and what it does. */
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

    public static final ConfigOption<Integer> MAX_PAYLOAD_BYTES = key("max-payload-bytes")
            .intType()
            .defaultValue(MediaRecordFormat.DEFAULT_MAX_PAYLOAD_BYTES)
            .withDescription("Largest media payload accepted; larger records go to the dead-letter topic.");

    public static final ConfigOption<Duration> REORDER_BOUND = key("reorder-bound")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("How far out of capture-time order a stream's media may arrive; older media "
                    + "is dropped as late (metric lateElements).");

    public static final ConfigOption<Boolean> IN_ORDER_RELEASE = key("in-order-release")
            .booleanType()
            .defaultValue(true)
            .withDescription("Media that starts where its stream's last processed media ended (audio chunks) is "
                    + "processed at once instead of waiting --reorder-bound: a stream that arrives in order is not "
                    + "held, one out of order is still sorted. Video frames do not say where they end and are "
                    + "always held.");

    public static final ConfigOption<Duration> IDLE_FLUSH = key("idle-flush")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("A stream silent this long has its held-back media processed.");

    public static final ConfigOption<Duration> IDLE_RELEASE = key("idle-release")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("A stream silent this long (processing time) has all its state released: windows, "
                    + "clocks, held media; reported on the status topic. If it comes back it starts as a new "
                    + "stream. Bounds the job's state by the live streams. At least --idle-flush.");

    public static final ConfigOption<Duration> CLOCK_JUMP = key("clock-jump")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("Media this much older than the newest of its stream, or newer by this much more "
                    + "than the time since the stream's last record, means the stream's clock jumped: its windows "
                    + "start over from the new clock (instead of everything being dropped as late), reported on "
                    + "the status topic. Longer than --reorder-bound.");

    public static final ConfigOption<Integer> TOP_K = key("top-k")
            .intType()
            .defaultValue(3)
            .withDescription("Labels with scores in each event.");

    public static final ConfigOption<String> ACTION_MODEL = key("action-model")
            .stringType()
            .defaultValue("bundled:pose-action-lstm")
            .withDescription("Action classifier: bundled:NAME (a model shipped in the jar: pose-action-lstm follows"
                    + " people with a pose model and labels each of them; action-cnn-lstm labels a window's pixels),"
                    + " registry:NAME (the version the --model-registry serves, swapped while the job runs), "
                    + "registry:NAME@VERSION (that version, kept), a model package directory, or motion-energy (the "
                    + "measured signal, no model). A model's input spec sets the video window's frames, rate and "
                    + "frame size.");

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

    public static final ConfigOption<Duration> SHADOW_MAX_LAG = key("shadow-max-lag")
            .durationType()
            .defaultValue(Duration.ofSeconds(3))
            .withDescription("A shadow version (argus models shadow) classifies a batch only when its oldest window "
                    + "was decoded at most this long ago; beyond it the inference operator is behind, and the shadow "
                    + "skips the batch (counted in shadowSkipped) so that it never delays the serving version's "
                    + "events. Windows are held about --idle-flush for ordering before they are classified.");

    public static final ConfigOption<Integer> MODEL_MAX_NON_FINITE = key("model-max-non-finite")
            .intType()
            .defaultValue(3)
            .withDescription("Windows with a non-finite score (NaN, infinite) a registry:NAME version may give "
                    + "before each inference operator stops serving it, records it as refused in the registry and "
                    + "returns to the last good version. Every such window goes to the dead-letter topic (stage "
                    + "classify) and is classified again by the previous version where the operator still holds "
                    + "it; no event ever carries a non-finite score.");

    /** {@link ModelTrustOptions#TRUSTED_DIRS}, among the job's options. */
    public static final ConfigOption<List<String>> MODEL_TRUSTED_DIRS = ModelTrustOptions.TRUSTED_DIRS;

    /** {@link ModelTrustOptions#PUBLIC_KEY}, among the job's options. */
    public static final ConfigOption<String> MODEL_PUBLIC_KEY = ModelTrustOptions.PUBLIC_KEY;

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

    public static final ConfigOption<Boolean> VIDEO_ENABLED = key("video")
            .booleanType()
            .defaultValue(true)
            .withDescription("Run the video path.");

    public static final ConfigOption<Integer> VIDEO_WIDTH = key("video-width")
            .intType()
            .defaultValue(64)
            .withDescription("Width frames are scaled to by the decoder.");

    public static final ConfigOption<Integer> VIDEO_HEIGHT = key("video-height")
            .intType()
            .defaultValue(64)
            .withDescription("Height frames are scaled to by the decoder.");

    public static final ConfigOption<Integer> VIDEO_CHANNELS = key("video-channels")
            .intType()
            .defaultValue(1)
            .withDescription("1 for grey frames, 3 for RGB.");

    public static final ConfigOption<Double> VIDEO_FPS = key("video-fps")
            .doubleType()
            .defaultValue(8.0)
            .withDescription("Frame rate streams are sampled down to before windowing.");

    public static final ConfigOption<Integer> VIDEO_WINDOW_FRAMES = key("video-window-frames")
            .intType()
            .defaultValue(16)
            .withDescription("Frames per video window.");

    public static final ConfigOption<Integer> VIDEO_WINDOW_STRIDE = key("video-window-stride")
            .intType()
            .defaultValue(8)
            .withDescription("Frames between the starts of consecutive video windows.");

    public static final ConfigOption<Duration> VIDEO_MAX_GAP = key("video-max-gap")
            .durationType()
            .defaultValue(Duration.ofSeconds(2))
            .withDescription("A longer gap between frames restarts a stream's windows.");

    public static final ConfigOption<Double> POSE_MIN_PERSON_SCORE = key("pose-min-person-score")
            .doubleType()
            .defaultValue(0.2)
            .withDescription("With an action model that follows people: people the pose model scores lower are"
                    + " ignored (0..1).");

    public static final ConfigOption<Double> MOTION_THRESHOLD = key("motion-threshold")
            .doubleType()
            .defaultValue(MotionEnergyClassifier.DEFAULT_THRESHOLD)
            .withDescription("Motion energy (mean absolute frame difference, 0..1) above which a window "
                    + "is 'motion'.");

    public static final ConfigOption<Boolean> AUDIO_ENABLED = key("audio")
            .booleanType()
            .defaultValue(true)
            .withDescription("Run the audio path.");

    public static final ConfigOption<String> AUDIO_MODEL = key("audio-model")
            .stringType()
            .defaultValue("bundled:audio-cnn")
            .withDescription("Audio classifier: bundled:NAME (a model shipped in the jar), registry:NAME or "
                    + "registry:NAME@VERSION (as for --action-model), a model package directory, or loudness (the "
                    + "measured level, no model). A model's input spec sets the sample rate, the spectrogram and the "
                    + "window length.");

    public static final ConfigOption<Duration> AUDIO_WINDOW = key("audio-window")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Length of an audio window (a learned model's own when unset).");

    public static final ConfigOption<Duration> AUDIO_HOP = key("audio-hop")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("Time between the starts of consecutive audio windows; less than the window "
                    + "makes them overlap.");

    public static final ConfigOption<Duration> AUDIO_MAX_GAP = key("audio-max-gap")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("A longer gap between audio records restarts a stream's windows.");

    public static final ConfigOption<Double> SILENCE_DBFS = key("silence-dbfs")
            .doubleType()
            .defaultValue(LoudnessClassifier.DEFAULT_SILENCE_DBFS)
            .withDescription("RMS level (dBFS) below which an audio window is 'silence'.");

    public static final ConfigOption<Double> LOUD_DBFS = key("loud-dbfs")
            .doubleType()
            .defaultValue(LoudnessClassifier.DEFAULT_LOUD_DBFS)
            .withDescription("RMS level (dBFS) above which an audio window is 'loud'.");

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

    /** All options of the analytics job, in --help order. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>(KafkaOptions.CONNECTION);
        all.addAll(List.of(
                KafkaOptions.VIDEO_TOPIC, KafkaOptions.AUDIO_TOPIC, KafkaOptions.EVENTS_TOPIC,
                KafkaOptions.LIVE_EVENTS_TOPIC, KafkaOptions.INCIDENTS_TOPIC, KafkaOptions.DEAD_LETTER_TOPIC, KafkaOptions.STATUS_TOPIC, KafkaOptions.SHADOW_TOPIC, GROUP_ID, BOUNDED, JOB_NAME, PARALLELISM, CHECKPOINT_INTERVAL,
                DELIVERY_GUARANTEE, TRANSACTIONAL_ID_PREFIX, MAX_PAYLOAD_BYTES, REORDER_BOUND, IN_ORDER_RELEASE, IDLE_FLUSH, IDLE_RELEASE, CLOCK_JUMP, TOP_K,
                ACTION_MODEL, MODEL_REGISTRY, MODEL_POLL_INTERVAL, MODEL_MAX_NON_FINITE, SHADOW_MAX_LAG, MODEL_TRUSTED_DIRS, MODEL_PUBLIC_KEY, DEVICE, MAX_BATCH, MAX_BATCH_WAIT, VIDEO_ENABLED, VIDEO_WIDTH, VIDEO_HEIGHT, VIDEO_CHANNELS, VIDEO_FPS, VIDEO_WINDOW_FRAMES,
                VIDEO_WINDOW_STRIDE, VIDEO_MAX_GAP, POSE_MIN_PERSON_SCORE, MOTION_THRESHOLD,
                AUDIO_ENABLED, AUDIO_MODEL, AUDIO_WINDOW, AUDIO_HOP, AUDIO_MAX_GAP, SILENCE_DBFS, LOUD_DBFS,
                LOCAL_BIND_ADDRESS, METRICS_PORT));
        all.addAll(all.indexOf(CHECKPOINT_INTERVAL) + 1, StateOptions.ALL);
        all.addAll(all.indexOf(LOUD_DBFS) + 1, IncidentOptions.ALL);
        return all;
    }

    private JobOptions() {}
}
