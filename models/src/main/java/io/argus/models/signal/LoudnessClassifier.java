package io.argus.models.signal;

import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.classify.Softmax;
import io.argus.models.input.Spectrogram;
import java.util.ArrayList;
import java.util.List;

/**
 * A measured signal, not a learned model: labels an audio window {@code silence}, {@code quiet}
 * or {@code loud} by its RMS level in dBFS (0 dBFS = a full-scale square wave), read off the
 * window's log-mel spectrogram (so it sees the spectrogram's band, 50 Hz to 8 kHz by default).
 *
 * <p>It is the baseline the learned audio classifier is compared with, and what the job runs
 * when no model package is configured.
 */
public final class LoudnessClassifier implements Classifier<Spectrogram> {

    public static final String NAME = "loudness";
    public static final String VERSION = "signal-1";
    public static final List<String> LABELS = List.of("silence", "quiet", "loud");
    public static final double DEFAULT_SILENCE_DBFS = -50;
    public static final double DEFAULT_LOUD_DBFS = -20;
    /** Level of digital silence: log of zero is clamped here. */
    public static final double FLOOR_DBFS = -120;

    private final double silenceDbfs;
    private final double loudDbfs;
    private final ModelInfo info = new ModelInfo(NAME, VERSION, LABELS);

    public LoudnessClassifier(double silenceDbfs, double loudDbfs) {
        if (!(silenceDbfs < loudDbfs && loudDbfs <= 0)) {
            throw new IllegalArgumentException(
                    "need silence level < loud level <= 0 dBFS, got " + silenceDbfs + " and "
                            + loudDbfs);
        }
        this.silenceDbfs = silenceDbfs;
        this.loudDbfs = loudDbfs;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<Classification> classify(List<Spectrogram> batch) {
        List<Classification> out = new ArrayList<>(batch.size());
        for (Spectrogram w : batch) {
            double db = rmsDbfs(w);
            // distance (in 5 dB steps) inside each class's range; negative outside it
            double silence = (silenceDbfs - db) / 5;
            double loud = (db - loudDbfs) / 5;
            double quiet = Math.min(db - silenceDbfs, loudDbfs - db) / 5;
            out.add(Classification.of(LABELS, Softmax.of(new double[] {silence, quiet, loud})));
        }
        return out;
    }

    /**
     * RMS level of a log-mel window in dBFS: the mean over frames of the power summed over the mel
     * bands. The triangular bands add up to one across the band and the Hann-windowed spectrum
     * holds three times the signal's mean square (see {@code LogMelSpectrogram}), hence the
     * 4.77 dB (10 log 3) correction.
     */
    public static double rmsDbfs(Spectrogram w) {
        if (w.frames == 0) {
            return FLOOR_DBFS;
        }
        double sum = 0;
        for (float db : w.values) {
            sum += Math.pow(10, db / 10.0);
        }
        return Math.max(FLOOR_DBFS, 10 * Math.log10(sum / w.frames) - 10 * Math.log10(3));
    }

    /** RMS level of the samples in dBFS, {@link #FLOOR_DBFS} for digital silence. */
    public static double rmsDbfs(float[] samples) {
        if (samples.length == 0) {
            return FLOOR_DBFS;
        }
        double sumSquares = 0;
        for (float s : samples) {
            sumSquares += (double) s * s;
        }
        double rms = Math.sqrt(sumSquares / samples.length);
        // a full-scale sine has RMS 1/sqrt(2); dBFS here is relative to full-scale square (RMS 1)
        return rms <= 0 ? FLOOR_DBFS : Math.max(FLOOR_DBFS, 20 * Math.log10(rms));
    }
}
