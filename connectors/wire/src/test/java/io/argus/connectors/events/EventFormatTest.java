package io.argus.connectors.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventFormatTest {

    static AnalyticsEvent sample() {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = "cam-1";
        e.kind = AnalyticsEvent.KIND_ACTION;
        e.label = "motion";
        e.score = 0.75f;
        e.topLabels = new String[] {"motion", "still"};
        e.topScores = new float[] {0.75f, 0.25f};
        e.windowStartMs = 1_700_000_000_000L;
        e.windowEndMs = 1_700_000_002_000L;
        e.modelName = "motion-energy";
        e.modelVersion = "signal-1";
        e.decodedAtMs = 1_700_000_000_410L;
        e.inferredAtMs = 1_700_000_000_412L;
        return e;
    }

    @Test
    void writesTheDocumentedJson() {
        String json = new String(EventFormat.toJson(sample()), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"schema\":1,\"streamId\":\"cam-1\",\"kind\":\"action\",\"label\":\"motion\","
                + "\"score\":0.75,\"topK\":[{\"label\":\"motion\",\"score\":0.75},{\"label\":\"still\",\"score\":0.25}],"
                + "\"window\":{\"start\":1700000000000,\"end\":1700000002000},"
                + "\"model\":{\"name\":\"motion-energy\",\"version\":\"signal-1\"},"
                + "\"processing\":{\"decodedAt\":1700000000410,\"inferredAt\":1700000000412}}");
    }

    @Test
    void readsWhatItWrites() {
        AnalyticsEvent back = EventFormat.fromJson(EventFormat.toJson(sample()));
        assertThat(back).usingRecursiveComparison().isEqualTo(sample());
    }

    @Test
    void aPersonEventCarriesItsTrackAndBoxAndReadsBack() {
        AnalyticsEvent e = sample();
        e.kind = AnalyticsEvent.KIND_PERSON;
        e.label = "walking";
        e.trackId = 7;
        e.box = new float[] {0.25f, 0.5f, 0.375f, 0.875f};
        String json = new String(EventFormat.toJson(e), StandardCharsets.UTF_8);
        assertThat(json).contains("\"kind\":\"person\"").endsWith(
                ",\"person\":{\"track\":7,\"box\":[0.25,0.5,0.375,0.875]}}").doesNotContain("people");
        assertThat(EventFormat.fromJson(EventFormat.toJson(e))).usingRecursiveComparison().isEqualTo(e);

        AnalyticsEvent window = sample();
        window.people = 2;
        assertThat(new String(EventFormat.toJson(window), StandardCharsets.UTF_8)).endsWith(",\"people\":2}")
                .doesNotContain("person\"");
        assertThat(EventFormat.fromJson(EventFormat.toJson(window)).people).isEqualTo(2);
    }

    @Test
    void aShadowEventIsMarkedAndCarriesTheServingDecisionBesideIt() {
        AnalyticsEvent e = sample();
        e.modelVersion = "2.0.0";
        e.shadow = true;
        e.servingLabel = "still";
        e.servingScore = 0.5f;
        e.servingVersion = "1.0.0";
        String json = new String(EventFormat.toJson(e), StandardCharsets.UTF_8);
        assertThat(json).endsWith(",\"shadow\":true,\"serving\":{\"label\":\"still\",\"score\":0.5,"
                + "\"version\":\"1.0.0\"}}");
        AnalyticsEvent back = EventFormat.fromJson(EventFormat.toJson(e));
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
        assertThat(back.isShadow()).isTrue();

        e.servingLabel = null; // the serving version gave the window no event
        e.servingScore = null;
        e.servingVersion = null;
        assertThat(new String(EventFormat.toJson(e), StandardCharsets.UTF_8)).endsWith(",\"shadow\":true}");
        assertThat(EventFormat.fromJson(EventFormat.toJson(e))).usingRecursiveComparison().isEqualTo(e);
        assertThat(EventFormat.fromJson(EventFormat.toJson(sample())).isShadow()).isFalse();
    }

    @Test
    void refusesOtherSchemasAndNonJson() {
        assertThatThrownBy(() -> EventFormat.fromJson("{\"schema\":2}".getBytes()))
                .hasMessageContaining("not an Argus event of schema 1");
        assertThatThrownBy(() -> EventFormat.fromJson("{oops".getBytes())).hasMessageContaining("not JSON");
    }
}
