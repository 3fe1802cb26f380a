package io.argus.jobs.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * The Prometheus endpoint of a job run in this process ({@code argus job}, {@code argus demo} with
 * {@code --metrics-port}): every Flink metric at {@code http://HOST:PORT/metrics}, named as Flink's
 * Prometheus reporter names them on a cluster (see {@link PrometheusNames}). Unlike that reporter,
 * it listens on one address, the job's {@code --local-bind-address} (loopback by default).
 */
public final class LocalPrometheusReporter implements MetricReporter {

    private final String host;
    private final int port;
    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final FlinkMetricsCollector metrics = new FlinkMetricsCollector();
    private HTTPServer server;

    LocalPrometheusReporter(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public void open(MetricConfig config) {
        metrics.register(registry);
        try {
            server = new HTTPServer(new InetSocketAddress(host, port), registry, true);
        } catch (IOException e) {
            throw new UncheckedIOException("option --metrics-port: cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        metrics.add(metric, name, group);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        metrics.remove(metric);
    }
}
