package io.argus.operators.incidents;

import io.argus.connectors.events.AnalyticsEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Events of a known 20 s scene on one stream, like the demo's: 4 s each of idle, walking, waving,
 * running and jumping in 2 s action windows every second, and of silence, speech, music, alarm and
 * noise in 1 s audio windows every half second; a window's label is that of the phase at its middle.
 */
final class Scenes {

    static final String STREAM = "cam-1";
    static final List<String> ACTIONS = List.of("idle", "walking", "waving", "running", "jumping");
    static final List<String> SOUNDS = List.of("silence", "speech", "music", "alarm", "noise");

    private Scenes() {}

    static AnalyticsEvent event(String kind, String label, long startMs, long endMs, float score) {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = STREAM;
        e.kind = kind;
        e.label = label;
        e.score = score;
        e.topLabels = new String[] {label};
        e.topScores = new float[] {score};
        e.windowStartMs = startMs;
        e.windowEndMs = endMs;
        e.modelName = kind.equals(AnalyticsEvent.KIND_AUDIO) ? "audio-cnn" : "pose-action-lstm";
        e.modelVersion = "1.0.0";
        return e;
    }

    static AnalyticsEvent action(String label, long startMs, long endMs, float score) {
        return event(AnalyticsEvent.KIND_ACTION, label, startMs, endMs, score);
    }

    static AnalyticsEvent audio(String label, long startMs, long endMs, float score) {
        return event(AnalyticsEvent.KIND_AUDIO, label, startMs, endMs, score);
    }

    static AnalyticsEvent person(String label, long startMs, long endMs, int track) {
        AnalyticsEvent e = event(AnalyticsEvent.KIND_PERSON, label, startMs, endMs, 0.9f);
        e.trackId = track;
        e.box = new float[] {0.1f, 0.1f, 0.2f, 0.5f};
        return e;
    }

    /**
     * The whole scene in window-end order, scores varying by window; the runner (running windows)
     * is person 0, and in the window [12, 14) s also person 1.
     */
    static List<AnalyticsEvent> demo() {
        List<AnalyticsEvent> events = new ArrayList<>();
        for (long k = 0; k <= 18; k++) {
            String label = ACTIONS.get((int) ((k + 1) / 4));
            events.add(action(label, k * 1000, k * 1000 + 2000, 0.8f + 0.01f * k));
            if (label.equals("running")) {
                events.add(person("running", k * 1000, k * 1000 + 2000, 0));
                if (k == 12) {
                    events.add(person("running", k * 1000, k * 1000 + 2000, 1));
                }
            }
        }
        for (long j = 0; j <= 38; j++) {
            String label = SOUNDS.get((int) ((j * 500 + 500) / 4000));
            events.add(audio(label, j * 500, j * 500 + 1000, 0.7f + 0.005f * j));
        }
        events.sort(IncidentFunction.WINDOW_ORDER);
        return events;
    }
}
