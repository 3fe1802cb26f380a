package io.argus.connectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void waitsDoubleUpToTheMaximumBetweenHalfAndAllOfTheCap() {
        Backoff least = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0.0);
        Backoff most = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0.999_999);
        long[] low = new long[6];
        long[] high = new long[6];
        for (int i = 0; i < 6; i++) {
            low[i] = least.nextDelayMs();
            high[i] = most.nextDelayMs();
        }
        assertThat(low).containsExactly(250, 500, 1000, 2000, 2000, 2000);
        assertThat(high).containsExactly(499, 999, 1999, 3999, 3999, 3999);
        assertThat(least.attempts()).isEqualTo(6);
    }

    @Test
    void aResetStartsAgainFromTheInitialWait() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), () -> 0.0);
        for (int i = 0; i < 40; i++) {
            b.nextDelayMs();
        }
        assertThat(b.nextDelayMs()).as("no overflow after many attempts").isEqualTo(15_000);
        b.reset();
        assertThat(b.attempts()).isZero();
        assertThat(b.nextDelayMs()).isEqualTo(50);
    }

    @Test
    void refusesAMaximumBelowTheInitialWait() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconnect delays: initial (2000 ms) must be positive and at most the maximum (1000 ms)");
    }
}
