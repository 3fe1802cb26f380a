package io.argus.models.eval;

import java.util.List;
import java.util.Locale;

/**
 * The scores of a leave-packages-out cross-validation: one test confusion matrix per fold, each
 * from a model that never heard that fold's packages. The mean says how a recipe generalises, the
 * worst fold how far it can fall on sources unlike any it trained on.
 */
public final class LeavePackagesOut {

    private LeavePackagesOut() {}

    /** Mean of the folds' macro-F1 scores. */
    public static double meanMacroF1(List<ConfusionMatrix> folds) {
        return folds.stream().mapToDouble(ConfusionMatrix::macroF1).average().orElseThrow();
    }

    /** The lowest macro-F1 of any fold. */
    public static double worstMacroF1(List<ConfusionMatrix> folds) {
        return folds.stream().mapToDouble(ConfusionMatrix::macroF1).min().orElseThrow();
    }

    /** Mean F1 of one class over the folds. */
    public static double meanF1(List<ConfusionMatrix> folds, int label) {
        return folds.stream().mapToDouble(m -> m.f1(label)).average().orElseThrow();
    }

    /** A Markdown table: one row per fold and per-class F1, then the mean and the worst fold; then each matrix. */
    public static String summary(List<ConfusionMatrix> folds, String recipe) {
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("no folds to summarise");
        }
        List<String> labels = folds.get(0).labels();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Leave-packages-out test scores (%s augmentation), %d folds%n%n",
                recipe, folds.size()));
        sb.append("| fold | windows | accuracy | macro-F1 |");
        labels.forEach(l -> sb.append(' ').append(l).append(" F1 |"));
        sb.append('\n').append("| --- | --- | --- | --- |").append(" --- |".repeat(labels.size())).append('\n');
        for (int k = 0; k < folds.size(); k++) {
            ConfusionMatrix m = folds.get(k);
            sb.append(String.format(Locale.ROOT, "| %d | %d | %.3f | %.3f |", k, m.total(), m.accuracy(), m.macroF1()));
            for (int c = 0; c < labels.size(); c++) {
                sb.append(String.format(Locale.ROOT, " %.3f |", m.f1(c)));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "| mean | | | **%.3f** |", meanMacroF1(folds)));
        for (int c = 0; c < labels.size(); c++) {
            sb.append(String.format(Locale.ROOT, " %.3f |", meanF1(folds, c)));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "| worst | | | **%.3f** |%s%n%n", worstMacroF1(folds),
                " |".repeat(labels.size())));
        for (int k = 0; k < folds.size(); k++) {
            sb.append("fold ").append(k).append(":\n").append(folds.get(k)).append('\n');
        }
        return sb.toString();
    }
}
