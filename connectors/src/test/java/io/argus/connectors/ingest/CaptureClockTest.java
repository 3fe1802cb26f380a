package io.argus.connectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureClockTest {

    private static final long NOW = 1_767_225_600_000_000L; // 2026-01-01, µs
    private static final long DRIFT = 5_000_000;

    @Test
    void withoutASourceClockTheFirstPacketIsCapturedWhenItArrivesAndTheRestKeepTheirSpacing() {
        CaptureClock clock = new CaptureClock(DRIFT, false);
        clock.connect(0, 0, NOW);
        assertThat(clock.captureUs(7_000_000, NOW + 300)).isEqualTo(NOW + 300);
        assertThat(clock.captureUs(7_040_000, NOW + 90_000)).isEqualTo(NOW + 300 + 40_000);
        assertThat(clock.resets()).isZero();
    }

    @Test
    void aSourceClockWithinTheDriftIsTrustedAndOneBeyondItIsNot() {
        CaptureClock trusted = new CaptureClock(DRIFT, false);
        trusted.connect(NOW - 200_000, 1_000_000, NOW);
        assertThat(trusted.captureUs(1_040_000, NOW + 10_000)).isEqualTo(NOW - 160_000);

        CaptureClock wrong = new CaptureClock(DRIFT, false);
        wrong.connect(NOW - 3_600_000_000L, 1_000_000, NOW);
        assertThat(wrong.captureUs(1_040_000, NOW + 10_000)).isEqualTo(NOW + 10_000);
    }

    @Test
    void mediaThatFallsBehindTheWallClockBeyondTheDriftSetsTheClockAgain() {
        CaptureClock clock = new CaptureClock(DRIFT, false);
        clock.connect(0, 0, NOW);
        clock.captureUs(0, NOW);
        long late = NOW + 10_000_000;
        assertThat(clock.captureUs(40_000, late)).isEqualTo(late);
        assertThat(clock.captureUs(80_000, late + 40_000)).isEqualTo(late + 40_000);
        assertThat(clock.resets()).isEqualTo(1);
    }

    @Test
    void aRecordingMayRunAheadOfTheWallClockButALiveSourceMayNot() {
        CaptureClock paced = new CaptureClock(DRIFT, true);
        paced.connect(0, 0, NOW);
        paced.captureUs(0, NOW);
        assertThat(paced.captureUs(8_000_000, NOW + 1000)).as("the reader waits for it").isEqualTo(NOW + 8_000_000);
        assertThat(paced.resets()).isZero();

        CaptureClock live = new CaptureClock(DRIFT, false);
        live.connect(0, 0, NOW);
        live.captureUs(0, NOW);
        assertThat(live.captureUs(8_000_000, NOW + 1000)).isEqualTo(NOW + 1000);
        assertThat(live.resets()).isEqualTo(1);
    }
}
