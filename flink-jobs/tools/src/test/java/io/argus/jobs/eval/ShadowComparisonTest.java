package io.argus.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowComparisonTest {

    private static AnalyticsEvent shadow(String stream, long start, String label, float score, String serving,
            Float servingScore) {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = stream;
        e.kind = AnalyticsEvent.KIND_AUDIO;
        e.label = label;
        e.score = score;
        e.windowStartMs = start;
        e.windowEndMs = start + 1000;
        e.modelName = "audio-cnn";
        e.modelVersion = "2.0.0";
        e.shadow = true;
        e.servingLabel = serving;
        e.servingScore = servingScore;
        e.servingVersion = serving == null ? null : "1.0.0";
        return e;
    }

    @Test
    void agreementPerClassAndStreamConfusionAndScoreShiftAreCountedOverTheTimeRange() {
        ShadowComparison c = new ShadowComparison("audio-cnn", "2.0.0", 1000, 9000);
        assertThat(c.add(shadow("mic-1", 1000, "speech", 0.9f, "speech", 0.8f))).isTrue();
        c.add(shadow("mic-1", 2000, "speech", 0.7f, "music", 0.6f));
        c.add(shadow("mic-2", 3000, "music", 0.8f, "music", 0.9f));
        c.add(shadow("mic-2", 4000, "alarm", 0.5f, "alarm", 0.5f));
        c.add(shadow("mic-2", 5000, "alarm", 0.5f, null, null)); // serving gave this window no event
        assertThat(c.add(shadow("mic-1", 500, "speech", 0.9f, "music", 0.9f))).as("before --from").isFalse();
        assertThat(c.add(shadow("mic-1", 9000, "speech", 0.9f, "music", 0.9f))).as("at --to").isFalse();
        AnalyticsEvent otherVersion = shadow("mic-1", 2000, "noise", 0.9f, "music", 0.9f);
        otherVersion.modelVersion = "3.0.0";
        assertThat(c.add(otherVersion)).isFalse();
        AnalyticsEvent serving = shadow("mic-1", 2000, "noise", 0.9f, null, null);
        serving.shadow = null;
        assertThat(c.add(serving)).isFalse();

        assertThat(c.overall()).isEqualTo(new ShadowComparison.Agreement(4, 3));
        assertThat(c.overall().share()).isEqualTo(0.75);
        assertThat(c.unpaired()).isEqualTo(1);
        assertThat(c.perClass()).containsExactly(Map.entry("alarm", new ShadowComparison.Agreement(1, 1)),
                Map.entry("music", new ShadowComparison.Agreement(2, 1)),
                Map.entry("speech", new ShadowComparison.Agreement(1, 1)));
        assertThat(c.perStream()).containsExactly(Map.entry("mic-1", new ShadowComparison.Agreement(2, 1)),
                Map.entry("mic-2", new ShadowComparison.Agreement(2, 2)));
        assertThat(c.confusion()).isEqualTo(Map.of("alarm", Map.of("alarm", 1), "music", Map.of("music", 1,
                "speech", 1), "speech", Map.of("speech", 1)));
        // (0.1 + 0.1 - 0.1 + 0) / 4
        assertThat(c.meanScoreShift()).isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-6));

        assertThat(c.shortOf(0.75, 4)).isNull();
        assertThat(c.shortOf(0.75, 5)).isEqualTo("audio-cnn@2.0.0 was compared with serving on 4 windows, fewer "
                + "than --min-windows 5");
        assertThat(c.shortOf(0.8, 4)).isEqualTo("audio-cnn@2.0.0 agreed with serving on 75.0% of 4 windows, below "
                + "--if-agreement 80.0%; per class: alarm 1/1 (100.0%), music 1/2 (50.0%), speech 1/1 (100.0%)");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "audio-cnn: shadow 2.0.0 against serving 1.0.0, 4 windows compared (1 shadow windows had no serving "
                        + "event)",
                "agreement  75.0% (3 of 4); mean top-score shift +0.025",
                "    music          50.0%  1 of 2",
                "    mic-2                     100.0%  2 of 2",
                "    music                0         1         1");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("ground truth");
    }

    @Test
    void groundTruthForPartOfTheTrafficScoresBothVersionsOnTheWindowsItLabels() throws Exception {
        GroundTruth truth = GroundTruth.parse(java.util.List.of("stream,kind,start,end,label", "mic-1,audio,0,3,music"),
                "labels.csv"); // seconds from the origin, 10 s in
        ShadowComparison c = new ShadowComparison("audio-cnn", "2.0.0", Long.MIN_VALUE, Long.MAX_VALUE)
                .withTruth(truth, 10_000);
        c.add(shadow("mic-1", 10_000, "music", 0.9f, "speech", 0.8f)); // shadow right, serving wrong
        c.add(shadow("mic-1", 11_000, "music", 0.9f, "music", 0.8f)); // both right
        c.add(shadow("mic-1", 12_500, "music", 0.9f, "music", 0.8f)); // straddles the labelled end: not scored
        c.add(shadow("mic-2", 10_000, "speech", 0.9f, "music", 0.8f)); // another stream, unlabelled
        assertThat(c.overall().windows()).isEqualTo(4);
        assertThat(c.servingAccuracy()).isEqualTo(new ShadowComparison.Agreement(2, 1));
        assertThat(c.shadowAccuracy()).isEqualTo(new ShadowComparison.Agreement(2, 2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "  ground truth on 2 of these windows: accuracy serving 50.0% (1), shadow 100.0% (2)");
    }
}
