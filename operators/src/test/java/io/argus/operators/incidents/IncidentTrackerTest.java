package io.argus.operators.incidents;

import static io.argus.operators.incidents.Scenes.action;
import static io.argus.operators.incidents.Scenes.audio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The incident rules on known sequences of windows, without Flink. */
class IncidentTrackerTest {

    private static List<Incident> run(IncidentSettings settings, List<AnalyticsEvent> events) {
        IncidentTracker tracker = new IncidentTracker(settings);
        IncidentState st = new IncidentState();
        List<Incident> out = new ArrayList<>();
        for (AnalyticsEvent e : events) {
            tracker.accept(st, e, 7, out::add);
        }
        tracker.closeAll(st, Incident.CLOSED_END_OF_INPUT, 9, out::add);
        return out;
    }

    private static Incident find(List<Incident> out, String status, String label) {
        return out.stream().filter(i -> i.status.equals(status) && i.label.equals(label)).findFirst().orElseThrow(
                () -> new AssertionError("no " + status + " incident " + label + " in " + out));
    }

    /** Audio windows of 1 s every 0.5 s, labelled by a function of their start. */
    private static List<AnalyticsEvent> audioWindows(long fromMs, long toMs, java.util.function.LongFunction<String> label,
            float score) {
        List<AnalyticsEvent> events = new ArrayList<>();
        for (long s = fromMs; s + 1000 <= toMs; s += 500) {
            events.add(audio(label.apply(s), s, s + 1000, score));
        }
        return events;
    }

    @Test
    void theDemoSceneGivesOneIncidentPerPhaseWithItsSpanScoresModelsAndPeople() {
        List<Incident> out = run(IncidentSettings.builder().rules(List.of()).build(), Scenes.demo());

        assertThat(out.stream().filter(Incident::isOpen).map(i -> i.kind + ":" + i.label)).containsExactly(
                "action:walking", "audio:speech", "action:waving", "audio:music", "action:running", "audio:alarm",
                "action:jumping", "audio:noise");
        Incident running = find(out, Incident.STATUS_CLOSED, "running");
        assertThat(running.incidentId).isEqualTo("cam-1/action/running/11000");
        assertThat(running.startMs).isEqualTo(11_000);
        assertThat(running.endMs).isEqualTo(16_000);
        assertThat(running.windows).isEqualTo(4);
        assertThat(running.peakScore).isEqualTo(0.94f);
        assertThat(running.meanScore).isCloseTo((0.91f + 0.92f + 0.93f + 0.94f) / 4, within(1e-6f));
        assertThat(running.closedBy).isEqualTo(Incident.CLOSED_ENDED);
        assertThat(running.modelNames).containsExactly("pose-action-lstm");
        assertThat(running.modelVersions).containsExactly("1.0.0");
        assertThat(running.tracks).containsExactly(0, 1);
        // audio windows over [11, 16) s: 2 of music, 8 of the alarm, 1 of noise
        assertThat(running.alongsideKind).isEqualTo("audio");
        assertThat(running.alongsideLabels).containsExactly("alarm", "music", "noise");
        assertThat(running.alongsideShares[0]).isCloseTo(8 / 11f, within(1e-6f));
        assertThat(running.alongsidePeaks[0]).isEqualTo(0.7f + 0.005f * 30);
        Incident openRunning = find(out, Incident.STATUS_OPEN, "running");
        assertThat(openRunning.incidentId).isEqualTo(running.incidentId);
        assertThat(openRunning.endMs).as("open once it held 3 s").isEqualTo(14_000);
        assertThat(openRunning.closedBy).isNull();

        Incident alarm = find(out, Incident.STATUS_CLOSED, "alarm");
        assertThat(alarm.startMs).isEqualTo(11_500);
        assertThat(alarm.endMs).isEqualTo(16_000);
        assertThat(alarm.windows).isEqualTo(8);
        assertThat(alarm.tracks).isNull();
        assertThat(alarm.alongsideLabels).contains("running");

        Incident jumping = find(out, Incident.STATUS_CLOSED, "jumping");
        assertThat(jumping.startMs).as("labels of one modality may overlap as windows do").isEqualTo(15_000);
        assertThat(jumping.endMs).isEqualTo(20_000);
        assertThat(jumping.closedBy).isEqualTo(Incident.CLOSED_END_OF_INPUT);
        assertThat(out).noneMatch(i -> i.label.equals("idle") || i.label.equals("silence"));
        assertThat(out).filteredOn(Incident::isOpen).hasSize(8);
        assertThat(out).filteredOn(i -> !i.isOpen()).hasSize(8);
    }

