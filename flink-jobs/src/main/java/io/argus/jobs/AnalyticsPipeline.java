package io.argus.jobs;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterFormat;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import io.argus.connectors.kafka.ArgusKafka;
import io.argus.connectors.kafka.IngestedRecord;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.status.ModelStatus;
import io.argus.connectors.status.StreamStatus;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.IncidentOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.ModelTrustOptions;
import io.argus.jobs.config.StreamOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.models.ActionModelRef;
import io.argus.jobs.models.AudioModelRef;
import io.argus.models.input.InputSpec;
import io.argus.models.input.ModelInput;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelTrust;
import io.argus.models.pose.PoseFrame;
import io.argus.models.pose.PoseWindower;
import io.argus.operators.decode.AudioDecodeFunction;
import io.argus.operators.decode.DecodeFunction;
import io.argus.operators.decode.DecodeLimits;
import io.argus.operators.decode.VideoDecodeFunction;
import io.argus.operators.features.SpectrogramWindowFunction;
import io.argus.operators.incidents.IncidentFunction;
import io.argus.operators.incidents.IncidentSettings;
import io.argus.operators.inference.BatchClassifyOperator;
import io.argus.operators.inference.ModelSource;
import io.argus.operators.inference.PoseEstimateOperator;
import io.argus.operators.window.FrameWindowFunction;
import io.argus.operators.window.PoseWindowFunction;
import io.argus.operators.window.StreamOrderFunction;
import io.argus.operators.window.StreamTiming;
import io.argus.operators.window.WindowSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The analytics job's dataflow, built from its configuration:
 *
 * <pre>
 * video topic -> decode-video -> window-video (per stream) -> classify-video --+--> events topic
 * audio topic -> decode-audio -> spectrogram-audio (per stream) -> classify-audio --+--> live events topic (if set)
 *                                   both, keyed by stream -> track-incidents ------> incidents topic
 *                    \-- refused records, windows with non-finite scores ------> dead-letter topic
 * window-video, spectrogram-audio: clock jumps, released streams --------------> status topic
 * classify-*: a registry:NAME model's shadow version, beside serving --------> shadow topic
 * </pre>
 *
 * Every operator has a stable uid so that savepoints survive changes to the code.
 */
public final class AnalyticsPipeline {

    private final Configuration conf;
    private final KafkaClientConfig kafka;
    /* What the media branches hand to the sinks, each branch adding its streams. */
    private final List<DataStream<AnalyticsEvent>> events = new ArrayList<>();
    private final List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
    /** Model statuses of the classify operators that follow a registry. */
    private final List<DataStream<ModelStatus>> statuses = new ArrayList<>();
    private final List<DataStream<StreamStatus>> streamStatuses = new ArrayList<>();
    /** The shadow events of the classify operators that follow a registry. */
    private final List<DataStream<AnalyticsEvent>> shadows = new ArrayList<>();

    public AnalyticsPipeline(Configuration conf) {
        this.conf = conf;
        this.kafka = KafkaOptions.clientConfig(conf);
    }

