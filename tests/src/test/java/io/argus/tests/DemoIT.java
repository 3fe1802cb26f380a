package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import io.argus.jobs.config.StateOptions;
import io.argus.jobs.demo.Demo;
import io.argus.operators.incidents.IncidentSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: the embedded demo prints real events for the generated clip, then the
 * incidents read back from the incidents topic, which agree with the events of the same run.
 */
class DemoIT {

    @Test
    void demoPrintsEventsOfTheGeneratedClip(@TempDir Path data) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Configuration conf = new Configuration();
        conf.set(StateOptions.DATA_DIR, data.toString()); // the demo keeps its broker and checkpoints there
        Demo demo = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        List<AnalyticsEvent> events = demo.run(conf);
        String out = buffer.toString(StandardCharsets.UTF_8);

        Map<String, Integer> counts = new TreeMap<>();
        events.forEach(e -> counts.merge(e.kind + ":" + e.label, 1, Integer::sum));
        assertThat(events).filteredOn(e -> e.kind.equals("audio")).hasSize(39)
                .allSatisfy(e -> assertThat(e.modelName).isEqualTo("audio-cnn"));
        assertThat(counts.keySet()).as("sounds recognised").contains("audio:silence", "audio:speech", "audio:music",
                "audio:alarm", "audio:noise");
        // the default action model follows people: one event per window with the people in view, and one
        // per person followed, on a generated person who does each action for 4 s
        assertThat(events).filteredOn(e -> e.kind.equals("action")).hasSize(19)
                .allSatisfy(e -> assertThat(e.modelName).isEqualTo("pose-action-lstm"))
                .allSatisfy(e -> assertThat(e.people).isNotNull());
        assertThat(counts.keySet()).as("actions recognised").contains("action:idle", "action:walking",
                "action:waving", "action:running", "action:jumping");
        List<AnalyticsEvent> people = events.stream().filter(e -> e.kind.equals("person")).toList();
        assertThat(people).as("person events").hasSizeGreaterThanOrEqualTo(15)
                .allSatisfy(e -> assertThat(e.box).hasSize(4));
        assertThat(out).contains("argus demo: broker at 127.0.0.1:")
                .contains("20 video segments, 20 audio chunks")
                .contains("a person who stands idle, walks, waves, runs and jumps")
                .containsPattern("audio\\s+demo-cam-1\\s+5\\.00-\\s+6\\.00 s\\s+speech")
                .containsPattern("person demo-cam-1\\s+[0-9.]+-\\s*[0-9.]+ s\\s+\\w+\\s+[0-9.]+\\s+person \\d+ at x")
                .contains("argus demo: " + events.size() + " events");

        List<Incident> incidents = demo.incidents();
        Incidents.assertConsistentWithEvents(incidents, events, IncidentSettings.builder().build());
        List<Incident> closed = incidents.stream().filter(i -> !i.isOpen()).toList();
        assertThat(closed).extracting(i -> i.kind + ":" + i.label).as("incidents of the clip's sounds and actions")
                .contains("audio:speech", "audio:music", "audio:alarm", "audio:noise", "action:running");
        assertThat(closed).filteredOn(i -> i.kind.equals("action")).allSatisfy(i -> {
            assertThat(i.alongsideKind).isEqualTo("audio");
            assertThat(i.tracks).as("the people who did " + i.label).isNotEmpty();
        });
        assertThat(out).containsPattern("argus demo: " + closed.size() + " incidents from argus.incidents \\("
                        + incidents.size() + " records")
                .containsPattern("audio\\s+demo-cam-1\\s+[0-9.]+-\\s*[0-9.]+ s\\s+alarm\\s+peak [0-9.]+\\s+mean [0-9.]+\\s+\\d+ "
                        + "windows\\s+action: ");
    }
}
