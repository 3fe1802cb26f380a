package io.argus.models.audio;

import java.util.Random;

/**
 * A small Schroeder reverberator (four parallel feedback combs, then two all-passes), used to make
 * training clips sound as if recorded in rooms of different sizes. Linear in the clip's length.
 */
final class Reverb {

    /** Comb delays of a medium room, in seconds; each clip scales them by 0.7-1.3. */
    private static final double[] COMBS = {0.0297, 0.0371, 0.0411, 0.0437};
    private static final double[] ALL_PASSES = {0.005, 0.0017};

    private Reverb() {}

    /**
     * Adds reverberation to {@code x} in place.
     *
     * @param rt60 seconds for the tail to fall by 60 dB
     * @param wet share of the reverberated signal in the mix (0-1)
     */
    static void apply(float[] x, int rate, double rt60, double wet, Random r) {
        double size = 0.7 + 0.6 * r.nextDouble();
        float[] tail = new float[x.length];
        for (double seconds : COMBS) {
            int delay = Math.max(1, (int) (seconds * size * rate));
            float g = (float) Math.pow(10, -3 * seconds * size / rt60);
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] + (i >= delay ? g * y[i - delay] : 0);
                tail[i] += y[i] / COMBS.length;
            }
        }
        for (double seconds : ALL_PASSES) {
            int delay = Math.max(1, (int) (seconds * rate));
            float g = 0.7f;
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                float back = i >= delay ? tail[i - delay] : 0;
                float fed = i >= delay ? y[i - delay] : 0;
                y[i] = -g * tail[i] + back + g * fed;
            }
            tail = y;
        }
        double dry = AudioClips.dbfs(x);
        AudioClips.scaleTo(tail, dry);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((1 - wet) * x[i] + wet * tail[i]);
        }
    }
}
