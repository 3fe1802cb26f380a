package io.argus.connectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureClockTest {

    private static final long NOW = 1_767_225_600_000_000L; // 2026-01-01, µs
    private static final long DRIFT = 5_000_000;

    @Test
    void withoutASourceClockTheFirstPacketIsCapturedWhenItArrivesAndTheRestKeepTheirSpacing() {
        CaptureClock clock = new CaptureClock(DRIFT, false);
        clock.connect(NOW + 300);
        assertThat(clock.captureUs(7_000_000, NOW + 300)).isEqualTo(NOW + 300);
        assertThat(clock.captureUs(7_040_000, NOW + 90_000)).isEqualTo(NOW + 300 + 40_000);
        assertThat(clock.resets()).isZero();
    }

    @Test
    void aSourceClockWithinTheDriftIsTrustedAndOneBeyondItIsNot() {
        CaptureClock trusted = new CaptureClock(DRIFT, false);
        trusted.connect(NOW);
        trusted.sourceClock(1_000_000, NOW - 200_000, NOW);
        assertThat(trusted.captureUs(1_000_000, NOW)).isEqualTo(NOW - 200_000);
        assertThat(trusted.captureUs(1_040_000, NOW + 10_000)).as("later media keeps its spacing")
                .isEqualTo(NOW - 160_000);

        CaptureClock wrong = new CaptureClock(DRIFT, false);
        wrong.connect(NOW);
        wrong.sourceClock(1_000_000, NOW - 3_600_000_000L, NOW);
        assertThat(wrong.captureUs(1_040_000, NOW + 10_000)).as("as if it sent no clock: captured when opened")
                .isEqualTo(NOW);
    }

    @Test
    void packetsStampedByTheSourceAreCapturedWhenItSaysWhateverTheirTimestampsBase() {
        // FFmpeg's RTSP reader gives audio and video timestamps from different origins until both
        // streams had a sender report; the sender's wall clock on each packet is what counts
        CaptureClock clock = new CaptureClock(DRIFT, false);
        clock.connect(NOW);
        clock.sourceClock(5_000_000, NOW - 100_000, NOW);
        assertThat(clock.captureUs(5_000_000, NOW)).isEqualTo(NOW - 100_000);
        clock.sourceClock(900_000, NOW - 80_000, NOW + 1_000);
        assertThat(clock.captureUs(900_000, NOW + 1_000)).isEqualTo(NOW - 80_000);
        assertThat(clock.captureUs(940_000, NOW + 2_000)).isEqualTo(NOW - 40_000);
        assertThat(clock.resets()).isZero();
    }

    @Test
    void packetsHeldBackWhileTheSourceWasProbedAreCapturedFromWhenItOpened() {
        CaptureClock clock = new CaptureClock(DRIFT, false);
        clock.connect(NOW);
        long burst = NOW + 900_000; // probing read 0.9 s of media, which then comes all at once
        assertThat(clock.captureUs(0, burst)).isEqualTo(NOW);
        assertThat(clock.captureUs(40_000, burst)).isEqualTo(NOW + 40_000);
        assertThat(clock.captureUs(880_000, burst)).isEqualTo(NOW + 880_000);
        assertThat(clock.captureUs(1_000_000, burst + 110_000)).as("then as it comes").isEqualTo(NOW + 1_000_000);
        assertThat(clock.resets()).isZero();
    }

    @Test
    void mediaThatFallsBehindTheWallClockBeyondTheDriftSetsTheClockAgain() {
        CaptureClock clock = new CaptureClock(DRIFT, false);
        clock.connect(NOW);
        clock.captureUs(0, NOW);
        long late = NOW + 10_000_000;
        assertThat(clock.captureUs(40_000, late)).isEqualTo(late);
        assertThat(clock.captureUs(80_000, late + 40_000)).isEqualTo(late + 40_000);
        assertThat(clock.resets()).isEqualTo(1);
    }

    @Test
    void aRecordingMayRunAheadOfTheWallClockButALiveSourceMayNot() {
        CaptureClock paced = new CaptureClock(DRIFT, true);
        paced.connect(NOW);
        paced.captureUs(0, NOW);
        assertThat(paced.captureUs(8_000_000, NOW + 1000)).as("the reader waits for it").isEqualTo(NOW + 8_000_000);
        assertThat(paced.resets()).isZero();

        CaptureClock live = new CaptureClock(DRIFT, false);
        live.connect(NOW);
        live.captureUs(0, NOW);
        assertThat(live.captureUs(8_000_000, NOW + 1000)).isEqualTo(NOW + 1000);
        assertThat(live.resets()).isEqualTo(1);
    }
}
