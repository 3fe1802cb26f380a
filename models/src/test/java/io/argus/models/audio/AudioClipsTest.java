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
}
