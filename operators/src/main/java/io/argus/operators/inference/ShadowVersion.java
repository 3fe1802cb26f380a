package io.argus.operators.inference;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.ModelInput;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A version running as a shadow beside the serving one in a {@link BatchClassifyOperator}: its
 * classifier, the events it makes of a batch the serving version has classified (marked shadow, the
 * serving decision beside each), and its share of the inference CPU time on the task thread.
 */
final class ShadowVersion<I extends ModelInput> implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String version;
    private final Classifier<I> classifier;
    private long servingCpuNanos;
    private long shadowCpuNanos;

    ShadowVersion(String version, Classifier<I> classifier) {
        this.version = version;
        this.classifier = classifier;
    }

    String version() {
        return version;
    }

    /** Whether a window of the batch was decoded more than {@code maxLagMs} before {@code nowMs}. */
    static boolean behind(List<? extends ModelInput> inputs, long nowMs, long maxLagMs) {
        for (ModelInput in : inputs) {
            if (in.decodedAtMs() > 0 && nowMs - in.decodedAtMs() > maxLagMs) {
                return true;
            }
        }
        return false;
    }

    /**
     * The shadow's events for each window of the batch (null where its scores are not finite), each
     * beside the serving event of the same window and person in {@code served}; {@code servingCpuNanos}
     * is what the serving version took for the batch. Throws whatever the classifier throws.
     */
    List<List<AnalyticsEvent>> classify(List<I> inputs, List<List<AnalyticsEvent>> served, long servingCpuNanos,
            int topK, String kind) {
        long cpu0 = cpuNanos();
        List<Classification> results = classifier.classify(inputs);
        ModelInfo info = classifier.info();
        this.shadowCpuNanos += cpuNanos() - cpu0;
        this.servingCpuNanos += servingCpuNanos;
        List<List<AnalyticsEvent>> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Classification c = results.get(i);
            if (!NonFiniteScores.none(c)) {
                out.add(null);
                continue;
            }
            List<AnalyticsEvent> events = Events.of(inputs.get(i), c.topK(topK), info, kind);
            for (AnalyticsEvent e : events) {
                besideServing(e, served.get(i));
            }
            out.add(events);
        }
        return out;
    }

    /** The shadow's share of the inference CPU time (its own and the serving version's) since it started, in percent. */
    double cpuSharePercent() {
        return 100.0 * shadowCpuNanos / Math.max(1, shadowCpuNanos + servingCpuNanos);
    }

    /** CPU time of the calling thread (its wall clock where the JVM cannot tell). */
    static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Marks a shadow event and gives it the serving version's decision on the same window (and person). */
    private static void besideServing(AnalyticsEvent e, List<AnalyticsEvent> served) {
        e.shadow = true;
        for (AnalyticsEvent s : served) {
            if (s.kind.equals(e.kind) && Objects.equals(s.trackId, e.trackId)) {
                e.servingLabel = s.label;
                e.servingScore = s.score;
                e.servingVersion = s.modelVersion;
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        classifier.close();
    }
}
