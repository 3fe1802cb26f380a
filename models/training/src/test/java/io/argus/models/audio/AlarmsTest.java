package io.argus.models.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AlarmsTest {

    private static final int RATE = 16_000;

    /** Share of 20 ms frames at least 30 dB below the loudest frame: the gaps of an on-off pattern. */
    private static double quietShare(float[] x) {
        int frame = RATE / 50;
        double[] levels = new double[x.length / frame];
        double loudest = -200;
        for (int f = 0; f < levels.length; f++) {
            float[] part = new float[frame];
            System.arraycopy(x, f * frame, part, 0, frame);
            levels[f] = AudioClips.dbfs(part);
            loudest = Math.max(loudest, levels[f]);
        }
        int quiet = 0;
        for (double l : levels) {
            if (l < loudest - 30) {
                quiet++;
            }
        }
        return (double) quiet / levels.length;
    }

    @Test
    void beepsAndRingsComeAndGoWhileASirenHolds() {
        Random r = new Random(5);
        for (int i = 0; i < 20; i++) {
            float[] beeps = Alarms.beeps(4 * RATE, RATE, r);
            float[] ring = Alarms.ring(4 * RATE, RATE, r);
            float[] siren = Alarms.siren(4 * RATE, RATE, r);
            float[] tune = Alarms.ringTone(4 * RATE, RATE, r);
            for (float[] x : new float[][] {beeps, ring, siren, tune}) {
                assertThat(AudioClips.dbfs(x)).isBetween(-40.0, 10.0);
                for (float v : x) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
            assertThat(quietShare(beeps)).as("beeps have gaps").isGreaterThan(0.1);
            assertThat(quietShare(siren)).as("a siren does not stop").isEqualTo(0.0);
        }
    }

    @Test
    void generatedAlarmsJoinTheAlarmLabelAsTheirOwnPackage() {
        AudioDataset data = AudioDataset.empty();
        GeneratedAudio.addAlarms(data, RATE, 8, 1);
        assertThat(data.packages(AudioLabels.ALARM).get(GeneratedAudio.ALARM_PACKAGE)).hasSize(8)
                .allSatisfy(s -> assertThat(AudioClips.dbfs(s.samples())).isCloseTo(-20.0,
                        org.assertj.core.api.Assertions.within(0.01)));
    }
}
