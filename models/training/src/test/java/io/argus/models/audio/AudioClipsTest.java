package io.argus.models.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.audio.AudioDataset.Source;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioClipsTest {

    private final AudioClips clips = new AudioClips(16_000, 16_000);

    private static float[] tone(int n, double amplitude) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(i * 0.3));
        }
        return x;
    }

    @Test
    void aShortSourceIsRepeatedWithGapsToFillTheClip() {
        float[] beep = tone(2_000, 0.5); // 125 ms
        float[] c = clips.crop(beep, 16_000, 0, 0.25, null); // a copy every 125 + 250 ms
        assertThat(c).hasSize(16_000);
        int copies = 0;
        for (int i = 1; i < c.length; i++) {
            if (c[i - 1] == 0 && c[i] != 0 && i % 6_000 <= 2) {
                copies++;
            }
        }
        assertThat(c[0]).isEqualTo(0f);
        assertThat(c[1]).isEqualTo(beep[1]);
        assertThat(c[6_001]).isEqualTo(beep[1]);
        assertThat(c[3_000]).isEqualTo(0f); // in the gap
        assertThat(copies).isEqualTo(3); // at 0, 375 and 750 ms
    }

    @Test
    void stretchingChangesPitchAndLength() {
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        float[] faster = AudioClips.stretch(x, 500);
        assertThat(faster).hasSize(500);
        assertThat(faster[0]).isEqualTo(0f);
        assertThat(faster[499]).isEqualTo(999f);
        assertThat(faster[250]).isCloseTo(500.5f, org.assertj.core.api.Assertions.within(1f));
    }

    @Test
    void trainingClipsGetARandomLevelButSilenceStaysQuiet() {
        Random r = new Random(1);
        Source speech = new Source(AudioLabels.SPEECH, "p", "s", tone(40_000, 0.3));
        Source quiet = new Source(AudioLabels.SILENCE, "p", "q", tone(40_000, 0.001));
        for (int i = 0; i < 50; i++) {
            assertThat(AudioClips.dbfs(clips.training(speech, r))).isBetween(-45.0, -7.0);
            assertThat(AudioClips.dbfs(clips.training(quiet, r))).isLessThan(-50.0);
        }
    }

    @Test
    void evaluationLeavesOutInaudibleCropsOfSoundLabels() {
        float[] x = new float[48_000];
        System.arraycopy(tone(16_000, 0.2), 0, x, 32_000, 16_000); // two silent seconds, then a tone
        List<float[]> out = clips.evaluation(new Source(AudioLabels.ALARM, "p", "a", x), 3);
        assertThat(out).hasSize(1);
        assertThat(clips.evaluation(new Source(AudioLabels.SILENCE, "p", "s", x), 3)).hasSize(3);
    }

    @Test
    void wideAugmentationMixesBackgroundsUnderTheSoundButNeverIntoSilence() {
        Random r = new Random(3);
        float[] hum = new float[48_000];
        for (int i = 0; i < hum.length; i++) {
            hum[i] = (float) (0.3 * Math.sin(2 * Math.PI * 100 * i / 16_000)); // a 100 Hz hum
        }
        Source background = new Source(AudioLabels.NOISE, "p", "hum", hum);
        Source speech = new Source(AudioLabels.SPEECH, "p", "s", tone(40_000, 0.3));
        Source quiet = new Source(AudioLabels.SILENCE, "p", "q", tone(40_000, 0.001));
        int mixed = 0;
        for (int i = 0; i < 200; i++) {
            float[] c = clips.training(speech, List.of(background), r);
            assertThat(AudioClips.dbfs(c)).isBetween(-45.0, -5.0);
            if (humShare(c) > 0.005) {
                mixed++;
            }
            assertThat(AudioClips.dbfs(clips.training(quiet, List.of(background), r))).isLessThan(-50.0);
        }
        assertThat(mixed).isBetween(50, 110); // 40% of clips get a background
        Random basic = new Random(3);
        for (int i = 0; i < 50; i++) {
            assertThat(humShare(clips.training(speech, basic))).isLessThan(0.001);
        }
    }

    /** Share of a clip's energy at 100 Hz (Goertzel over the whole second, 1 Hz bins). */
    private static double humShare(float[] x) {
        double w = 2 * Math.PI * 100 / 16_000;
        double s1 = 0;
        double s2 = 0;
        double all = 0;
        for (float v : x) {
            double s0 = v + 2 * Math.cos(w) * s1 - s2;
            s2 = s1;
            s1 = s0;
            all += v * v;
        }
        double power = s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2; // |X(100 Hz)|^2
        return 2 * power / x.length / all;
    }

    @Test
    void reverberationKeepsTheLevelAndLeavesATail() {
        float[] x = new float[16_000];
        for (int i = 0; i < 1_600; i++) {
            x[i] = (float) (0.5 * Math.sin(i * 0.3)); // 100 ms of tone, then nothing
        }
        Reverb.apply(x, 16_000, 0.8, 0.5, new Random(1));
        double tail = 0;
        for (int i = 3_200; i < 6_400; i++) { // 100-300 ms after the tone ended
            tail += x[i] * x[i];
        }
        assertThat(tail).isGreaterThan(0.1);
        for (float v : x) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }
}
