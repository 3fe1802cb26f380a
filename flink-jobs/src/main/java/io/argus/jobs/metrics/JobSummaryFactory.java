package io.argus.jobs.metrics;

import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Creates the {@link JobSummary} reporter; {@code metrics.reporter.<name>.prefix} starts its lines. */
public final class JobSummaryFactory implements MetricReporterFactory {

    static final String PREFIX = "prefix";

    @Override
    public JobSummary createMetricReporter(Properties properties) {
        return new JobSummary(((MetricConfig) properties).getString(PREFIX, "argus job"));
    }
}
