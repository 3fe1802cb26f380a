package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The learned action classifier end to end: a clip in which a figure performs each action for 4 s
 * is encoded with H.264, replayed through Kafka, decoded by FFmpeg in the job and classified by each
 * bundled action model on the PyTorch engine; the labels must follow the clip's script.
 */
class ActionRecognitionIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @ParameterizedTest
    @ValueSource(strings = {"bundled:action-cnn-lstm"})
    void labelsFollowTheScriptedActions(String model, @TempDir Path dir) throws Exception {
        List<SyntheticClip.Phase> script = SyntheticClip.DEMO_SCRIPT;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Fixtures.createTopics(kafka);
            Fixtures.replay(kafka, Fixtures.stickFigureClip(dir, script), "actor", Fixtures.BASE);
            Configuration conf = Fixtures.jobConfig(kafka);
            conf.set(AudioOptions.ENABLED, false);
            conf.set(VideoOptions.ACTION_MODEL, model);
            AnalyticsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig()), conf);

            List<AnalyticsEvent> events = Fixtures.read(kafka).of("actor", AnalyticsEvent.KIND_ACTION);
            assertThat(events).hasSize(19);
            assertThat(events).allSatisfy(e -> assertThat("bundled:" + e.modelName).isEqualTo(model));

            Map<String, List<String>> byPhase = new TreeMap<>();
            long correct = 0;
            long inside = 0;
            for (AnalyticsEvent e : events) {
                SyntheticClip.Phase p = Fixtures.phaseOf(script, e, Fixtures.BASE);
                if (p != null) {
                    String truth = p.action().label();
                    byPhase.computeIfAbsent(truth, k -> new java.util.ArrayList<>()).add(e.label);
                    inside++;
                    correct += truth.equals(e.label) ? 1 : 0;
                }
            }
            System.out.println(model + ": action labels per scripted phase: " + byPhase);
            assertThat(inside).isEqualTo(15); // three windows inside each 4 s phase
            assertThat(byPhase).allSatisfy((truth, labels) -> assertThat(majority(labels))
                    .as("most windows inside the %s phase", truth).isEqualTo(truth));
            assertThat((double) correct / inside).as("windows labelled with their phase's action")
                    .isGreaterThanOrEqualTo(0.8);
        }
    }

    private static String majority(List<String> labels) {
        return labels.stream().collect(Collectors.groupingBy(l -> l, Collectors.counting())).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
