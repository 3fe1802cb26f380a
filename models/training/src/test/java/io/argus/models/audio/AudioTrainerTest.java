package io.argus.models.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.input.SpectrogramSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioTrainerTest {

    @Test
    void aMaskSetsOneBandAndOneStretchOfFramesToTheQuietestValue() {
        SpectrogramSpec spec = SpectrogramSpec.defaults();
        int frames = spec.frames();
        int mels = spec.mels();
        for (int seed = 0; seed < 20; seed++) {
            float[] x = new float[frames * mels]; // 0 dB everywhere but one quiet cell
            x[x.length - 1] = -100;
            AudioTrainer.mask(x, spec, new Random(seed));
            int fullFrames = 0;
            for (int t = 0; t < frames; t++) {
                fullFrames += quiet(x, t * mels, 1, mels) ? 1 : 0;
            }
            int fullBands = 0;
            for (int m = 0; m < mels; m++) {
                fullBands += quiet(x, m, mels, frames) ? 1 : 0;
            }
            int masked = 0;
            for (float v : x) {
                masked += v == -100 ? 1 : 0;
            }
            assertThat(fullFrames).isBetween(1, 13); // the quiet cell's frame may end up full too
            assertThat(fullBands).isBetween(1, 9);
            // nothing else changed: only cells of the masked frames and bands (and the quiet cell) are quiet
            int expected = fullFrames * mels + fullBands * frames - fullFrames * fullBands;
            assertThat(masked).isIn(expected, expected + 1);
        }
    }

    /** Whether {@code count} cells from {@code first}, {@code step} apart, all hold the quiet value. */
    private static boolean quiet(float[] x, int first, int step, int count) {
        for (int i = 0; i < count; i++) {
            if (x[first + i * step] != -100) {
                return false;
            }
        }
        return true;
    }
}
