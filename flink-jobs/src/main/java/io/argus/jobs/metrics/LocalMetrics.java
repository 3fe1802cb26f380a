package io.argus.jobs.metrics;

import io.argus.jobs.config.JobOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The metric reporters of a job run in this process: the Prometheus endpoint when
 * {@code --metrics-port} is set, and for {@code argus job} the one-line summary per period.
 */
public final class LocalMetrics {

    private static final String REPORTERS = "metrics.reporter.";

    private LocalMetrics() {}

    /**
     * Adds the Prometheus endpoint to a MiniCluster's configuration when the job's options ask for
     * one, after checking that its address is free (a reporter that cannot listen would only log).
     *
     * @return the endpoint's URL, or null when there is none
     */
    public static String addEndpoint(Configuration cluster, Configuration job) {
        int port = job.get(JobOptions.METRICS_PORT);
        if (port == 0) {
            return null;
        }
        String host = job.get(JobOptions.LOCAL_BIND_ADDRESS);
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalArgumentException("option --" + JobOptions.METRICS_PORT.key() + ": cannot listen on "
                    + host + ":" + port + " (" + e.getMessage() + ")", e);
        }
        String prefix = REPORTERS + "prometheus.";
        cluster.setString(prefix + "factory.class", LocalPrometheusReporterFactory.class.getName());
        cluster.setString(prefix + LocalPrometheusReporterFactory.HOST, host);
        cluster.setString(prefix + LocalPrometheusReporterFactory.PORT, Integer.toString(port));
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port + "/metrics";
    }

    /** Adds the summary line, once per checkpoint interval (10 s when checkpointing is off). */
    public static void addSummary(Configuration cluster, Configuration job, String prefix) {
        Duration interval = job.get(JobOptions.CHECKPOINT_INTERVAL);
        if (interval.isZero()) {
            interval = Duration.ofSeconds(10);
        }
        String p = REPORTERS + "summary.";
        cluster.setString(p + "factory.class", JobSummaryFactory.class.getName());
        cluster.setString(p + "interval", interval.toMillis() + " ms");
        cluster.setString(p + JobSummaryFactory.PREFIX, prefix);
    }
}
