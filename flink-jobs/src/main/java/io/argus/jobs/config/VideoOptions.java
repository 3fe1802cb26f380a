package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.models.signal.MotionEnergyClassifier;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * The video path: its action model, how frames are decoded and sampled, and its windows.
 */
public final class VideoOptions {

    public static final ConfigOption<Boolean> ENABLED = key("video")
            .booleanType()
            .defaultValue(true)
            .withDescription("Run the video path.");

    public static final ConfigOption<String> ACTION_MODEL = key("action-model")
            .stringType()
            .defaultValue("bundled:pose-action-lstm")
            .withDescription("Action classifier: bundled:NAME (a model shipped in the jar: pose-action-lstm follows"
                    + " people with a pose model and labels each of them; action-cnn-lstm labels a window's pixels),"
                    + " registry:NAME (the version the --model-registry serves, swapped while the job runs), "
                    + "registry:NAME@VERSION (that version, kept), a model package directory, or motion-energy (the "
                    + "measured signal, no model). A model's input spec sets the video window's frames, rate and "
                    + "frame size.");

    public static final ConfigOption<Integer> WIDTH = key("video-width")
            .intType()
            .defaultValue(64)
            .withDescription("Width frames are scaled to by the decoder.");

    public static final ConfigOption<Integer> HEIGHT = key("video-height")
            .intType()
            .defaultValue(64)
            .withDescription("Height frames are scaled to by the decoder.");

    public static final ConfigOption<Integer> CHANNELS = key("video-channels")
            .intType()
            .defaultValue(1)
            .withDescription("1 for grey frames, 3 for RGB.");

    public static final ConfigOption<Double> FPS = key("video-fps")
            .doubleType()
            .defaultValue(8.0)
            .withDescription("Frame rate streams are sampled down to before windowing.");

    public static final ConfigOption<Integer> WINDOW_FRAMES = key("video-window-frames")
            .intType()
            .defaultValue(16)
            .withDescription("Frames per video window.");

    public static final ConfigOption<Integer> WINDOW_STRIDE = key("video-window-stride")
            .intType()
            .defaultValue(8)
            .withDescription("Frames between the starts of consecutive video windows.");

    public static final ConfigOption<Duration> MAX_GAP = key("video-max-gap")
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

    /** These options, in --help order. */
    public static final List<ConfigOption<?>> ALL = List.of(ENABLED, ACTION_MODEL, WIDTH, HEIGHT, CHANNELS, FPS,
            WINDOW_FRAMES, WINDOW_STRIDE, MAX_GAP, POSE_MIN_PERSON_SCORE, MOTION_THRESHOLD);

    private VideoOptions() {}
}
