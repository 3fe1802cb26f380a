package io.argus.models.input;

import java.io.Serializable;

/**
 * What an audio model takes: log-mel spectrograms of {@code windowMs} of mono audio at
 * {@code sampleRate}, one STFT frame of {@code frameLength} samples (Hann window) every
 * {@code hop} samples, {@code mels} triangular mel bands between {@code fminHz} and
 * {@code fmaxHz}, in decibels of power floored at {@code floorDb}. A model package records its
 * spec; the job resamples, frames and windows audio to it.
 */
public record SpectrogramSpec(int sampleRate, int windowMs, int frameLength, int hop, int mels, double fminHz,
        double fmaxHz, double floorDb) implements Serializable {

    public SpectrogramSpec {
        if (sampleRate < 1000 || hop < 1 || mels < 1 || Integer.bitCount(frameLength) != 1 || frameLength < 64
                || !(fminHz >= 0) || !(fmaxHz > fminHz) || fmaxHz > sampleRate / 2.0 || !(floorDb < 0)) {
            throw new IllegalArgumentException("invalid spectrogram spec " + describe(sampleRate, windowMs, frameLength,
                    hop, mels, fminHz, fmaxHz));
        }
        if ((long) windowMs * sampleRate / 1000 < frameLength) {
            throw new IllegalArgumentException("spectrogram window of " + windowMs + " ms is shorter than one frame of "
                    + frameLength + " samples at " + sampleRate + " Hz");
        }
    }

    /** The audio models' default: 1 s at 16 kHz, 32 ms frames every 10 ms, 64 mel bands to 8 kHz. */
    public static SpectrogramSpec defaults() {
        return new SpectrogramSpec(16_000, 1000, 512, 160, 64, 50, 8000, -100);
    }

    /** Samples in one window. */
    public int windowSamples() {
        return (int) ((long) windowMs * sampleRate / 1000);
    }

    /** STFT frames in one window. */
    public int frames() {
        return framesIn(windowSamples());
    }

    /** Whole STFT frames that {@code samples} samples hold. */
    public int framesIn(int samples) {
        return samples < frameLength ? 0 : 1 + (samples - frameLength) / hop;
    }

    @Override
    public String toString() {
        return describe(sampleRate, windowMs, frameLength, hop, mels, fminHz, fmaxHz);
    }

    private static String describe(int rate, int windowMs, int frameLength, int hop, int mels, double fmin,
            double fmax) {
        return windowMs + " ms at " + rate + " Hz, frames of " + frameLength + " every " + hop + ", " + mels
                + " mels " + fmin + "-" + fmax + " Hz";
    }
}
