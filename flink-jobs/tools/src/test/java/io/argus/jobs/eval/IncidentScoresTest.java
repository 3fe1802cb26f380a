package io.argus.jobs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.connectors.incidents.Incident;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Incidents matched to the ground truth's segments with a start and end tolerance. */
class IncidentScoresTest {

    private static final long BASE = 1_000_000;

    private static final GroundTruth TRUTH = truth();

    private static GroundTruth truth() {
        try {
            return GroundTruth.parse(List.of(
                    "stream,kind,start,end,label",
                    "cam,action,0,4,idle",
                    "cam,action,4,8,running",
                    "cam,action,8,10,running", // touches the one before: one segment of 4-10 s
                    "cam,action,10,14,walking",
                    "cam,action,14,20,running",
                    "cam,audio,0,20,alarm",
                    "other,action,0,10,running"), "labels.csv");
        } catch (GroundTruth.InvalidGroundTruthException e) {
            throw new AssertionError(e);
        }
    }

    private static Incident incident(String stream, String kind, String label, double start, double end,
            String status) {
        Incident i = new Incident();
        i.streamId = stream;
        i.kind = kind;
        i.label = label;
        i.startMs = BASE + Math.round(start * 1000);
        i.endMs = BASE + Math.round(end * 1000);
        i.status = status;
        return i;
    }

    private static Incident closed(String label, double start, double end) {
        return incident("cam", "action", label, start, end, Incident.STATUS_CLOSED);
    }

    @Test
    void incidentsWithinTheToleranceOfASegmentOfTheirLabelMatchItOnce() {
        List<Incident> incidents = List.of(
                closed("running", 3, 11.5), // 4-10 s, start 1 s early, end 1.5 s late
                closed("running", 4.5, 9), // a second incident for the same segment: a false positive
                closed("running", 16.5, 20), // 14-20 s, but starts 2.5 s late
                closed("walking", 9, 14),
                incident("cam", "action", "walking", 9, 14, Incident.STATUS_OPEN), // the open record: not scored
                closed("idle", 0, 4), // an ignored label
                incident("cam", Incident.KIND_COMBINED, "running+alarm", 3, 11.5, Incident.STATUS_CLOSED),
                incident("unlabelled", "action", "running", 0, 10, Incident.STATUS_CLOSED),
                incident("other", "action", "running", 0.5, 10.5, Incident.STATUS_CLOSED));

        IncidentScores s = IncidentScores.of(TRUTH, "action", incidents, BASE, 2000, Set.of("idle"),
                List.of("cam", "other", "unlabelled"));

        assertThat(s.perLabel()).containsOnlyKeys("running", "walking");
        // running: cam 4-10 matched, cam 14-20 missed, other 0-10 matched; one extra incident on cam
        assertThat(s.perLabel().get("running")).isEqualTo(new IncidentScores.Counts(2, 2, 1));
        assertThat(s.perLabel().get("running").precision()).isEqualTo(0.5);
        assertThat(s.perLabel().get("running").recall()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(s.perLabel().get("running").f1()).isCloseTo(2 * 0.5 * (2 / 3.0) / (0.5 + 2 / 3.0), within(1e-9));
        assertThat(s.perLabel().get("walking")).isEqualTo(new IncidentScores.Counts(1, 0, 0));
        assertThat(s.total()).isEqualTo(new IncidentScores.Counts(3, 2, 1));

        IncidentScores wider = IncidentScores.of(TRUTH, "action", incidents, BASE, 3000, Set.of("idle"),
                List.of("cam", "other"));
        assertThat(wider.perLabel().get("running")).as("16.5-20 is within 3 s of 14-20").isEqualTo(
                new IncidentScores.Counts(3, 1, 0));
    }

    @Test
    void segmentsOfStreamsNotReplayedAreNotMissedAndTheClosestPairWins() {
        // two incidents near one segment: the closer one matches, whatever their order
        List<Incident> incidents = List.of(closed("running", 5.5, 10), closed("running", 4.2, 10.1));
        IncidentScores s = IncidentScores.of(TRUTH, "action", incidents, BASE, 2000, Set.of(), List.of("cam"));
        assertThat(s.perLabel().get("running")).isEqualTo(new IncidentScores.Counts(1, 1, 1));
        assertThat(s.perLabel().get("idle")).as("not ignored here: a missed segment").isEqualTo(
                new IncidentScores.Counts(0, 0, 1));
        assertThat(IncidentScores.matches(
                List.of(new IncidentScores.Segment("cam", "running", 4000, 10_000)),
                List.of(new IncidentScores.Segment("cam", "running", 5500, 10_000),
                        new IncidentScores.Segment("cam", "running", 4200, 10_100)), 2000)).isEqualTo(1);
        assertThat(IncidentScores.of(TRUTH, "audio", List.of(incident("cam", "audio", "alarm", 0, 19, "closed")),
                BASE, 2000, Set.of(), List.of("cam")).perLabel()).containsEntry("alarm", new IncidentScores.Counts(1, 0, 0));
    }
}
