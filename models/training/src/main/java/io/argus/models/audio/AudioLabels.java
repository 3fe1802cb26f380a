package io.argus.models.audio;

import java.util.List;

/** The audio classes Argus ships a model for. */
public final class AudioLabels {

    public static final String SPEECH = "speech";
    public static final String MUSIC = "music";
    public static final String SILENCE = "silence";
    public static final String NOISE = "noise";
    public static final String ALARM = "alarm";
    public static final List<String> ALL = List.of(SPEECH, MUSIC, SILENCE, NOISE, ALARM);

    private AudioLabels() {}
}
