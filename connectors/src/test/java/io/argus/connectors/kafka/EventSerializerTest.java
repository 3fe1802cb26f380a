package io.argus.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class EventSerializerTest {

    @Test
    void recordIsKeyedByStreamAndStampedWithTheTimeOfInferenceNotTheMediaTime() {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = "cam-7";
        e.kind = AnalyticsEvent.KIND_ACTION;
        e.label = "walking";
        e.score = 0.9f;
        e.topLabels = new String[] {"walking"};
        e.topScores = new float[] {0.9f};
        e.windowStartMs = 1_600_000_000_000L; // footage from 2020
        e.windowEndMs = 1_600_000_002_000L;
        e.decodedAtMs = 1_800_000_000_000L;
        e.inferredAtMs = 1_800_000_000_050L;
        e.modelName = "m";
        e.modelVersion = "1";

        ProducerRecord<byte[], byte[]> r = new EventSerializer("events").serialize(e, null, e.windowEndMs);

        assertThat(r.topic()).isEqualTo("events");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("cam-7");
        // retention counts from the record's timestamp: the 2020 window must not make the event expire at once
        assertThat(r.timestamp()).isEqualTo(1_800_000_000_050L);
        AnalyticsEvent back = EventFormat.fromJson(r.value());
        assertThat(back.windowStartMs).isEqualTo(1_600_000_000_000L);
        assertThat(back.windowEndMs).isEqualTo(1_600_000_002_000L);
    }
}
