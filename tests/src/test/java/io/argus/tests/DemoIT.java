package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The README's first command: the embedded demo prints real events for the generated clip. */
class DemoIT {

    @Test
    void demoPrintsEventsOfTheGeneratedClip() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<AnalyticsEvent> events = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                .run(new Configuration());
        String out = buffer.toString(StandardCharsets.UTF_8);

        Map<String, Integer> counts = new TreeMap<>();
        events.forEach(e -> counts.merge(e.kind + ":" + e.label, 1, Integer::sum));
        assertThat(counts).containsEntry("audio:silence", 4).containsEntry("audio:loud", 4)
                .containsEntry("audio:quiet", 4);
        assertThat(counts.get("action:motion")).isBetween(3, 5);
        assertThat(counts.get("action:still")).isBetween(6, 8);
        assertThat(out).contains("argus demo: broker at 127.0.0.1:")
                .contains("12 video segments, 12 audio chunks")
                .containsPattern("audio\\s+demo-cam-1\\s+4\\.00-\\s+5\\.00 s\\s+loud")
                .contains("argus demo: 23 events");
    }
}
