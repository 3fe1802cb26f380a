package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pose action model end to end: video replayed through Kafka, decoded and letterboxed by
 * FFmpeg in the job, the pose model (MoveNet on the PyTorch engine) on frames batched across
 * streams, people followed per stream in keyed state, each person's track classified by the
 * keypoint LSTM; one action event per window with the number of people, one person event per
 * person with its track and box.
 */
class PeopleRecognitionIT {

    static final String MODEL = "bundled:pose-action-lstm";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void aGeneratedPersonIsFollowedAndEachScriptedActionLabelled(@TempDir Path dir) throws Exception {
        List<SyntheticClip.Phase> script = SyntheticClip.DEMO_SCRIPT;
        Path clip = dir.resolve("person.mkv");
        SyntheticClip.withPeople(42).write(clip, script);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Fixtures.createTopics(kafka);
            Fixtures.replay(kafka, clip, "actor", Fixtures.BASE);
            run(kafka);
            Fixtures.Results results = Fixtures.read(kafka);
            List<AnalyticsEvent> windows = results.of("actor", AnalyticsEvent.KIND_ACTION);
            List<AnalyticsEvent> people = results.of("actor", AnalyticsEvent.KIND_PERSON);

            System.out.println("pose action model on a generated person: " + windows.stream()
                    .map(e -> e.label + " (" + e.people + ")").toList() + "; person tracks " + people.stream()
                    .map(p -> p.trackId + ":" + p.label).toList());
            assertThat(windows).hasSize(19); // 2 s windows, one a second, over 20 s
            assertThat(windows).allSatisfy(e -> {
                assertThat("bundled:" + e.modelName).isEqualTo(MODEL);
                assertThat(e.people).isNotNull();
            });
            // the person is found in nearly every window and keeps one track id throughout
            assertThat(windows.stream().filter(e -> e.people == 1).count()).isGreaterThanOrEqualTo(17);
            assertThat(people).allSatisfy(p -> {
                assertThat(p.box).hasSize(4);
                assertThat(p.box[0]).isLessThan(p.box[2]);
                assertThat(p.box[1]).isLessThan(p.box[3]);
            });
            Map<Integer, Long> tracks = people.stream().collect(Collectors.groupingBy(p -> p.trackId,
                    Collectors.counting()));
            assertThat(tracks.values().stream().mapToLong(Long::longValue).max().orElse(0))
                    .as("windows of the longest track, of %s", tracks).isGreaterThanOrEqualTo(12);

            Map<String, List<String>> byPhase = new TreeMap<>();
            long correct = 0;
            long inside = 0;
            for (AnalyticsEvent e : windows) {
                SyntheticClip.Phase p = Fixtures.phaseOf(script, e, Fixtures.BASE);
                if (p != null) {
                    byPhase.computeIfAbsent(p.action().label(), k -> new ArrayList<>()).add(e.label);
                    inside++;
                    correct += p.action().label().equals(e.label) ? 1 : 0;
                }
            }
            System.out.println("pose action model: labels per scripted phase: " + byPhase + "; tracks " + tracks);
            assertThat(inside).isEqualTo(15);
            assertThat(byPhase).allSatisfy((truth, labels) -> assertThat(majority(labels))
                    .as("most windows inside the %s phase", truth).isEqualTo(truth));
            assertThat((double) correct / inside).as("windows labelled with their phase's action")
                    .isGreaterThanOrEqualTo(0.8);
        }
    }

    @Test
    void pedestriansInRealFootageAreFollowedAndWalk() throws Exception {
        // vtest.avi from OpenCV's samples (Apache-2.0/BSD-3-Clause), 44-52 s: people walking, seen from above;
        // the model trained on tracks of its first 40 s and was validated on 40-60 s, never tested on it
        Path clip = Path.of(PeopleRecognitionIT.class.getResource("/footage/vtest-44-52.mp4").toURI());
        assertThat(Files.size(clip)).isGreaterThan(0);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Fixtures.createTopics(kafka);
            Fixtures.replay(kafka, clip, "street", Fixtures.BASE);
            run(kafka);
            Fixtures.Results results = Fixtures.read(kafka);
            List<AnalyticsEvent> windows = results.of("street", AnalyticsEvent.KIND_ACTION);
            List<AnalyticsEvent> people = results.of("street", AnalyticsEvent.KIND_PERSON);

            assertThat(windows).hasSize(7);
            long walking = windows.stream().filter(e -> e.label.equals("walking")).count();
            System.out.println("pose action model on a street: " + windows.stream().map(e -> e.label + " ("
                    + e.people + " people)").toList());
            assertThat(walking).as("windows labelled walking").isGreaterThanOrEqualTo(6);
            assertThat(windows).allSatisfy(e -> assertThat(e.people).isGreaterThanOrEqualTo(1));
            // each person event belongs to a window, and a window's people are its person events
            Map<Long, Integer> perWindow = new HashMap<>();
            people.forEach(p -> perWindow.merge(p.windowStartMs, 1, Integer::sum));
            for (AnalyticsEvent w : windows) {
                assertThat(perWindow.getOrDefault(w.windowStartMs, 0)).isEqualTo(w.people);
            }
            // someone walking across is the same track in consecutive windows
            Map<Integer, Long> tracks = people.stream().collect(Collectors.groupingBy(p -> p.trackId,
                    Collectors.counting()));
            assertThat(tracks.values()).anySatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
        }
    }

    private static void run(EmbeddedKafka kafka) throws Exception {
        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(AudioOptions.ENABLED, false);
        conf.set(VideoOptions.ACTION_MODEL, MODEL);
        AnalyticsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig()), conf);
    }

    private static String majority(List<String> labels) {
        return labels.stream().collect(Collectors.groupingBy(l -> l, Collectors.counting())).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
