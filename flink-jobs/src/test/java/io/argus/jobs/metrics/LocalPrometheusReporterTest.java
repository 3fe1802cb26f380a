package io.argus.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.NoOpMetricRegistry;
import org.apache.flink.runtime.metrics.filter.MetricFilter;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.metrics.groups.FrontMetricGroup;
import org.apache.flink.runtime.metrics.groups.ReporterScopedSettings;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.junit.jupiter.api.Test;

/** The endpoint over HTTP: it answers every scrape, also when one of the job's gauges cannot be read. */
class LocalPrometheusReporterTest {

    @Test
    void aScrapeAnswersWithTheReadableMetricsWhenAGaugeFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LocalPrometheusReporter reporter = new LocalPrometheusReporter("127.0.0.1", port);
        reporter.open(new MetricConfig());
        try {
            MetricGroup operator = TaskManagerMetricGroup
                    .createTaskManagerMetricGroup(NoOpMetricRegistry.INSTANCE, "localhost", ResourceID.generate())
                    .addJob(new JobID(), "argus-analytics")
                    .addTask(ExecutionAttemptID.randomId(), "decode")
                    .getOrAddOperator("decode-video");
            add(reporter, operator, "broken", (Gauge<Long>) () -> {
                throw new IllegalStateException("not running");
            });
            add(reporter, operator.addGroup("stream", "cam-1"), "framesIn", (Gauge<Double>) () -> 25.0);

            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(StreamReport.of(PrometheusText.parse(r.body())).streams().get("cam-1").frames).isEqualTo(25.0);
            assertThat(r.body()).doesNotContain("broken");
        } finally {
            reporter.close();
        }
    }

    private static void add(LocalPrometheusReporter reporter, MetricGroup group, String name, Metric metric) {
        reporter.notifyOfAddedMetric(metric, name, new FrontMetricGroup<>(new ReporterScopedSettings(0, '.',
                MetricFilter.NO_OP_FILTER, Set.of(), Map.of()), (AbstractMetricGroup<?>) group));
    }
}
