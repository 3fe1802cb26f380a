package io.argus.models.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.classify.Classification;
import io.argus.models.input.FrameWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class MotionEnergyClassifierTest {

    private static FrameWindow window(byte[]... frames) {
        int size = frames[0].length;
        byte[] pixels = new byte[size * frames.length];
        long[] times = new long[frames.length];
        for (int i = 0; i < frames.length; i++) {
            System.arraycopy(frames[i], 0, pixels, i * size, size);
            times[i] = i * 100L;
        }
        return new FrameWindow("s", 0, frames.length * 100L, 1, size, 1, times, pixels, 0);
    }

    @Test
    void identicalFramesHaveNoEnergyAndAreStill() {
        byte[] f = {10, 20, 30, 40};
        FrameWindow w = window(f, f.clone(), f.clone());
        assertThat(MotionEnergyClassifier.energy(w)).isZero();
        Classification c = new MotionEnergyClassifier(0.01).classify(List.of(w)).get(0);
        assertThat(c.label()).isEqualTo("still");
        assertThat(c.score()).isGreaterThan(0.99f);
    }

    @Test
    void energyIsMeanAbsoluteDifferenceOverPairs() {
        byte[] black = {0, 0, 0, 0};
        byte[] half = {(byte) 255, (byte) 255, 0, 0};
        // pairs: black->half = 0.5, half->half = 0
        FrameWindow w = window(black, half, half.clone());
        assertThat(MotionEnergyClassifier.energy(w)).isCloseTo(0.25, within(1e-9));
        Classification c = new MotionEnergyClassifier(0.01).classify(List.of(w)).get(0);
        assertThat(c.label()).isEqualTo("motion");
        assertThat(c.labels()).containsExactly("motion", "still");
    }

    @Test
    void scoreIsOneHalfAtTheThreshold() {
        byte[] a = new byte[100];
        byte[] b = new byte[100];
        b[0] = (byte) 255; // energy = 1/100
        Classification c = new MotionEnergyClassifier(0.01).classify(List.of(window(a, b))).get(0);
        assertThat(c.score()).isCloseTo(0.5f, within(0.01f));
    }
}
