package io.argus.jobs.metrics;

import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Creates the {@link LocalPrometheusReporter} from {@code metrics.reporter.<name>.host} and {@code .port}. */
public final class LocalPrometheusReporterFactory implements MetricReporterFactory {

    static final String HOST = "host";
    static final String PORT = "port";

    @Override
    public LocalPrometheusReporter createMetricReporter(Properties properties) {
        MetricConfig c = (MetricConfig) properties;
        return new LocalPrometheusReporter(c.getString(HOST, "127.0.0.1"), c.getInteger(PORT, 9249));
    }
}
