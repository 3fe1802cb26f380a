package io.argus.models.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.classify.Classification;
import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoudnessClassifierTest {

    private static float[] sine(double amplitude, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        return s;
    }

    private static Spectrogram spectrogram(float[] samples) {
        SpectrogramSpec spec = SpectrogramSpec.defaults();
        float[] v = new LogMelSpectrogram(spec).compute(samples, 0, samples.length);
        return new Spectrogram("a", 0, 1000, v.length / spec.mels(), spec.mels(), v, 0);
    }

    private static String label(float[] samples) {
        LoudnessClassifier c = new LoudnessClassifier(-50, -20);
        Classification r = c.classify(List.of(spectrogram(samples))).get(0);
        return r.label();
    }

    @Test
    void theSpectrogramsLevelIsTheSignalsLevel() {
        for (double amplitude : new double[] {1.0, 0.1, 0.003}) {
            float[] s = sine(amplitude, 16000);
            assertThat(LoudnessClassifier.rmsDbfs(spectrogram(s))).isCloseTo(LoudnessClassifier.rmsDbfs(s), within(0.3));
        }
        java.util.Random r = new java.util.Random(5);
        float[] noise = new float[16000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.05 * r.nextGaussian());
        }
        // white noise loses the part of its power outside the 50 Hz - 8 kHz band (about 0.03 dB)
        assertThat(LoudnessClassifier.rmsDbfs(spectrogram(noise))).isCloseTo(LoudnessClassifier.rmsDbfs(noise), within(0.5));
    }

    @Test
    void fullScaleSineIsMinusThreeDbfs() {
        assertThat(LoudnessClassifier.rmsDbfs(sine(1.0, 16000))).isCloseTo(-3.01, within(0.05));
    }

    @Test
    void digitalSilenceIsTheFloor() {
        assertThat(LoudnessClassifier.rmsDbfs(new float[1600]))
                .isEqualTo(LoudnessClassifier.FLOOR_DBFS);
        assertThat(label(new float[16000])).isEqualTo("silence");
    }

    @Test
    void levelsMapToTheirLabels() {
        assertThat(label(sine(0.5, 16000))).isEqualTo("loud"); // about -9 dBFS
        assertThat(label(sine(0.01, 16000))).isEqualTo("quiet"); // about -43 dBFS
        assertThat(label(sine(0.0005, 16000))).isEqualTo("silence"); // about -69 dBFS
    }

    @Test
    void rejectsInvertedThresholds() {
        assertThatThrownBy(() -> new LoudnessClassifier(-10, -40))
                .hasMessageContaining("silence level < loud level");
    }
}
