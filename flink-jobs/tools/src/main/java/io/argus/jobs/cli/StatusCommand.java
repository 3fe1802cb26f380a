package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.config.CommandLine;
import io.argus.jobs.metrics.PrometheusText;
import io.argus.jobs.metrics.StreamReport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * {@code argus status}: per camera and microphone, live, stalled or gone, what came in, the
 * capture-to-event lag and the model versions serving, from the Prometheus endpoints of a running
 * job (the local job's {@code --metrics-port}, or every task manager of a cluster).
 */
public final class StatusCommand {

    public static final ConfigOption<List<String>> METRICS = key("metrics")
            .stringType()
            .asList()
            .defaultValues("http://127.0.0.1:9249/metrics")
            .withDescription("Prometheus endpoints of the job to read, separated by ';': a job run by argus job "
                    + "--metrics-port, or each task manager of a cluster (port 9249).");

    static final String USAGE = "argus status [--metrics URL;URL...]";
    static final String SUMMARY = "Says per camera and microphone whether it is live (media arriving), stalled (none "
            + "for --idle-flush) or gone (released after --idle-release), what came in and the lag, and which model "
            + "versions serve, from the job's metrics.";

    private StatusCommand() {}

    public static void main(String[] args) throws Exception {
        List<ConfigOption<?>> options = List.of(METRICS);
        CommandLine.Parsed parsed = CommandLine.parse(args, options);
        if (parsed.help()) {
            CommandLine.printHelp(System.out, USAGE, SUMMARY, options);
            return;
        }
        run(parsed.config().get(METRICS), System.out);
    }

    /** Scrapes every endpoint and prints the report. */
    static StreamReport run(List<String> endpoints, PrintStream out) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<PrometheusText.Sample> samples = new ArrayList<>();
        for (String url : endpoints) {
            samples.addAll(PrometheusText.parse(scrape(http, url)));
        }
        StreamReport report = StreamReport.of(samples);
        report.lines().forEach(out::println);
        return report;
    }

    private static String scrape(HttpClient http, String url) throws IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option --metrics: not a URL: " + url, e);
        }
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot read metrics from " + url + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is the job running with "
                    + "--metrics-port?", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException("metrics endpoint " + url + " answered HTTP " + r.statusCode());
        }
        return r.body();
    }
}
