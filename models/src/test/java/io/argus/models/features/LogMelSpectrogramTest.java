package io.argus.models.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.input.SpectrogramSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogMelSpectrogramTest {

    private final SpectrogramSpec spec = SpectrogramSpec.defaults();
    private final LogMelSpectrogram logMel = new LogMelSpectrogram(spec);

    @Test
    void aSineLandsInTheMelBandAroundItsFrequency() {
        for (double hz : new double[] {220, 1000, 3000, 6500}) {
            float[] v = logMel.compute(sine(hz, 0.5, spec.windowSamples()), 0, spec.windowSamples());
            int frames = spec.frames();
            assertThat(v).hasSize(frames * spec.mels());
            int loudest = argMax(v, frames / 2 * spec.mels(), spec.mels());
            int nearest = nearestBand(hz);
            assertThat(Math.abs(loudest - nearest)).as("band of %s Hz", hz).isLessThanOrEqualTo(1);
            // Amplitude 0.5 is -6 dB; a wide band catches the whole Hann main lobe (+1.8 dB), a narrow one part of it.
            assertThat(v[frames / 2 * spec.mels() + loudest]).as("level at %s Hz", hz).isBetween(-12f, -3f);
        }
    }

    @Test
    void silenceGivesTheFloorInEveryBand() {
        float[] v = logMel.compute(new float[spec.windowSamples()], 0, spec.windowSamples());
        for (float x : v) {
            assertThat(x).isEqualTo((float) spec.floorDb());
        }
    }

    @Test
    void agreesWithAnIndependentDftOfTheSameFrame() {
        Random random = new Random(3);
        float[] samples = new float[spec.frameLength()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.3 * Math.sin(i * 0.21) + 0.1 * random.nextGaussian());
        }
        float[] fast = new float[spec.mels()];
        logMel.frame(samples, 0, fast, 0);
        float[] slow = naiveLogMel(samples);
        for (int m = 0; m < spec.mels(); m++) {
            assertThat(fast[m]).as("band %d", m).isCloseTo(slow[m], within(0.05f));
        }
    }

    @Test
    void framesComputedInPiecesEqualTheWhole() {
        float[] audio = sine(440, 0.2, spec.windowSamples() * 2);
        float[] whole = logMel.compute(audio, 0, audio.length);
        int pieceFrames = 37;
        float[] piece = logMel.compute(audio, pieceFrames * spec.hop(), audio.length - pieceFrames * spec.hop());
        assertThat(whole.length - piece.length).isEqualTo(pieceFrames * spec.mels());
        for (int i = 0; i < piece.length; i++) {
            assertThat(piece[i]).isEqualTo(whole[pieceFrames * spec.mels() + i]);
        }
    }

    /** Plain O(n^2) DFT with its own Hann window and mel triangles, written from the definitions. */
    private float[] naiveLogMel(float[] x) {
        int n = x.length;
        double[] power = new double[n / 2];
        for (int k = 0; k < n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int t = 0; t < n; t++) {
                double w = 0.5 * (1 - Math.cos(2 * Math.PI * t / (n - 1)));
                re += w * x[t] * Math.cos(2 * Math.PI * k * t / n);
                im -= w * x[t] * Math.sin(2 * Math.PI * k * t / n);
            }
            double a = Math.hypot(re, im) * 4 / n;
            power[k] = a * a;
        }
        float[] out = new float[spec.mels()];
        double lo = 2595 * Math.log10(1 + spec.fminHz() / 700);
        double hi = 2595 * Math.log10(1 + spec.fmaxHz() / 700);
        double binHz = (double) spec.sampleRate() / n;
        for (int m = 0; m < spec.mels(); m++) {
            double left = toHz(lo + m * (hi - lo) / (spec.mels() + 1));
            double centre = toHz(lo + (m + 1) * (hi - lo) / (spec.mels() + 1));
            double right = toHz(lo + (m + 2) * (hi - lo) / (spec.mels() + 1));
            double sum = 0;
            for (int k = 0; k < n / 2; k++) {
                double f = k * binHz;
                if (f >= left && f <= right) {
                    sum += power[k] * (f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre));
                }
            }
            out[m] = (float) (10 * Math.log10(Math.max(sum, Math.pow(10, spec.floorDb() / 10))));
        }
        return out;
    }

    private static double toHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    private int nearestBand(double hz) {
        int best = 0;
        for (int m = 1; m < spec.mels(); m++) {
            if (Math.abs(logMel.centreHz(m) - hz) < Math.abs(logMel.centreHz(best) - hz)) {
                best = m;
            }
        }
        return best;
    }

    private float[] sine(double hz, double amplitude, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / spec.sampleRate()));
        }
        return s;
    }

    private static int argMax(float[] v, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