    @Test
    void aRuleJoinsRunningAndTheAlarmIntoACombinedIncident() {
        List<Incident> out = run(IncidentSettings.builder().build(), Scenes.demo()); // default rule: running+alarm within 2s

        List<Incident> combined = out.stream().filter(i -> i.kind.equals(Incident.KIND_COMBINED)).toList();
        assertThat(combined).extracting(i -> i.status).containsExactly("open", "closed");
        Incident closed = combined.get(1);
        assertThat(closed.label).isEqualTo("running+alarm");
        assertThat(closed.incidentId).isEqualTo("cam-1/combined/running+alarm/11000").isEqualTo(combined.get(0).incidentId);
        assertThat(closed.components).containsExactly("cam-1/action/running/11000", "cam-1/audio/alarm/11500");
        assertThat(closed.startMs).isEqualTo(11_000);
        assertThat(closed.endMs).isEqualTo(16_000);
        assertThat(closed.windows).isEqualTo(12);
        assertThat(closed.modelNames).containsExactly("pose-action-lstm", "audio-cnn");
        assertThat(closed.closedBy).isEqualTo(Incident.CLOSED_ENDED);
        // written after both of its parts closed
        assertThat(out.indexOf(closed)).isGreaterThan(out.indexOf(find(out, "closed", "alarm")));
    }

    @Test
    void partnersFurtherApartThanTheToleranceAreNotJoined() {
        List<AnalyticsEvent> events = new ArrayList<>();
        events.addAll(List.of(action("running", 0, 2000, 0.9f), action("running", 1000, 3000, 0.9f),
                action("idle", 2000, 4000, 0.9f), action("idle", 3000, 5000, 0.9f)));
        events.addAll(audioWindows(5000, 10_000, s -> "alarm", 0.9f)); // alarm from 5 s: 2 s after running
        events.sort(IncidentFunction.WINDOW_ORDER);
        var rules = CombinedRule.parseList("running+alarm within 1s");
        assertThat(run(IncidentSettings.builder().rules(rules).build(), events))
                .noneMatch(i -> i.kind.equals(Incident.KIND_COMBINED));
        var wider = CombinedRule.parseList("running+alarm within 2s");
        assertThat(run(IncidentSettings.builder().rules(wider).build(), events))
                .anyMatch(i -> i.kind.equals(Incident.KIND_COMBINED) && i.startMs == 0 && i.endMs == 10_000);
    }

    @Test
    void aRunShorterThanTheMinimumDurationMakesNoIncident() {
        // alarm in windows starting 2.0-3.0 s: 2 s of alarm, the minimum is 3 s
        List<AnalyticsEvent> events = audioWindows(0, 8000, s -> s >= 2000 && s <= 3000 ? "alarm" : "silence", 0.9f);
        assertThat(run(IncidentSettings.builder().build(), events)).isEmpty();
        List<Incident> shorter = run(IncidentSettings.builder().minDuration(Duration.ofSeconds(2)).build(), events);
        assertThat(shorter).extracting(i -> i.status + " " + i.startMs + "-" + i.endMs)
                .containsExactly("open 2000-4000", "closed 2000-4000");
    }

