package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.models.signal.LoudnessClassifier;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * The audio path: its model, its windows and the measured levels.
 */
public final class AudioOptions {

    public static final ConfigOption<Boolean> ENABLED = key("audio")
            .booleanType()
            .defaultValue(true)
            .withDescription("Run the audio path.");

    public static final ConfigOption<String> MODEL = key("audio-model")
            .stringType()
            .defaultValue("bundled:audio-cnn")
            .withDescription("Audio classifier: bundled:NAME (a model shipped in the jar), registry:NAME or "
                    + "registry:NAME@VERSION (as for --action-model), a model package directory, or loudness (the "
                    + "measured level, no model). A model's input spec sets the sample rate, the spectrogram and the "
                    + "window length.");

    public static final ConfigOption<Duration> WINDOW = key("audio-window")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Length of an audio window (a learned model's own when unset).");

    public static final ConfigOption<Duration> HOP = key("audio-hop")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("Time between the starts of consecutive audio windows; less than the window "
                    + "makes them overlap.");

    public static final ConfigOption<Duration> MAX_GAP = key("audio-max-gap")
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

    /** These options, in --help order. */
    public static final List<ConfigOption<?>> ALL = List.of(ENABLED, MODEL, WINDOW, HOP, MAX_GAP, SILENCE_DBFS,
            LOUD_DBFS);

    private AudioOptions() {}
}
