package io.argus.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.junit.jupiter.api.Test;

/**
 * Streams get a metric group of their own, closed (its metrics unregistered from every reporter)
 * once the stream has not been used for the idle time, so the registered groups follow the live
 * streams and not every stream ever seen; a cap bounds them at any moment.
 */
class PerStreamMetricsTest {

    private static final Duration IDLE = Duration.ofMinutes(5);

    private final List<MetricGroup> registered = new ArrayList<>();
    private final MetricGroup operator = UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup();

    private PerStreamMetrics<MetricGroup> streams(int cap) {
        return new PerStreamMetrics<>(operator, IDLE, g -> {
            registered.add(g);
            return g;
        }, cap);
    }

    @Test
    void aStreamKeepsItsGroupWhileUsedAndLosesItAfterTheIdleTime() {
        PerStreamMetrics<MetricGroup> streams = streams(10);
        MetricGroup a = streams.of("cam-a", 0);
        assertThat(a.getAllVariables()).containsEntry("<stream>", "cam-a");
        assertThat(streams.of("cam-a", IDLE.toMillis() - 1)).isSameAs(a);
        streams.of("cam-b", IDLE.toMillis());
        assertThat(closed(a)).isFalse();

        streams.expireIdle(2 * IDLE.toMillis() - 1);
        assertThat(closed(a)).as("idle for the idle time: removed").isTrue();
        assertThat(streams.size()).isEqualTo(1);

        MetricGroup back = streams.of("cam-a", 3 * IDLE.toMillis());
        assertThat(back).as("a stream that comes back is registered again").isNotSameAs(a);
        assertThat(closed(back)).isFalse();
    }

    @Test
    void tenThousandStreamsComingAndGoingLeaveOnlyTheLiveOnesRegistered() {
        PerStreamMetrics<MetricGroup> streams = streams(PerStreamMetrics.MAX_STREAMS);
        long step = IDLE.toMillis() + 1;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 500; i++) {
                streams.of("cam-" + round + "-" + i, round * step + i);
            }
        }
        long open = registered.stream().filter(g -> !closed(g)).count();
        assertThat(registered).hasSize(10_000);
        assertThat(open).as("groups still registered").isLessThanOrEqualTo(1_000);
        assertThat(streams.size()).isEqualTo((int) open);
    }

    @Test
    void streamsBeyondTheCapShareOneUnreportedHolder() {
        PerStreamMetrics<MetricGroup> streams = streams(2);
        streams.of("a", 0);
        streams.of("b", 0);
        MetricGroup c = streams.of("c", 0);
        assertThat(streams.of("d", 0)).isSameAs(c);
        assertThat(c).isNotInstanceOf(AbstractMetricGroup.class);
        assertThat(streams.size()).isEqualTo(2);
        assertThat(registered).hasSize(3); // a, b and the one shared by c and d
    }

    private static boolean closed(MetricGroup g) {
        return ((AbstractMetricGroup) g).isClosed();
    }
}
