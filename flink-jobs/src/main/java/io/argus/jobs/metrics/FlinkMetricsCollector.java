package io.argus.jobs.metrics;

import io.prometheus.client.Collector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink metrics of this process as Prometheus samples, read at each scrape: counters, gauges
 * and meters as gauges, histograms as summaries with the quantiles Flink's reporter gives. A metric
 * that cannot be read (it throws) is left out of that scrape.
 */
final class FlinkMetricsCollector extends Collector {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkMetricsCollector.class);
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

    /** A registered metric, its series name and labels. */
    private record Series(String name, Map<String, String> labels, Metric metric) {}

    private final Map<Metric, Series> series = new ConcurrentHashMap<>();

    void add(Metric metric, String name, MetricGroup group) {
        series.put(metric, new Series(PrometheusNames.name(name, group), PrometheusNames.labels(group), metric));
    }

    void remove(Metric metric) {
        series.remove(metric);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Map<String, List<MetricFamilySamples.Sample>> byName = new TreeMap<>();
        Map<String, Type> types = new HashMap<>();
        for (Series s : series.values()) {
            try {
                addSamples(s, byName, types);
            } catch (RuntimeException e) {
                // a metric of a task that is shutting down, say: the scrape goes on without it
                LOG.debug("metric {} {} cannot be read", s.name(), s.labels(), e);
            }
        }
        List<MetricFamilySamples> out = new ArrayList<>(byName.size());
        byName.forEach((name, samples) -> {
            if (!samples.isEmpty()) {
                out.add(new MetricFamilySamples(name, types.get(name), name, samples));
            }
        });
        return out;
    }

    private static void addSamples(Series s, Map<String, List<MetricFamilySamples.Sample>> byName,
            Map<String, Type> types) {
        List<String> names = PrometheusNames.names(s.labels());
        List<String> values = PrometheusNames.values(s.labels());
        if (s.metric() instanceof Histogram h) {
            HistogramStatistics stats = h.getStatistics();
            List<MetricFamilySamples.Sample> samples = byName.computeIfAbsent(s.name(), k -> new ArrayList<>());
            types.put(s.name(), Type.SUMMARY);
            samples.add(new MetricFamilySamples.Sample(s.name() + "_count", names, values, h.getCount()));
            List<String> qNames = new ArrayList<>(names);
            qNames.add("quantile");
            for (double q : QUANTILES) {
                List<String> qValues = new ArrayList<>(values);
                qValues.add(Double.toString(q));
                samples.add(new MetricFamilySamples.Sample(s.name(), qNames, qValues, stats.getQuantile(q)));
            }
            return;
        }
        Double v = value(s.metric());
        if (v != null) {
            types.putIfAbsent(s.name(), Type.GAUGE);
            byName.computeIfAbsent(s.name(), k -> new ArrayList<>())
                    .add(new MetricFamilySamples.Sample(s.name(), names, values, v));
        }
    }

    /** A metric's current value, or null for a gauge whose value is not a number or a boolean. */
    static Double value(Metric metric) {
        if (metric instanceof Counter c) {
            return (double) c.getCount();
        }
        if (metric instanceof Meter m) {
            return m.getRate();
        }
        if (metric instanceof Gauge<?> g) {
            Object v = g.getValue();
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v instanceof Boolean b) {
                return b ? 1.0 : 0.0;
            }
        }
        return null;
    }
}