    /** Applies the job-level settings (parallelism, checkpointing) and adds the dataflow. */
    public void build(StreamExecutionEnvironment env) {
        if (!events.isEmpty()) {
            throw new IllegalStateException("a pipeline builds its dataflow once: make another for another job");
        }
        if (!conf.get(VideoOptions.ENABLED) && !conf.get(AudioOptions.ENABLED)) {
            throw new IllegalArgumentException("both --video and --audio are off: nothing to run");
        }
        String live = conf.get(KafkaOptions.LIVE_EVENTS_TOPIC);
        if (live != null && (live.isBlank() || live.equals(conf.get(KafkaOptions.EVENTS_TOPIC)))) {
            throw new IllegalArgumentException("option --" + KafkaOptions.LIVE_EVENTS_TOPIC.key() + ": '" + live
                    + "' must name a topic other than --" + KafkaOptions.EVENTS_TOPIC.key()
                    + " (the exactly-once events)");
        }
        String device = conf.get(InferenceOptions.DEVICE).trim().toLowerCase(java.util.Locale.ROOT);
        if (!device.matches("auto|cpu|gpu(:\\d{1,3})?")) {
            throw new IllegalArgumentException("option --device: cpu, gpu, gpu:N or auto, not '" + device + "'");
        }
        IncidentSettings incidentSettings = conf.get(IncidentOptions.ENABLED) ? IncidentOptions.settings(conf) : null;
        configure(env);
        if (conf.get(VideoOptions.ENABLED)) {
            addVideo(env);
        }
        if (conf.get(AudioOptions.ENABLED)) {
            addAudio(env);
        }
        ArgusKafka sinks = ArgusKafka.on(kafka)
                .guarantee(deliveryGuarantee(), conf.get(JobOptions.TRANSACTIONAL_ID_PREFIX));
        DataStream<AnalyticsEvent> allEvents = union(events);
        allEvents
                .sinkTo(sinks.events(conf.get(KafkaOptions.EVENTS_TOPIC)))
                .name("events-sink")
                .uid("events-sink");
        if (live != null) {
            allEvents
                    .sinkTo(sinks.liveEvents(live))
                    .name("live-events-sink")
                    .uid("live-events-sink");
        }
        if (incidentSettings != null) {
            addIncidents(allEvents, incidentSettings, sinks);
        }
        if (!shadows.isEmpty()) {
            union(shadows)
                    .sinkTo(sinks.shadowEvents(conf.get(KafkaOptions.SHADOW_TOPIC)))
                    .name("shadow-sink")
                    .uid("shadow-sink");
        }
        union(deadLetters)
                .sinkTo(sinks.deadLetters(conf.get(KafkaOptions.DEAD_LETTER_TOPIC),
                        DeadLetterFormat.DEFAULT_MAX_PAYLOAD_BYTES))
                .name("dead-letter-sink")
                .uid("dead-letter-sink");
        if (!statuses.isEmpty()) {
            union(statuses)
                    .sinkTo(sinks.modelStatus(conf.get(KafkaOptions.STATUS_TOPIC)))
                    .name("status-sink")
                    .uid("status-sink");
        }
        union(streamStatuses)
                .sinkTo(sinks.streamStatus(conf.get(KafkaOptions.STATUS_TOPIC)))
                .name("stream-status-sink")
                .uid("stream-status-sink");
    }

    /**
     * Both modalities' events of a stream meet in one keyed operator (key = stream id), which
     * turns them into incidents for the incidents topic.
     */
    private void addIncidents(DataStream<AnalyticsEvent> events, IncidentSettings incidentSettings,
            ArgusKafka sinks) {
        events.keyBy(e -> e.streamId, Types.STRING)
                .process(new IncidentFunction(incidentSettings, conf.get(StreamOptions.IDLE_RELEASE)),
                        TypeInformation.of(Incident.class))
                .name("track-incidents")
                .uid("track-incidents")
                .sinkTo(sinks.incidents(conf.get(KafkaOptions.INCIDENTS_TOPIC)))
                .name("incidents-sink")
                .uid("incidents-sink");
    }

