package io.argus.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.operators.metrics.StreamHealth;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.metrics.NoOpMetricRegistry;
import org.apache.flink.runtime.metrics.filter.MetricFilter;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.metrics.groups.FrontMetricGroup;
import org.apache.flink.runtime.metrics.groups.ReporterScopedSettings;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.junit.jupiter.api.Test;

/**
 * What the endpoint serves for the operators' metrics, read back as {@code argus status} reads it:
 * series named as Flink's Prometheus reporter names them, a stream's metrics labelled with the
 * stream, the model serving, and a stream's series gone once its metrics are removed.
 */
class PrometheusEndpointTest {

    private final TaskMetricGroup task = TaskManagerMetricGroup
            .createTaskManagerMetricGroup(NoOpMetricRegistry.INSTANCE, "localhost", ResourceID.generate())
            .addJob(new JobID(), "argus-analytics")
            .addTask(ExecutionAttemptID.randomId(), "classify");
    private final FlinkMetricsCollector collector = new FlinkMetricsCollector();

    @Test
    void seriesAreNamedAsOnAClusterAndAStreamsValuesReadBackPerCamera() throws Exception {
        MetricGroup decode = task.getOrAddOperator("decode-video");
        MetricGroup order = task.getOrAddOperator("track-people");
        MetricGroup classify = task.getOrAddOperator("classify-video");
        add(decode, "recordsDecoded", counter(7));
        MetricGroup cam = decode.addGroup("stream", "cam-1");
        add(cam, "framesIn", (Gauge<Double>) () -> 21.0);
        add(cam, "recordsRefused", counter(1));
        add(order.addGroup("stream", "cam-1"), "state", (Gauge<Integer>) () -> StreamHealth.STALLED);
        add(order.addGroup("stream", "cam-1"), "secondsSinceMedia", (Gauge<Double>) () -> 6.5);
        add(classify.addGroup("stream", "cam-1"), "captureToEventLagMs", (Gauge<Long>) () -> 1_500L);
        add(classify.addGroup("model", "pose-action-lstm").addGroup("version", "1.0.0"), "serving",
                (Gauge<Integer>) () -> 1);
        DescriptiveStatisticsHistogram batch = new DescriptiveStatisticsHistogram(10);
        batch.update(4);
        add(classify, "batchSize", batch);

        List<PrometheusText.Sample> samples = PrometheusText.parse(scrape());
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("flink_taskmanager_job_task_operator_stream_framesIn");
            assertThat(s.label("stream")).isEqualTo("cam-1");
            assertThat(s.label("operator_name")).isEqualTo("decode-video");
            assertThat(s.value()).isEqualTo(21.0);
        });
        assertThat(samples).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("flink_taskmanager_job_task_operator_batchSize");
            assertThat(s.label("quantile")).isEqualTo("0.5");
            assertThat(s.value()).isEqualTo(4.0);
        });

        StreamReport report = StreamReport.of(samples);
        StreamReport.Stream s = report.streams().get("cam-1");
        assertThat(s.state()).isEqualTo(StreamHealth.STALLED);
        assertThat(s.frames).isEqualTo(21.0);
        assertThat(s.refused).isEqualTo(1.0);
        assertThat(s.lagMs).isEqualTo(1_500.0);
        assertThat(s.secondsSinceMedia).isEqualTo(6.5);
        assertThat(report.serving()).containsExactly("classify-video pose-action-lstm 1.0.0");
        assertThat(report.lines()).first().isEqualTo("1 streams: 0 live, 1 stalled, 0 gone");
    }

    @Test
    void aStreamWhoseMetricsWereRemovedIsNoLongerServed() throws Exception {
        MetricGroup decode = task.getOrAddOperator("decode-audio");
        MetricGroup cam = decode.addGroup("stream", "mic-9");
        Counter decoded = counter(3);
        add(cam, "recordsDecoded", decoded);
        assertThat(StreamReport.of(PrometheusText.parse(scrape())).streams()).containsOnlyKeys("mic-9");

        collector.remove(decoded);
        assertThat(StreamReport.of(PrometheusText.parse(scrape())).streams()).isEmpty();
    }

    /** Registers a metric as the registry hands it to a reporter: in a front group of the reporter's settings. */
    private void add(MetricGroup group, String name, Metric metric) {
        collector.add(metric, name, new FrontMetricGroup<>(new ReporterScopedSettings(0, '.',
                MetricFilter.NO_OP_FILTER, Set.of(), Map.of()), (AbstractMetricGroup<?>) group));
    }

    private static Counter counter(long n) {
        Counter c = new SimpleCounter();
        c.inc(n);
        return c;
    }

    private String scrape() throws Exception {
        CollectorRegistry registry = new CollectorRegistry(true);
        collector.register(registry);
        StringWriter out = new StringWriter();
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toString();
    }
}
