package io.argus.models.audio;

import java.util.Random;

/** Generated noise: white, pink (Voss-McCartney-like octave sum) and brown (integrated white). */
final class Noise {

    static final int WHITE = 0;
    static final int PINK = 1;
    static final int BROWN = 2;

    private Noise() {}

    static float[] coloured(int n, int colour, Random r) {
        float[] out = new float[n];
        switch (colour) {
            case WHITE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) r.nextGaussian();
                }
            }
            case PINK -> {
                double[] rows = new double[12];
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int k = Integer.numberOfTrailingZeros(i + 1);
                    if (k < rows.length) {
                        sum -= rows[k];
                        rows[k] = r.nextGaussian();
                        sum += rows[k];
                    }
                    out[i] = (float) (sum + r.nextGaussian());
                }
            }
            default -> {
                double v = 0;
                for (int i = 0; i < n; i++) {
                    v = 0.995 * v + r.nextGaussian();
                    out[i] = (float) v;
                }
            }
        }
        return out;
    }
}
