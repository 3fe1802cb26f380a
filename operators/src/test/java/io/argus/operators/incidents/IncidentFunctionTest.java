package io.argus.operators.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import io.argus.connectors.incidents.IncidentFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The incident stage in Flink's keyed harness: event time, a snapshot mid-incident, released streams. */
class IncidentFunctionTest {

    private static final Duration IDLE_RELEASE = Duration.ofMinutes(5);

    private static KeyedOneInputStreamOperatorTestHarness<String, AnalyticsEvent, Incident> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IncidentFunction(IncidentSettings.builder().build(), IDLE_RELEASE)),
                (AnalyticsEvent e) -> e.streamId, Types.STRING);
    }

    /**
     * The scene as two modalities arrive from two classify operators: each in its own order, the
     * audio a few windows behind the video, and the watermark after both.
     */
    private static List<Object> arrivals() {
        List<AnalyticsEvent> video = Scenes.demo().stream().filter(e -> !e.kind.equals("audio")).toList();
        List<AnalyticsEvent> audio = Scenes.demo().stream().filter(e -> e.kind.equals("audio")).toList();
        List<Object> arrivals = new ArrayList<>();
        int a = 0;
        for (long t = 1000; t <= 20_000; t += 1000) {
            for (AnalyticsEvent e : video) {
                if (e.windowEndMs == t) {
                    arrivals.add(e);
                }
            }
            while (a < audio.size() && audio.get(a).windowEndMs <= t - 1500) {
                arrivals.add(audio.get(a++));
            }
            arrivals.add(t - 2000); // a watermark
        }
        arrivals.addAll(audio.subList(a, audio.size()));
        return arrivals;
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, AnalyticsEvent, Incident> h,
            List<Object> arrivals) throws Exception {
        for (Object o : arrivals) {
            if (o instanceof AnalyticsEvent e) {
                h.processElement(e, e.windowEndMs);
            } else {
                h.processWatermark((Long) o);
            }
        }
    }

    private static List<String> json(List<Incident> incidents) {
        return incidents.stream().map(i -> new String(IncidentFormat.toJson(i), StandardCharsets.UTF_8)).toList();
    }

    private static List<Incident> undisturbed() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, arrivals());
            h.processWatermark(Long.MAX_VALUE);
            return h.extractOutputValues();
        }
    }

    @Test
    void eventsOfBothModalitiesGiveTheIncidentsOfTheirWindowOrder() throws Exception {
        List<Incident> out = undisturbed();
        // the same as the tracker fed every window in order, though the audio arrived seconds late
        IncidentTracker tracker = new IncidentTracker(IncidentSettings.builder().build());
        IncidentState st = new IncidentState();
        List<Incident> expected = new ArrayList<>();
        Scenes.demo().forEach(e -> tracker.accept(st, e, 0, expected::add)); // the harness's clock stands at 0
        tracker.closeAll(st, Incident.CLOSED_END_OF_INPUT, 0, expected::add);
        assertThat(json(out)).isEqualTo(json(expected));
        assertThat(out).filteredOn(i -> i.kind.equals(Incident.KIND_COMBINED)).hasSize(2);
        assertThat(out).filteredOn(i -> Incident.CLOSED_END_OF_INPUT.equals(i.closedBy))
                .extracting(i -> i.label).containsExactlyInAnyOrder("jumping", "noise");
    }

    @Test
    void aRunRestoredFromASnapshotInTheMiddleOfAnIncidentWritesWhatTheUndisturbedOneWrote() throws Exception {
        List<Object> arrivals = arrivals();
        // cut where running and the alarm are open and later windows of both are still held
        int cut = arrivals.indexOf(15_000L) + 1;
        OperatorSubtaskState snapshot;
        List<Incident> before;
        try (var h = harness()) {
            h.open();
            feed(h, arrivals.subList(0, cut));
            snapshot = h.snapshot(1, 1);
            before = new ArrayList<>(h.extractOutputValues());
        }
        assertThat(before).anyMatch(i -> i.isOpen() && i.label.equals("running"))
                .noneMatch(i -> i.label.equals("running") && !i.isOpen());
        List<Incident> after;
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            feed(h, arrivals.subList(cut, arrivals.size()));
            h.processWatermark(Long.MAX_VALUE);
            after = h.extractOutputValues();
        }
        List<Incident> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(json(all)).isEqualTo(json(undisturbed()));
    }

    @Test
    void aStreamThatGoesQuietIsReleasedWithItsIncidentsClosedAndItsStateDropped() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1000);
            for (long s = 0; s < 5000; s += 500) {
                AnalyticsEvent e = Scenes.audio("alarm", s, s + 1000, 0.9f);
                h.processElement(e, e.windowEndMs);
            }
            h.processWatermark(5000);
            assertThat(h.extractOutputValues()).extracting(i -> i.status).containsExactly("open");
            assertThat(h.numKeyedStateEntries()).isPositive();

            h.setProcessingTime(1000 + IDLE_RELEASE.toMillis());
            assertThat(h.extractOutputValues()).extracting(i -> i.status + " " + i.closedBy + " " + i.endMs)
                    .containsExactly("open null 3000", "closed released 5500");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void anIncidentWhoseModalityFallsSilentClosesOnceTheWatermarkPassesTheGap() throws Exception {
        try (var h = harness()) {
            h.open();
            for (long s = 0; s < 4000; s += 500) {
                AnalyticsEvent e = Scenes.audio("alarm", s, s + 1000, 0.9f);
                h.processElement(e, e.windowEndMs);
            }
            h.processWatermark(10_000); // another stream's media moves time on
            assertThat(h.extractOutputValues()).extracting(i -> i.status).containsExactly("open");
            h.processWatermark(4500 + 5000 + 1000 + 1);
            assertThat(h.extractOutputValues()).extracting(i -> i.status + " " + i.closedBy + " " + i.endMs)
                    .containsExactly("open null 3000", "closed gap 4500");
        }
    }

    @Test
    void eventsArrivingAfterTheEndOfInputAreClosedWhenTheStreamIsReleased() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1000);
            h.processWatermark(Long.MAX_VALUE);
            for (long s = 0; s < 4000; s += 500) {
                AnalyticsEvent e = Scenes.audio("alarm", s, s + 1000, 0.9f);
                h.processElement(e, e.windowEndMs);
            }
            assertThat(h.extractOutputValues()).extracting(i -> i.status).containsExactly("open");
            h.setProcessingTime(1000 + IDLE_RELEASE.toMillis());
            assertThat(h.extractOutputValues()).extracting(i -> i.status + " " + i.closedBy + " " + i.endMs)
                    .containsExactly("open null 3000", "closed released 4500");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void itsStateIsSerialisedByFlinkNotKryo() {
        TypeInformation<IncidentState> type = TypeInformation.of(IncidentState.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<IncidentState> pojo = (PojoTypeInfo<IncidentState>) type;
        for (int f = 0; f < pojo.getArity(); f++) {
            assertThat(pojo.getTypeAt(f)).as(pojo.getPojoFieldAt(f).getField().getName()).isNotInstanceOf(GenericTypeInfo.class);
        }
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        assertThat(type.createSerializer(noKryo)).isNotNull(); // throws for a type that needs Kryo
        assertThat(TypeInformation.of(Incident.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
