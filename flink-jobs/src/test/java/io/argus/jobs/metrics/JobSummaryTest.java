package io.argus.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.operators.metrics.StreamHealth;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The summary line: what changed in the period, totals since the start, streams and models. */
class JobSummaryTest {

    /** A metric group with the variables a task manager's operator group has. */
    private static final class Group extends UnregisteredMetricsGroup {
        private final Map<String, String> vars = new HashMap<>();

        Group(String operator, String... more) {
            vars.put("<operator_name>", operator);
            for (int i = 0; i < more.length; i += 2) {
                vars.put("<" + more[i] + ">", more[i + 1]);
            }
        }

        @Override
        public Map<String, String> getAllVariables() {
            return vars;
        }
    }

    @Test
    void oneLineWithThePeriodsCountsTheTotalsTheStreamsAndTheModels() {
        JobSummary summary = new JobSummary("argus job");
        SimpleCounter video = new SimpleCounter();
        SimpleCounter audio = new SimpleCounter();
        SimpleCounter refused = new SimpleCounter();
        SimpleCounter events = new SimpleCounter();
        summary.notifyOfAddedMetric(video, "recordsDecoded", new Group("decode-video"));
        summary.notifyOfAddedMetric(audio, "recordsDecoded", new Group("decode-audio"));
        summary.notifyOfAddedMetric(refused, "recordsRefused", new Group("decode-video"));
        summary.notifyOfAddedMetric(events, "eventsEmitted", new Group("classify-audio"));
        summary.notifyOfAddedMetric(new SimpleCounter(), "recordsDecoded", new Group("decode-video", "stream", "a"));
        summary.notifyOfAddedMetric((Gauge<Integer>) () -> StreamHealth.LIVE, "state",
                new Group("window-video", "stream", "a"));
        summary.notifyOfAddedMetric((Gauge<Integer>) () -> StreamHealth.GONE, "state",
                new Group("spectrogram-audio", "stream", "a"));
        summary.notifyOfAddedMetric((Gauge<Integer>) () -> StreamHealth.STALLED, "state",
                new Group("spectrogram-audio", "stream", "b"));
        summary.notifyOfAddedMetric((Gauge<Integer>) () -> 1, "serving",
                new Group("classify-audio", "model", "audio-cnn", "version", "1.0.0"));
        summary.notifyOfAddedMetric((Gauge<Integer>) () -> 0, "serving",
                new Group("classify-audio", "model", "audio-cnn", "version", "0.9.0"));

        video.inc(10);
        audio.inc(20);
        refused.inc(1);
        events.inc(40);
        assertThat(summary.line()).isEqualTo("argus job: last period: 10 video and 20 audio records decoded, 1 refused,"
                + " 0 late; 40 events, 1 dead letters; since start: 40 events, 1 dead letters; streams: 1 live,"
                + " 1 stalled, 0 gone; serving: audio-cnn 1.0.0");

        video.inc(5);
        events.inc(2);
        assertThat(summary.line()).startsWith("argus job: last period: 5 video and 0 audio records decoded, 0 refused,"
                + " 0 late; 2 events, 0 dead letters; since start: 42 events, 1 dead letters;");
    }
}
