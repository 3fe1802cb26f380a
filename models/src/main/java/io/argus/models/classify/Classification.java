package io.argus.models.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A classifier's decision on one input: every label with its score, best first, and for models
 * that follow people, each person's own decision.
 *
 * @param labels labels ordered by descending score
 * @param scores scores aligned with {@code labels}, each in [0, 1]
 * @param people the decision on each person in the window (empty for models of whole windows)
 */
public record Classification(List<String> labels, float[] scores, List<PersonDecision> people) {

    public Classification {
        labels = List.copyOf(labels);
        people = List.copyOf(people);
        if (labels.isEmpty() || labels.size() != scores.length) {
            throw new IllegalArgumentException(
                    labels.size() + " labels for " + scores.length + " scores");
        }
    }

    public Classification(List<String> labels, float[] scores) {
        this(labels, scores, List.of());
    }

    /** Sorts label/score pairs by descending score (ties keep the label order). */
    public static Classification of(List<String> labels, float[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
        List<String> sortedLabels = new ArrayList<>(scores.length);
        float[] sortedScores = new float[scores.length];
        for (int i = 0; i < order.length; i++) {
            sortedLabels.add(labels.get(order[i]));
            sortedScores[i] = scores[order[i]];
        }
        return new Classification(sortedLabels, sortedScores);
    }

    /** The same decision with each person's own. */
    public Classification withPeople(List<PersonDecision> decisions) {
        return new Classification(labels, scores, decisions);
    }

    public String label() {
        return labels.get(0);
    }

    public float score() {
        return scores[0];
    }

    /** The best {@code k} labels (fewer when the model has fewer), here and for every person. */
    public Classification topK(int k) {
        int n = Math.min(k, scores.length);
        List<PersonDecision> cut = people.stream()
                .map(p -> new PersonDecision(p.trackId(), p.box(), p.classification().topK(k))).toList();
        return new Classification(labels.subList(0, n), Arrays.copyOf(scores, n), cut);
    }
}
