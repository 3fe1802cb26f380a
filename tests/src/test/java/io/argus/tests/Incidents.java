package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import io.argus.operators.incidents.CombinedRule;
import io.argus.operators.incidents.IncidentSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that incidents read from the incidents topic agree with the events of the same run, by the
 * rules docs/incidents.md gives: every incident written once open and once closed under one id;
 * each closed incident made of the windows of its label (score at least the threshold) that end
 * inside it, at least the minimum duration long, with their count and peak score; no two incidents of
 * one stream, kind and label overlapping; a combined incident for every pair a rule joins.
 */
final class Incidents {

    private Incidents() {}

    static void assertConsistentWithEvents(List<Incident> incidents, List<AnalyticsEvent> events,
            IncidentSettings settings) {
        Map<String, List<Incident>> byId = new LinkedHashMap<>();
        incidents.forEach(i -> byId.computeIfAbsent(i.incidentId, k -> new ArrayList<>()).add(i));
        byId.forEach((id, records) -> {
            assertThat(records).as("records of incident " + id).extracting(i -> i.status)
                    .containsExactly(Incident.STATUS_OPEN, Incident.STATUS_CLOSED);
            assertThat(records.get(1).startMs).as(id + " starts where it opened").isEqualTo(records.get(0).startMs);
            assertThat(records.get(1).endMs).as(id + " ends after it opened").isGreaterThanOrEqualTo(records.get(0).endMs);
        });
        List<Incident> closed = incidents.stream().filter(i -> !i.isOpen()).toList();
        for (Incident i : closed) {
            if (i.kind.equals(Incident.KIND_COMBINED)) {
                continue;
            }
            List<AnalyticsEvent> windows = events.stream()
                    .filter(e -> e.streamId.equals(i.streamId) && e.kind.equals(i.kind) && e.label.equals(i.label)
                            && e.score >= settings.minScore(e.label)
                            && e.windowEndMs > i.startMs && e.windowEndMs <= i.endMs)
                    .toList();
            assertThat(windows).as("windows of " + i).hasSize(i.windows);
            assertThat(i.endMs - i.startMs).as("span of " + i).isGreaterThanOrEqualTo(settings.minDurationMs());
            assertThat(windows.stream().mapToLong(e -> e.windowEndMs).max().orElse(0)).as("last window of " + i)
                    .isEqualTo(i.endMs);
            assertThat(windows.stream().map(e -> e.score).max(Float::compare).orElseThrow()).as("peak of " + i)
                    .isEqualTo(i.peakScore);
            assertThat(settings.ignores(i.label)).as("a background label: " + i).isFalse();
            if (i.alongsideShares != null && i.alongsideShares.length > 0) {
                double sum = 0;
                for (float share : i.alongsideShares) {
                    sum += share;
                }
                assertThat(sum).as("shares of the other modality over " + i).isCloseTo(1.0, within(1e-4));
            }
            for (Incident other : closed) {
                if (other != i && other.streamId.equals(i.streamId) && other.kind.equals(i.kind)
                        && other.label.equals(i.label)) {
                    assertThat(other.startMs >= i.endMs || other.endMs <= i.startMs)
                            .as(i + " overlaps " + other).isTrue();
                }
            }
        }
        for (CombinedRule rule : settings.rules()) {
            for (Incident a : closed) {
                for (Incident b : closed) {
                    if (a.label.equals(rule.first()) && b.label.equals(rule.second()) && a.streamId.equals(b.streamId)
                            && Math.max(a.startMs, b.startMs) - Math.min(a.endMs, b.endMs) <= rule.toleranceMs()) {
                        assertThat(closed).as(rule.name() + " of " + a + " and " + b).anyMatch(c ->
                                c.kind.equals(Incident.KIND_COMBINED) && List.of(c.components).contains(a.incidentId)
                                        && List.of(c.components).contains(b.incidentId));
                    }
                }
            }
        }
    }
}