    @Test
    void oneOddWindowDoesNotSplitAnIncidentButALongerBreakDoes() {
        // alarm 0-10 s, but the windows starting at 4.0 and 4.5 s say speech (1.5 s without alarm)
        List<AnalyticsEvent> odd = audioWindows(0, 10_000, s -> s == 4000 || s == 4500 ? "speech" : "alarm", 0.9f);
        assertThat(run(IncidentSettings.builder().build(), odd)).filteredOn(i -> !i.isOpen())
                .extracting(i -> i.startMs + "-" + i.endMs).containsExactly("0-10000");
        // speech from 4.0 to 6.0 s: the alarm's last window ends at 4.5 s, and speech ends 2 s later
        List<AnalyticsEvent> longer = audioWindows(0, 10_000, s -> s >= 4000 && s <= 6000 ? "speech" : "alarm", 0.9f);
        assertThat(run(IncidentSettings.builder().build(), longer)).filteredOn(i -> !i.isOpen())
                .filteredOn(i -> i.label.equals("alarm"))
                .extracting(i -> i.startMs + "-" + i.endMs + " " + i.closedBy)
                .containsExactly("0-4500 ended", "6500-10000 end-of-input");
    }

    @Test
    void windowsBelowTheirLabelsThresholdDoNotCount() {
        List<AnalyticsEvent> events = audioWindows(0, 6000, s -> "alarm", 0.8f);
        assertThat(run(IncidentSettings.builder().build(), events)).hasSize(2);
        var strict = IncidentSettings.builder().labelMinScores(IncidentSettings.parseLabelScores("alarm=0.85")).build();
        assertThat(run(strict, events)).isEmpty();
        var ignored = IncidentSettings.builder().ignoredLabels(Set.of("alarm")).build();
        assertThat(run(ignored, events)).isEmpty();
    }

    @Test
    void aGapInTheModalityClosesTheIncidentAtItsLastWindow() {
        List<AnalyticsEvent> events = new ArrayList<>(audioWindows(0, 4000, s -> "alarm", 0.9f));
        events.addAll(audioWindows(20_000, 25_000, s -> "alarm", 0.9f));
        assertThat(run(IncidentSettings.builder().build(), events)).filteredOn(i -> !i.isOpen())
                .extracting(i -> i.startMs + "-" + i.endMs + " " + i.closedBy)
                .containsExactly("0-4000 gap", "20000-25000 end-of-input");

        IncidentTracker tracker = new IncidentTracker(IncidentSettings.builder().build());
        IncidentState st = new IncidentState();
        List<Incident> out = new ArrayList<>();
        audioWindows(0, 4000, s -> "alarm", 0.9f).forEach(e -> tracker.accept(st, e, 0, out::add));
        tracker.closeQuiet(st, 9_999, 0, out::add);
        assertThat(out).extracting(i -> i.status).containsExactly("open");
        tracker.closeQuiet(st, 4000 + 5000 + 1000 + 1, 0, out::add); // the max gap after a window that could start
        assertThat(out).extracting(i -> i.status + " " + i.closedBy).containsExactly("open null", "closed gap");
        assertThat(st.runs).isEmpty();
    }

    @Test
    void rulesAndLabelScoresAreReadOrRefusedWithTheEntryNamed() {
        assertThat(CombinedRule.parseList("running+alarm within 2s; walking + speech within 500ms\n# none\nnone"))
                .extracting(CombinedRule::toString)
                .containsExactly("running+alarm within 2000 ms", "walking+speech within 500 ms");
        assertThat(CombinedRule.parseList("waving+music")).extracting(CombinedRule::toleranceMs).containsExactly(0L);
        assertThatThrownBy(() -> CombinedRule.parseList("running and alarm"))
                .hasMessage("incident rule 'running and alarm' is not LABEL+LABEL [within N(s|ms)], e.g. running+alarm within 2s");
        assertThatThrownBy(() -> CombinedRule.parse("alarm+alarm")).hasMessageContaining("joins a label with itself");
        assertThat(IncidentSettings.parseLabelScores("running=0.7, alarm=0.9"))
                .isEqualTo(Map.of("running", 0.7, "alarm", 0.9));
        assertThatThrownBy(() -> IncidentSettings.parseLabelScores("running=high"))
                .hasMessage("label score 'running=high' is not LABEL=SCORE with a score in [0, 1], e.g. running=0.7");
        assertThatThrownBy(() -> IncidentSettings.builder().maxGap(Duration.ofSeconds(1)).build())
                .hasMessageContaining("incident-max-gap");
    }
}
