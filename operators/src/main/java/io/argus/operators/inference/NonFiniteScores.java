package io.argus.operators.inference;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.events.EventFormat;
import io.argus.models.classify.Classification;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.ModelInput;

/** Classifications whose scores are not all finite numbers, and the dead letters they become. */
final class NonFiniteScores {

    private NonFiniteScores() {}

    /** Whether every score is a finite number, the window's and each person's. */
    static boolean none(Classification c) {
        for (float s : c.scores()) {
            if (!Float.isFinite(s)) {
                return false;
            }
        }
        return c.people().stream().allMatch(p -> none(p.classification()));
    }

    /** The dead letter of a window {@code model} gave non-finite scores: its would-be event as the value. */
    static DeadLetter deadLetter(ModelInput window, Classification c, ModelInfo model, String kind, int topK) {
        StringBuilder scores = new StringBuilder();
        for (int i = 0; i < c.labels().size(); i++) {
            scores.append(i == 0 ? "" : " ").append(c.labels().get(i)).append('=').append(c.scores()[i]);
        }
        String reason = model.name() + "@" + model.version() + " gave the " + kind + " window " + window.startMs()
                + "-" + window.endMs() + " of stream " + window.streamId() + " non-finite scores: " + scores;
        byte[] wouldBe = EventFormat.toJson(Events.of(window, c.topK(topK), model, kind).get(0));
        return DeadLetter.ofWindow(window.streamId(), window.startMs(), window.endMs(), wouldBe,
                DeadLetterReason.NON_FINITE_SCORE, reason);
    }
}
