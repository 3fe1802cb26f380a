package io.argus.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** A stream's state from its arrivals and release. */
class StreamHealthTest {

    @Test
    void liveWhileMediaArrivesStalledAfterTheStallTimeGoneOnceReleasedAndLiveWhenItComesBack() {
        StreamHealth h = new StreamHealth(new UnregisteredMetricsGroup(), 5_000, () -> 0);
        assertThat(h.state(0)).isEqualTo(StreamHealth.LIVE);
        h.arrived(1_000, 10_000);
        assertThat(h.state(15_000)).isEqualTo(StreamHealth.LIVE);
        assertThat(h.state(15_001)).isEqualTo(StreamHealth.STALLED);
        h.released();
        assertThat(h.state(20_000)).isEqualTo(StreamHealth.GONE);
        h.arrived(2_000, 400_000);
        assertThat(h.state(400_100)).isEqualTo(StreamHealth.LIVE);
    }
}
