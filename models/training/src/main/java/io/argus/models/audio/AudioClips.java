package io.argus.models.audio;

import io.argus.models.audio.AudioDataset.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Cuts fixed-length clips out of sources, for training (random position, level, band limit,
 * background noise) and evaluation (fixed positions, audio as recorded). A source shorter than a
 * clip is repeated with gaps, the way a beep or a spoken word recurs, so that clip length tells
 * the model nothing. Levels are drawn per clip, so that loudness tells it nothing either, except
 * for silence, which is defined by being quiet.
 */
public final class AudioClips {

    /** Below this level (dBFS RMS) a clip of a non-silence source is too quiet to be labelled. */
    static final double AUDIBLE_DBFS = -45;

    private final int rate;
    private final int length;

    public AudioClips(int rate, int length) {
        this.rate = rate;
        this.length = length;
    }

    /** A training clip of a source with the basic augmentation: random crop, level, band limit and noise. */
    public float[] training(Source s, Random r) {
        return training(s, List.of(), r);
    }

    /**
     * A training clip of a source: random crop, speed, band limit and level, then (when
     * {@code backgrounds} is not empty, the wide augmentation) telephone or radio band limits,
     * room reverberation and a background recording mixed in underneath, and finally generated
     * noise. The label stays the source's: a foreground sound is kept at least 3 dB above what is
     * mixed under it, and silence gets nothing mixed in.
     */
    public float[] training(Source s, List<Source> backgrounds, Random r) {
        boolean silence = AudioLabels.SILENCE.equals(s.label());
        boolean wide = !backgrounds.isEmpty();
        // Pitch and tempo change together by up to a major third either way, half of the time.
        double speed = r.nextBoolean() ? 1 : Math.pow(2, (r.nextDouble() * 2 - 1) / 3);
        int span = (int) Math.round(length * speed);
        float[] clip = audibleCrop(s, span, r);
        clip = stretch(clip, length);
        if (wide && !silence && r.nextDouble() < 0.15) {
            // A telephone or radio channel: 300-3400 Hz give or take.
            Biquad.highPass(rate, 250 + 150 * r.nextDouble()).applyTwice(clip);
            Biquad.lowPass(rate, 3000 + 800 * r.nextDouble()).applyTwice(clip);
        } else {
            if (r.nextDouble() < 0.6) {
                Biquad.lowPass(rate, 2800 + 5000 * r.nextDouble()).applyTwice(clip);
            }
            if (r.nextDouble() < 0.3) {
                Biquad.highPass(rate, 80 + 320 * r.nextDouble()).applyTwice(clip);
            }
        }
        if (wide && !silence && r.nextDouble() < 0.3) {
            Reverb.apply(clip, rate, 0.2 + 0.8 * r.nextDouble(), 0.15 + 0.45 * r.nextDouble(), r);
        }
        double level = silence ? -95 + 43 * r.nextDouble() : -38 + 30 * r.nextDouble();
        scaleTo(clip, level);
        if (wide && !silence && r.nextDouble() < 0.4) {
            Source b = backgrounds.get(r.nextInt(backgrounds.size()));
            if (b != s) {
                float[] under = audibleCrop(b, length, r);
                scaleTo(under, level - 3 - 17 * r.nextDouble());
                for (int i = 0; i < length; i++) {
                    clip[i] += under[i];
                }
            }
        }
        if (!silence && r.nextDouble() < 0.4) {
            float[] noise = Noise.coloured(length, r.nextInt(3), r);
            scaleTo(noise, level - 12 - 28 * r.nextDouble());
            for (int i = 0; i < length; i++) {
                clip[i] += noise[i];
            }
        }
        clamp(clip);
        return clip;
    }

    /** A random crop of {@code span} samples that can be heard (any crop, for silence). */
    private float[] audibleCrop(Source s, int span, Random r) {
        boolean silence = AudioLabels.SILENCE.equals(s.label());
        for (int attempt = 0; attempt < 8; attempt++) {
            float[] c = crop(s.samples(), span, r.nextInt(1 << 30), 0.05 + 0.45 * r.nextDouble(), r);
            if (silence || dbfs(c) > AUDIBLE_DBFS) {
                return c;
            }
        }
        return crop(s.samples(), span, 0, 0.25, null);
    }

    /**
     * Evaluation clips of a source: up to {@code most} crops at evenly spaced positions, each as
     * recorded; crops of non-silence sources too quiet to hear are left out.
     */
    public List<float[]> evaluation(Source s, int most) {
        List<float[]> out = new ArrayList<>();
        float[] x = s.samples();
        int positions = x.length <= length ? 1 : Math.min(most, x.length / length);
        for (int k = 0; k < positions; k++) {
            int offset = positions == 1 ? 0 : (int) ((long) k * (x.length - length) / Math.max(1, positions - 1));
            float[] c = crop(x, length, offset, 0.25, null);
            if (AudioLabels.SILENCE.equals(s.label()) || dbfs(c) > AUDIBLE_DBFS) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * {@code length} samples from {@code offset} (modulo the usable range); a short source is
     * repeated with {@code gapSeconds} of silence between copies, starting at a random phase when
     * {@code r} is given.
     */
    float[] crop(float[] x, int length, int offset, double gapSeconds, Random r) {
        float[] out = new float[length];
        if (x.length >= length) {
            int start = Math.floorMod(offset, x.length - length + 1);
            System.arraycopy(x, start, out, 0, length);
            return out;
        }
        int period = x.length + (int) (gapSeconds * rate);
        int pos = r == null ? 0 : -r.nextInt(period);
        for (; pos < length; pos += period) {
            for (int i = Math.max(0, -pos); i < x.length && pos + i < length; i++) {
                out[pos + i] = x[i];
            }
        }
        return out;
    }

    /** {@code x} resampled by linear interpolation to {@code n} samples (faster and higher, or slower and lower). */
    static float[] stretch(float[] x, int n) {
        if (x.length == n) {
            return x;
        }
        float[] out = new float[n];
        double step = (double) (x.length - 1) / Math.max(1, n - 1);
        for (int i = 0; i < n; i++) {
            double p = i * step;
            int k = (int) p;
            double frac = p - k;
            out[i] = (float) (k + 1 < x.length ? x[k] * (1 - frac) + x[k + 1] * frac : x[k]);
        }
        return out;
    }

    /** Level of a clip in dB relative to full scale (RMS); -200 for digital silence. */
    public static double dbfs(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v * v;
        }
        return sum == 0 ? -200 : 10 * Math.log10(sum / x.length);
    }

    static void scaleTo(float[] x, double targetDbfs) {
        double now = dbfs(x);
        if (now <= -200) {
            return;
        }
        float g = (float) Math.pow(10, (targetDbfs - now) / 20);
        for (int i = 0; i < x.length; i++) {
            x[i] *= g;
        }
    }

    private static void clamp(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(-1f, Math.min(1f, x[i]));
        }
    }
}
