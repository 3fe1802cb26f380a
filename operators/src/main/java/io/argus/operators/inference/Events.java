package io.argus.operators.inference;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.classify.Classification;
import io.argus.models.classify.ModelInfo;
import io.argus.models.classify.PersonDecision;
import io.argus.models.input.ModelInput;
import java.util.ArrayList;
import java.util.List;

/** Turns a classification of a window into the events Argus emits for it. */
public final class Events {

    private Events() {}

    /** The window's event, then one event per person the window follows (kind {@code person}). */
    public static List<AnalyticsEvent> of(ModelInput window, Classification c, ModelInfo model, String kind) {
        long inferredAt = System.currentTimeMillis();
        List<AnalyticsEvent> out = new ArrayList<>(1 + c.people().size());
        AnalyticsEvent e = event(window, c, model, kind, inferredAt);
        e.people = window.people();
        out.add(e);
        for (PersonDecision p : c.people()) {
            AnalyticsEvent person = event(window, p.classification(), model, AnalyticsEvent.KIND_PERSON, inferredAt);
            person.trackId = p.trackId();
            person.box = p.box().clone();
            out.add(person);
        }
        return out;
    }

    private static AnalyticsEvent event(ModelInput window, Classification c, ModelInfo model, String kind,
            long inferredAt) {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = window.streamId();
        e.kind = kind;
        e.label = c.label();
        e.score = c.score();
        e.topLabels = c.labels().toArray(new String[0]);
        e.topScores = c.scores().clone();
        e.windowStartMs = window.startMs();
        e.windowEndMs = window.endMs();
        e.modelName = model.name();
        e.modelVersion = model.version();
        e.decodedAtMs = window.decodedAtMs();
        e.inferredAtMs = inferredAt;
        return e;
    }
}
