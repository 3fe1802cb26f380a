package io.argus.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** Settings are refused where the job is built, each error naming the setting at fault. */
class ArgusKafkaTest {

    private final ArgusKafka kafka = ArgusKafka.on(KafkaClientConfig.of("localhost:9092"));

    @Test
    void exactlyOnceNeedsATransactionalIdPrefix() {
        assertThatThrownBy(() -> kafka.guarantee(DeliveryGuarantee.EXACTLY_ONCE, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("transactional id prefix");
        assertThatThrownBy(() -> kafka.guarantee(DeliveryGuarantee.EXACTLY_ONCE, null))
                .hasMessageStartingWith("transactional id prefix");
        assertThat(kafka.guarantee(DeliveryGuarantee.AT_LEAST_ONCE, null).events("argus.events")).isNotNull();
        assertThat(kafka.guarantee(DeliveryGuarantee.EXACTLY_ONCE, "argus").deadLetters("argus.dead-letters", 0))
                .isNotNull();
    }

    @Test
    void everySinkAndSourceNeedsATopic() {
        assertThatThrownBy(() -> kafka.events("")).hasMessageStartingWith("events topic");
        assertThatThrownBy(() -> kafka.liveEvents(null)).hasMessageStartingWith("live events topic");
        assertThatThrownBy(() -> kafka.incidents(" ")).hasMessageStartingWith("incidents topic");
        assertThatThrownBy(() -> kafka.shadowEvents("")).hasMessageStartingWith("shadow topic");
        assertThatThrownBy(() -> kafka.deadLetters("", 10)).hasMessageStartingWith("dead-letter topic");
        assertThatThrownBy(() -> kafka.modelStatus("")).hasMessageStartingWith("status topic");
        assertThatThrownBy(() -> kafka.streamStatus("")).hasMessageStartingWith("status topic");
        assertThatThrownBy(() -> kafka.mediaSource("")).hasMessageStartingWith("topic");
    }

    @Test
    void aMediaSourceNeedsAGroupAndRoomForPayloads() {
        ArgusKafka.MediaSourceBuilder source = kafka.mediaSource("argus.video");
        assertThatThrownBy(() -> source.groupId(" ")).hasMessageStartingWith("group id");
        assertThatThrownBy(() -> source.maxPayloadBytes(0)).hasMessageStartingWith("max payload bytes: at least 1");
        assertThatThrownBy(() -> kafka.deadLetters("argus.dead-letters", -1))
                .hasMessageStartingWith("dead letters' max payload bytes");
        GuardedKafkaSource<IngestedRecord> built = source.groupId("g").bounded(true).maxPayloadBytes(1 << 20).build();
        assertThat(built.getBoundedness()).hasToString("BOUNDED");
        assertThat(kafka.mediaSource("argus.video").groupId("g").build().getBoundedness())
                .hasToString("CONTINUOUS_UNBOUNDED");
        assertThatThrownBy(() -> kafka.mediaSource("argus.video").build())
                .hasMessage("media source of topic argus.video: give its consumer group, groupId(...)");
    }
}