    private void configure(StreamExecutionEnvironment env) {
        int parallelism = conf.get(JobOptions.PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        long interval = conf.get(JobOptions.CHECKPOINT_INTERVAL).toMillis();
        if (interval > 0) {
            env.enableCheckpointing(interval, CheckpointingMode.EXACTLY_ONCE);
        } else if (conf.get(JobOptions.DELIVERY_GUARANTEE) == JobOptions.Guarantee.EXACTLY_ONCE) {
            throw new IllegalArgumentException(
                    "delivery-guarantee EXACTLY_ONCE needs checkpointing: set --checkpoint-interval above 0");
        }
        env.configure(JobState.flinkSettings(conf));
    }

    /**
     * Every media branch is the same path, parameterised by modality: the topic's records decoded
     * ({@link #decode}), each stream's media in order cut into model inputs ({@link #window}), the
     * inputs classified in batches across streams ({@link #classify}). The branches differ only in
     * what they decode to, how they cut windows, and the model.
     */
    private void addVideo(StreamExecutionEnvironment env) {
        ActionModelRef model = ActionModelRef.resolve(conf.get(VideoOptions.ACTION_MODEL), modelTrust(),
                conf.get(InferenceOptions.MODEL_REGISTRY));
        InputSpec input = videoInput(model);
        if (model.followsPeople()) {
            addPeople(env, model, input);
            return;
        }
        WindowSpec spec = new WindowSpec(input.frames(), conf.get(VideoOptions.WINDOW_STRIDE), input.fps(),
                conf.get(VideoOptions.MAX_GAP).toMillis());
        var frames = decode(env, "video", new VideoDecodeFunction(input.width(), input.height(), input.channels(),
                DecodeLimits.DEFAULT));
        var windows = window(frames, f -> f.streamId, new FrameWindowFunction(spec, streamTiming()), "window-video");
        classify(windows, model.source(conf.get(InferenceOptions.DEVICE), conf.get(VideoOptions.MOTION_THRESHOLD)),
                "video", AnalyticsEvent.KIND_ACTION);
    }

    /**
     * The video path of a model that follows people: RGB frames sampled at the model's rate and
     * letterboxed to its pose model's input, the pose model on frames batched across streams, each
     * stream's people followed and cut into windows, each person's track classified.
     */
    private void addPeople(StreamExecutionEnvironment env, ActionModelRef model, InputSpec input) {
        String device = conf.get(InferenceOptions.DEVICE);
        float minScore = conf.get(VideoOptions.POSE_MIN_PERSON_SCORE).floatValue();
        int stride = conf.contains(VideoOptions.WINDOW_STRIDE) ? conf.get(VideoOptions.WINDOW_STRIDE)
                : Math.max(1, input.frames() / 2);
        PoseWindower.Spec spec = new PoseWindower.Spec(input.frames(), input.fps(), stride,
                conf.get(VideoOptions.MAX_GAP).toMillis(), minScore, Math.max(1, input.frames() / 2), 0.2f,
                1000);
        var poses = decode(env, "video", VideoDecodeFunction.forPoses(input.width(), input.height(), input.fps(),
                        DecodeLimits.DEFAULT))
                .transform("estimate-poses", TypeInformation.of(PoseFrame.class),
                        new PoseEstimateOperator(model.poseEstimator(device), minScore,
                                conf.get(InferenceOptions.MAX_BATCH), conf.get(InferenceOptions.MAX_BATCH_WAIT).toMillis())
                                .warmUp(input.width(), input.height()))
                .uid("estimate-poses");
        var windows = window(poses, f -> f.streamId, new PoseWindowFunction(spec, streamTiming()), "track-people");
        classify(windows, model.peopleSource(device), "video", AnalyticsEvent.KIND_ACTION);
    }

    /**
     * The video input the job decodes and windows: a learned model's own spec, or the video options
     * for the motion-energy signal. Refuses options that contradict a model's spec.
     */
    private InputSpec videoInput(ActionModelRef model) {
        InputSpec fromOptions = new InputSpec(conf.get(VideoOptions.WINDOW_FRAMES), conf.get(VideoOptions.FPS),
                conf.get(VideoOptions.HEIGHT), conf.get(VideoOptions.WIDTH), conf.get(VideoOptions.CHANNELS));
        if (!model.isLearned()) {
            return fromOptions;
        }
        InputSpec m = model.spec();
        checkMatches(VideoOptions.WINDOW_FRAMES, m.frames(), model);
        checkMatches(VideoOptions.FPS, m.fps(), model);
        checkMatches(VideoOptions.HEIGHT, m.height(), model);
        checkMatches(VideoOptions.WIDTH, m.width(), model);
        checkMatches(VideoOptions.CHANNELS, m.channels(), model);
        return m;
    }

    private <T> void checkMatches(ConfigOption<T> option, Object modelValue, ActionModelRef model) {
        if (conf.contains(option) && !conf.get(option).equals(modelValue)) {
            throw new IllegalArgumentException("option --" + option.key() + " " + conf.get(option)
                    + " contradicts the input of action model " + model + ": " + model.spec()
                    + "; leave it unset or choose another --action-model");
        }
    }

    private <I extends ModelInput> BatchClassifyOperator<I> classifyOperator(ModelSource<I> classifier,
            String kind) {
        return BatchClassifyOperator.builder(classifier, kind)
                .topK(conf.get(InferenceOptions.TOP_K))
                .maxBatch(conf.get(InferenceOptions.MAX_BATCH))
                .maxWait(conf.get(InferenceOptions.MAX_BATCH_WAIT))
                .poll(conf.get(InferenceOptions.MODEL_POLL_INTERVAL))
                .maxNonFinite(conf.get(InferenceOptions.MODEL_MAX_NON_FINITE))
                .streamMetricsIdle(conf.get(StreamOptions.IDLE_RELEASE))
                .shadowMaxLag(conf.get(InferenceOptions.SHADOW_MAX_LAG))
                .build();
    }

    private void addAudio(StreamExecutionEnvironment env) {
        AudioModelRef model = AudioModelRef.resolve(conf.get(AudioOptions.MODEL), modelTrust(),
                conf.get(InferenceOptions.MODEL_REGISTRY));
        SpectrogramSpec spec = audioInput(model);
        var chunks = decode(env, "audio", new AudioDecodeFunction(DecodeLimits.DEFAULT, spec.sampleRate()));
        var windows = window(chunks, c -> c.streamId, new SpectrogramWindowFunction(spec,
                conf.get(AudioOptions.HOP), conf.get(AudioOptions.MAX_GAP), streamTiming()),
                "spectrogram-audio");
        classify(windows, model.source(conf.get(InferenceOptions.DEVICE), conf.get(AudioOptions.SILENCE_DBFS),
                conf.get(AudioOptions.LOUD_DBFS)), "audio", AnalyticsEvent.KIND_AUDIO);
    }

    /** The modality's topic, read and decoded ({@code decode-<modality>}); refused records become dead letters. */
    private <D> SingleOutputStreamOperator<D> decode(StreamExecutionEnvironment env, String modality,
            DecodeFunction<D> decoder) {
        String topic = conf.get(modality.equals("video") ? KafkaOptions.VIDEO_TOPIC : KafkaOptions.AUDIO_TOPIC);
        var decoded = source(env, topic, modality)
                .process(decoder.streamMetricsIdle(conf.get(StreamOptions.IDLE_RELEASE)))
                .name("decode-" + modality)
                .uid("decode-" + modality);
        deadLetters.add(decoded.getSideOutput(DecodeFunction.DEAD_LETTERS));
        return decoded;
    }

    /** Each stream's media, in order, cut into model inputs by {@code windower}; its status changes are reported. */
    private <D, W> SingleOutputStreamOperator<W> window(DataStream<D> media, KeySelector<D, String> stream,
            StreamOrderFunction<D, W> windower, String name) {
        var windows = media
                .keyBy(stream, Types.STRING)
                .process(windower)
                .name(name)
                .uid(name);
        streamStatuses.add(windows.getSideOutput(StreamOrderFunction.STREAM_STATUS));
        return windows;
    }

    /**
     * Model inputs classified in batches across streams ({@code classify-<modality>}): events, dead
     * letters of non-finite scores and, for a model that follows a registry, its statuses and shadow events.
     */
    private <W extends ModelInput> void classify(DataStream<W> windows, ModelSource<W> model, String modality,
            String kind) {
        var classified = windows
                .transform("classify-" + modality, TypeInformation.of(AnalyticsEvent.class),
                        classifyOperator(model, kind))
                .uid("classify-" + modality);
        events.add(classified);
        deadLetters.add(classified.getSideOutput(BatchClassifyOperator.DEAD_LETTERS));
        if (model.watched()) {
            statuses.add(classified.getSideOutput(BatchClassifyOperator.STATUS));
            shadows.add(classified.getSideOutput(BatchClassifyOperator.SHADOW));
        }
    }

    /**
     * The spectrograms the audio path computes: a learned model's own spec, or the default spec with
     * the window option for the loudness signal. Refuses a window option that contradicts a model.
     */
    private SpectrogramSpec audioInput(AudioModelRef model) {
        SpectrogramSpec s = model.spec();
        long windowMs = conf.get(AudioOptions.WINDOW).toMillis();
        if (!model.isLearned()) {
            return new SpectrogramSpec(s.sampleRate(), (int) windowMs, s.frameLength(), s.hop(), s.mels(), s.fminHz(),
                    s.fmaxHz(), s.floorDb());
        }
        if (conf.contains(AudioOptions.WINDOW) && windowMs != s.windowMs()) {
            throw new IllegalArgumentException("option --" + AudioOptions.WINDOW.key() + " " + windowMs
                    + " ms contradicts the input of audio model " + model + ": " + s
                    + "; leave it unset or choose another --audio-model");
        }
        return s;
    }

    private SingleOutputStreamOperator<IngestedRecord> source(StreamExecutionEnvironment env, String topic,
            String kind) {
        WatermarkStrategy<IngestedRecord> watermarks = WatermarkStrategy
                .<IngestedRecord>forBoundedOutOfOrderness(conf.get(StreamOptions.REORDER_BOUND))
                .withTimestampAssigner((r, kafkaTs) -> r.isValid() ? r.record.captureTimeMs : kafkaTs);
        if (!conf.get(JobOptions.BOUNDED)) {
            // a live partition with nothing to say must not hold the others' watermarks back; a bounded
            // job needs no idleness (every partition ends), and with it a reader stalled on a busy
            // machine let a finished reader's final watermark through before its own last records
            watermarks = watermarks.withIdleness(conf.get(StreamOptions.IDLE_FLUSH));
        }
        return env.fromSource(
                        ArgusKafka.on(kafka).mediaSource(topic)
                                .groupId(conf.get(JobOptions.GROUP_ID))
                                .bounded(conf.get(JobOptions.BOUNDED))
                                .maxPayloadBytes(conf.get(StreamOptions.MAX_PAYLOAD_BYTES))
                                .build(),
                        watermarks, kind + "-source")
                .uid(kind + "-source");
    }

    private DeliveryGuarantee deliveryGuarantee() {
        return switch (conf.get(JobOptions.DELIVERY_GUARANTEE)) {
            case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
            case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
            case NONE -> DeliveryGuarantee.NONE;
        };
    }

    /** The model packages this job accepts, from its options; the key file is read here, on the client. */
    private ModelTrust modelTrust() {
        return ModelTrustOptions.trust(conf);
    }

    /** How the per-stream operators order media and when they flush, release or restart a stream. */
    private StreamTiming streamTiming() {
        return StreamTiming.builder()
                .reorderBound(conf.get(StreamOptions.REORDER_BOUND))
                .idleFlush(conf.get(StreamOptions.IDLE_FLUSH))
                .idleRelease(conf.get(StreamOptions.IDLE_RELEASE))
                .clockJump(conf.get(StreamOptions.CLOCK_JUMP))
                .inOrderRelease(conf.get(StreamOptions.IN_ORDER_RELEASE))
                .build();
    }

    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> first = streams.get(0);
        return streams.size() == 1 ? first : first.union(streams.subList(1, streams.size()).toArray(DataStream[]::new));
    }
}
