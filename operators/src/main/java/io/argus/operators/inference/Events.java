package io.argus.operators.inference;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.classify.Classification;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.ModelInput;

/** Turns a classification of a window into the event Argus emits for it. */
final class Events {

    private Events() {}

    static AnalyticsEvent of(ModelInput window, Classification c, ModelInfo model, String kind) {
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
        e.inferredAtMs = System.currentTimeMillis();
        return e;
    }
}
