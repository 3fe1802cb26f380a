package io.argus.models.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Counts of (true label, predicted label) and the usual scores derived from them. */
public final class ConfusionMatrix {

    private final List<String> labels;
    private final long[][] counts;

    public ConfusionMatrix(List<String> labels) {
        this.labels = List.copyOf(labels);
        this.counts = new long[labels.size()][labels.size()];
    }

    /** Class labels, in index order. */
    public List<String> labels() {
        return labels;
    }

    public void add(int truth, int predicted) {
        counts[truth][predicted]++;
    }

    public void add(String truth, String predicted) {
        add(index(truth), index(predicted));
    }

    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        return total() == 0 ? 0 : (double) correct / total();
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    public double recall(int c) {
        long actual = 0;
        for (long v : counts[c]) {
            actual += v;
        }
        return actual == 0 ? 0 : (double) counts[c][c] / actual;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < labels.size(); c++) {
            sum += f1(c);
        }
        return sum / labels.size();
    }

    /** Scores as a map, for a model manifest or a JSON report. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", total());
        m.put("accuracy", round(accuracy()));
        m.put("macroF1", round(macroF1()));
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            perClass.put(labels.get(c), Map.of("precision", round(precision(c)), "recall", round(recall(c)),
                    "f1", round(f1(c))));
        }
        m.put("perClass", perClass);
        return m;
    }

    /** The matrix as a table, rows = truth, columns = prediction, then per-class scores. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s", "truth\\pred"));
        labels.forEach(l -> sb.append(String.format(Locale.ROOT, "%9s", abbreviate(l))));
        sb.append(String.format(Locale.ROOT, "%11s%8s%8s%n", "precision", "recall", "f1"));
        for (int t = 0; t < labels.size(); t++) {
            sb.append(String.format(Locale.ROOT, "%-10s", abbreviate(labels.get(t))));
            for (int p = 0; p < labels.size(); p++) {
                sb.append(String.format(Locale.ROOT, "%9d", counts[t][p]));
            }
            sb.append(String.format(Locale.ROOT, "%11.3f%8.3f%8.3f%n", precision(t), recall(t), f1(t)));
        }
        sb.append(String.format(Locale.ROOT, "accuracy %.3f, macro-F1 %.3f over %d samples", accuracy(), macroF1(),
                total()));
        return sb.toString();
    }

    private int index(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("unknown label '" + label + "' (known: " + labels + ")");
        }
        return i;
    }

    private static String abbreviate(String s) {
        return s.length() <= 8 ? s : s.substring(0, 8);
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
