package io.argus.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.connectors.events.AnalyticsEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroundTruthTest {

    @Test
    void aValidFileReadsInAnyColumnOrderAndLabelsWholeWindowsOnly() throws Exception {
        GroundTruth truth = GroundTruth.parse(List.of(
                "# lobby, recorded 2026-11-02",
                "kind,stream,label,start,end",
                "",
                "action,lobby-cam,idle,0,4",
                "action,lobby-cam,walking,4,8.5",
                "audio,lobby-cam,speech,0,8.5"), "labels.csv");

        assertThat(truth.intervals()).hasSize(3);
        assertThat(truth.intervals().get(1)).isEqualTo(
                new GroundTruth.Interval(5, "lobby-cam", "action", 4000, 8500, "walking"));
        assertThat(truth.streams()).containsExactly("lobby-cam");
        assertThat(truth.labels("action")).containsExactly("idle", "walking");
        assertThat(truth.labelOf("lobby-cam", "action", 2000, 4000)).contains("idle");
        assertThat(truth.labelOf("lobby-cam", "action", 3000, 5000)).as("straddles 4 s").isEmpty();
        assertThat(truth.labelOf("lobby-cam", "action", 8000, 9000)).as("past the end").isEmpty();
        assertThat(truth.labelOf("other-cam", "action", 0, 1000)).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsLine() {
        assertThatThrownBy(() -> GroundTruth.parse(List.of(
                "stream,kind,start,end,label",
                "cam,action,0,4,idle",
                "cam,video,0,4,idle",
                "cam,action,5,5,walking",
                "cam,action,abc,6,walking",
                "bad id!,audio,0,1,speech",
                "cam,action,-1,2,idle",
                "cam,action,1,2",
                "cam,action,3,6,running",
                "cam,audio,0,2,"), "labels.csv"))
                .isInstanceOf(GroundTruth.InvalidGroundTruthException.class)
                .satisfies(e -> assertThat(((GroundTruth.InvalidGroundTruthException) e).problems()).containsExactly(
                        "labels.csv:3: kind 'video' is not one of [action, audio]",
                        "labels.csv:4: end 5 is not after start 5",
                        "labels.csv:5: start 'abc' is not a number of seconds",
                        "labels.csv:6: stream 'bad id!' is not a stream id (1-128 of A-Z a-z 0-9 . _ : @ / -)",
                        "labels.csv:7: start -1 is not a time >= 0 in seconds",
                        "labels.csv:8: 4 cells, expected 5",
                        "labels.csv:10: empty label",
                        "labels.csv:9: overlaps line 2 (cam, action, 3-4 s labelled twice)"));
        assertThatThrownBy(() -> GroundTruth.parse(List.of("stream,kind,begin,end,label"), "l.csv"))
                .hasMessageContaining("l.csv:1: unknown column 'begin'");
        assertThatThrownBy(() -> GroundTruth.parse(List.of("# nothing"), "l.csv")).hasMessageContaining("no header");
    }

    @Test
    void scoresCountWholeWindowsAndCoverageCountsLabelledTimeOnce() throws Exception {
        GroundTruth truth = GroundTruth.parse(List.of("stream,kind,start,end,label",
                "cam,action,0,4,idle", "cam,action,4,8,walking"), "t.csv");
        long base = 1_000_000;
        List<AnalyticsEvent> events = new ArrayList<>();
        // 2 s windows every second from 0 to 6 s: 0-2 1-3 2-4 inside idle, 3-5 straddles, 4-6 5-7 6-8 walking
        String[] said = {"idle", "idle", "walking", "walking", "walking", "idle", "walking"};
        for (int s = 0; s <= 6; s++) {
            events.add(event("cam", base + s * 1000L, base + s * 1000L + 2000, said[s]));
        }
        events.add(event("elsewhere", base, base + 2000, "idle"));

        Scores scores = Scores.of(truth, "action", events, base, List.of("idle", "walking", "running"),
                List.of("cam", "elsewhere"));

        assertThat(scores.scored()).isEqualTo(6);
        assertThat(scores.unscored()).isEqualTo(1);
        assertThat(scores.unknownStream()).isEqualTo(1);
        var m = scores.confusion();
        assertThat(m.count(0, 0)).as("idle as idle").isEqualTo(2);   // labels sorted: idle, running, walking
        assertThat(m.count(0, 2)).as("idle as walking").isEqualTo(1);
        assertThat(m.count(2, 2)).as("walking as walking").isEqualTo(2);
        assertThat(m.count(2, 0)).as("walking as idle").isEqualTo(1);
        assertThat(m.total()).isEqualTo(6);
        assertThat(scores.coverage()).isEqualTo(1.0); // windows span 0-8 s without a gap
        assertThat(Scores.of(truth, "action", events.subList(0, 2), base, List.of(), List.of("cam")).coverage())
                .isEqualTo(3.0 / 8); // 0-3 s of 8
    }

    private static AnalyticsEvent event(String stream, long from, long to, String label) {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = stream;
        e.kind = AnalyticsEvent.KIND_ACTION;
        e.windowStartMs = from;
        e.windowEndMs = to;
        e.label = label;
        return e;
    }
}
