package io.argus.models.features;

import be.tarsos.dsp.util.fft.FFT;
import be.tarsos.dsp.util.fft.HannWindow;
import io.argus.models.input.SpectrogramSpec;

/**
 * Log-mel spectrogram of mono audio: TarsosDSP's FFT of Hann-windowed frames, power summed into
 * triangular mel bands (HTK mel scale), in dB floored at the spec's floor. Frame {@code i}
 * starts at sample {@code i * hop}; only whole frames are computed, so a stream can be fed in
 * pieces as long as each piece starts on a frame boundary.
 *
 * <p>Not thread-safe: the FFT works in place on a scratch buffer. One instance per operator.
 */
public final class LogMelSpectrogram {

    private final SpectrogramSpec spec;
    private final FFT fft;
    private final float[] frame;
    private final float[] magnitudes;
    /** Per mel band: first FFT bin and the weights of the bins from it. */
    private final int[] firstBin;
    private final float[][] weights;
    private final float floorPower;

    public LogMelSpectrogram(SpectrogramSpec spec) {
        this.spec = spec;
        this.fft = new FFT(spec.frameLength(), new HannWindow());
        this.frame = new float[spec.frameLength()];
        this.magnitudes = new float[spec.frameLength() / 2];
        this.firstBin = new int[spec.mels()];
        this.weights = new float[spec.mels()][];
        this.floorPower = (float) Math.pow(10, spec.floorDb() / 10);
        buildFilterBank();
    }

    public SpectrogramSpec spec() {
        return spec;
    }

    /** {@code [frame][mel]} dB values of the whole frames in {@code samples[from, from + count)}. */
    public float[] compute(float[] samples, int from, int count) {
        int frames = spec.framesIn(count);
        float[] out = new float[frames * spec.mels()];
        for (int f = 0; f < frames; f++) {
            frame(samples, from + f * spec.hop(), out, f * spec.mels());
        }
        return out;
    }

    /** One frame starting at {@code samples[start]} into {@code out[at, at + mels)}. */
    public void frame(float[] samples, int start, float[] out, int at) {
        System.arraycopy(samples, start, frame, 0, frame.length);
        fft.forwardTransform(frame);
        fft.modulus(frame, magnitudes);
        // Scale so that a full-scale sine has a peak power near 0 dB whatever the frame length.
        float scale = 2f / (frame.length / 2f);
        for (int m = 0; m < weights.length; m++) {
            float[] w = weights[m];
            int b0 = firstBin[m];
            double power = 0;
            for (int k = 0; k < w.length; k++) {
                float a = magnitudes[b0 + k] * scale;
                power += w[k] * a * a;
            }
            out[at + m] = (float) (10 * Math.log10(Math.max(power, floorPower)));
        }
    }

    /** Centre frequency of a mel band, in Hz. */
    public double centreHz(int band) {
        double lo = mel(spec.fminHz());
        double hi = mel(spec.fmaxHz());
        return hz(lo + (band + 1) * (hi - lo) / (spec.mels() + 1));
    }

    private void buildFilterBank() {
        int mels = spec.mels();
        double lo = mel(spec.fminHz());
        double hi = mel(spec.fmaxHz());
        double binHz = (double) spec.sampleRate() / spec.frameLength();
        int bins = magnitudes.length;
        for (int m = 0; m < mels; m++) {
            double left = hz(lo + m * (hi - lo) / (mels + 1));
            double centre = hz(lo + (m + 1) * (hi - lo) / (mels + 1));
            double right = hz(lo + (m + 2) * (hi - lo) / (mels + 1));
            int first = Math.max(0, (int) Math.ceil(left / binHz));
            int last = Math.min(bins - 1, (int) Math.floor(right / binHz));
            if (last < first) {
                // A band narrower than one bin takes the nearest bin whole.
                first = last = Math.min(bins - 1, (int) Math.round(centre / binHz));
                firstBin[m] = first;
                weights[m] = new float[] {1f};
                continue;
            }
            float[] w = new float[last - first + 1];
            for (int k = first; k <= last; k++) {
                double f = k * binHz;
                double v = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                w[k - first] = (float) Math.max(0, v);
            }
            firstBin[m] = first;
            weights[m] = w;
        }
    }

    static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }
}
