package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.VideoOptions;
import io.argus.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The learned audio classifier end to end: a recording of known consecutive segments (speech,
 * music, silence, an alarm, noise; 4 s each, from held-out packages) is written as 44.1 kHz
 * stereo FLAC, replayed through Kafka as PCM chunks, resampled to 16 kHz and turned into log-mel
 * windows by the job, and classified by the bundled model; the labels must follow the segments.
 */
class AudioRecognitionIT {

    private static final List<String> SEGMENTS = List.of("speech", "music", "silence", "alarm", "noise");
    private static final int SEGMENT_SECONDS = 4;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void labelsFollowTheSegments(@TempDir Path dir) throws Exception {
        float[] track = new float[SEGMENTS.size() * SEGMENT_SECONDS * HeldOutAudio.RATE];
        for (int s = 0; s < SEGMENTS.size(); s++) {
            float[] clips = HeldOutAudio.of(SEGMENTS.get(s));
            for (int k = 0; k < SEGMENT_SECONDS; k++) {
                System.arraycopy(HeldOutAudio.clip(clips, k), 0, track, (s * SEGMENT_SECONDS + k) * HeldOutAudio.RATE,
                        HeldOutAudio.RATE);
            }
        }
        Path recording = dir.resolve("segments.flac");
        HeldOutAudio.writeFlac(recording, track);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Fixtures.createTopics(kafka);
            Fixtures.replay(kafka, recording, "mic", Fixtures.BASE);
            Configuration conf = Fixtures.jobConfig(kafka);
            conf.set(VideoOptions.ENABLED, false);
            AnalyticsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig()), conf);

            List<AnalyticsEvent> events = Fixtures.read(kafka).of("mic", AnalyticsEvent.KIND_AUDIO);
            // 1 s windows every 0.5 s over 20 s
            assertThat(events).hasSize(39);
            assertThat(events).allSatisfy(e -> assertThat(e.modelName + "@" + e.modelVersion)
                    .isEqualTo("audio-cnn@1.0.0"));
            Map<String, List<String>> bySegment = new TreeMap<>();
            int inside = 0;
            int correct = 0;
            for (AnalyticsEvent e : events) {
                long from = e.windowStartMs - Fixtures.BASE;
                int segment = (int) (from / (SEGMENT_SECONDS * 1000L));
                if (segment < SEGMENTS.size() && e.windowEndMs - Fixtures.BASE <= (segment + 1) * SEGMENT_SECONDS * 1000L) {
                    String truth = SEGMENTS.get(segment);
                    bySegment.computeIfAbsent(truth, k -> new ArrayList<>()).add(e.label);
                    inside++;
                    correct += truth.equals(e.label) ? 1 : 0;
                }
            }
            System.out.println("audio labels per segment: " + bySegment);
            assertThat(inside).isEqualTo(35); // seven windows inside each 4 s segment
            assertThat(bySegment).allSatisfy((truth, labels) -> assertThat(majority(labels))
                    .as("most windows inside the %s segment: %s", truth, labels).isEqualTo(truth));
            assertThat((double) correct / inside).as("windows labelled with their segment's class")
                    .isGreaterThanOrEqualTo(0.8);
        }
    }

    private static String majority(List<String> labels) {
        return labels.stream().collect(Collectors.groupingBy(l -> l, Collectors.counting())).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
