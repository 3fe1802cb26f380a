package io.argus.jobs.metrics;

import io.argus.operators.metrics.PerStreamMetrics;
import io.argus.operators.metrics.StreamHealth;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.Scheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per period (the checkpoint interval) with what a job run in this process
 * ({@code argus job}) did: records decoded and refused, late media, events and dead letters in the
 * period and since the start, the streams live, stalled and gone, the model versions serving. The
 * rest of the job's logging stays at its level ({@code ARGUS_LOG_LEVEL}, error by default), so a
 * healthy job prints this line and nothing else.
 */
public final class JobSummary implements MetricReporter, Scheduled {

    private static final Logger LOG = LoggerFactory.getLogger(JobSummary.class);

    /** A metric with where it lives. */
    private record Registered(String name, String operator, String stream, Map<String, String> vars, Metric metric) {}

    private final Map<Metric, Registered> metrics = new ConcurrentHashMap<>();
    private final Map<String, Double> previous = new HashMap<>();
    private final String prefix;

    JobSummary(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        Map<String, String> vars = group.getAllVariables();
        metrics.put(metric, new Registered(name, vars.get("<operator_name>"), vars.get("<" + PerStreamMetrics.STREAM
                + ">"), vars, metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        metrics.remove(metric);
    }

    @Override
    public void report() {
        LOG.info(line());
    }

    /** The line for the period since the last call. */
    String line() {
        Map<String, Double> totals = new HashMap<>();
        Map<String, Integer> streamStates = new HashMap<>();
        TreeSet<String> serving = new TreeSet<>();
        for (Registered r : metrics.values()) {
            Double v = readable(r.metric());
            if (v == null || r.operator() == null) {
                continue;
            }
            if (r.stream() != null) {
                if (r.name().equals("state")) {
                    streamStates.merge(r.stream(), v.intValue(), Math::min); // live on any path is live
                }
                continue;
            }
            if (r.name().equals("serving")) {
                if (v == 1.0) {
                    serving.add(r.vars().get("<model>") + " " + r.vars().get("<version>"));
                }
                continue;
            }
            String media = r.operator().endsWith("-audio") ? "audio" : "video";
            switch (r.name()) {
                case "recordsDecoded", "recordsRefused" -> totals.merge(media + "." + r.name(), v, Double::sum);
                case "lateElements", "eventsEmitted", "nonFiniteScores" -> totals.merge(r.name(), v, Double::sum);
                default -> { }
            }
        }
        totals.put("deadLetters", totals.getOrDefault("video.recordsRefused", 0.0)
                + totals.getOrDefault("audio.recordsRefused", 0.0) + totals.getOrDefault("nonFiniteScores", 0.0));
        int[] states = new int[3];
        streamStates.values().forEach(s -> states[Math.max(0, Math.min(2, s))]++);
        String line = String.format(Locale.ROOT,
                "%s: last period: %d video and %d audio records decoded, %d refused, %d late; %d events, %d dead"
                        + " letters; since start: %d events, %d dead letters; streams: %d live, %d stalled, %d gone;"
                        + " serving: %s",
                prefix, delta(totals, "video.recordsDecoded"), delta(totals, "audio.recordsDecoded"),
                delta(totals, "video.recordsRefused") + delta(totals, "audio.recordsRefused"),
                delta(totals, "lateElements"), delta(totals, "eventsEmitted"), delta(totals, "deadLetters"),
                (long) (double) totals.getOrDefault("eventsEmitted", 0.0),
                (long) (double) totals.getOrDefault("deadLetters", 0.0), states[StreamHealth.LIVE],
                states[StreamHealth.STALLED], states[StreamHealth.GONE],
                serving.isEmpty() ? "no model yet" : String.join(", ", serving));
        previous.clear();
        previous.putAll(totals);
        return line;
    }

    /** The metric's value, or null when it is not a number or cannot be read now (its task is closing). */
    private static Double readable(Metric metric) {
        try {
            return FlinkMetricsCollector.value(metric);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private long delta(Map<String, Double> totals, String key) {
        return Math.round(totals.getOrDefault(key, 0.0) - previous.getOrDefault(key, 0.0));
    }
}
