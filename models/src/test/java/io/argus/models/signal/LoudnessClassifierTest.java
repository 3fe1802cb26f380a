package io.argus.models.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.classify.Classification;
import io.argus.models.input.AudioWindow;
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

    private static String label(float[] samples) {
        LoudnessClassifier c = new LoudnessClassifier(-50, -20);
        Classification r = c.classify(List.of(new AudioWindow("a", 0, 16000, samples, 0))).get(0);
        return r.label();
    }

    @Test
    void fullScaleSineIsMinusThreeDbfs() {
        assertThat(LoudnessClassifier.rmsDbfs(sine(1.0, 16000))).isCloseTo(-3.01, within(0.05));
    }

    @Test
    void digitalSilenceIsTheFloor() {
        assertThat(LoudnessClassifier.rmsDbfs(new float[1600]))
                .isEqualTo(LoudnessClassifier.FLOOR_DBFS);
        assertThat(label(new float[1600])).isEqualTo("silence");
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
