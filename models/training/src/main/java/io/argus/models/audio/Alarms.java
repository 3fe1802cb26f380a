package io.argus.models.audio;

import java.util.Random;

/** Synthesised alarm sounds: the patterns devices use to call for attention. */
final class Alarms {

    /** Semitone steps of the major pentatonic scale, the ring tones' usual material. */
    private static final int[] PENTATONIC = {0, 2, 4, 7, 9};

    private Alarms() {}

    /** Groups of 1-4 beeps of one pitch (square-ish or pure), 50-400 ms each, repeated. */
    static float[] beeps(int n, int rate, Random r) {
        float[] x = new float[n];
        double f = 800 + 3200 * r.nextDouble();
        int harmonics = r.nextBoolean() ? 1 : 5;
        int beep = ms(50 + 350 * r.nextDouble(), rate);
        int gap = ms(50 + 250 * r.nextDouble(), rate);
        int group = 1 + r.nextInt(4);
        int pause = ms(200 + 800 * r.nextDouble(), rate);
        int pos = r.nextInt(pause + 1);
        while (pos < n) {
            for (int b = 0; b < group && pos < n; b++) {
                tone(x, pos, beep, f, harmonics, rate);
                pos += beep + gap;
            }
            pos += pause;
        }
        return x;
    }

    /** A siren: wail (slow sweep), yelp (fast sweep) or two-tone (alternating pitches). */
    static float[] siren(int n, int rate, Random r) {
        float[] x = new float[n];
        int kind = r.nextInt(3);
        double low = 450 + 300 * r.nextDouble();
        double high = low * (1.5 + 0.8 * r.nextDouble());
        double period = kind == 0 ? 2 + 3 * r.nextDouble() : kind == 1 ? 0.15 + 0.25 * r.nextDouble()
                : 0.8 + 0.8 * r.nextDouble();
        double phase = 0;
        double t0 = r.nextDouble() * period;
        for (int i = 0; i < n; i++) {
            double u = ((t0 + (double) i / rate) % period) / period;
            double sweep = 0.5 - 0.5 * Math.cos(2 * Math.PI * u);
            double f = kind == 2 ? (u < 0.5 ? low : high) : low + (high - low) * sweep;
            phase += 2 * Math.PI * f / rate;
            // a horn-like spectrum: odd and even harmonics falling off
            x[i] = (float) (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.33 * Math.sin(3 * phase)
                    + 0.2 * Math.sin(4 * phase));
        }
        return x;
    }

    /** A telephone ring: dual tones in a cadence (North American, British double ring, European), or a trilled bell. */
    static float[] ring(int n, int rate, Random r) {
        float[] x = new float[n];
        int kind = r.nextInt(4);
        double[][] cadence = switch (kind) {
            case 0 -> new double[][] {{2.0, 1.0}}; // on 2 s, off (shortened)
            case 1 -> new double[][] {{0.4, 0.2}, {0.4, 1.0}}; // double ring
            case 2 -> new double[][] {{1.0, 1.0}};
            default -> new double[][] {{1.0 + r.nextDouble(), 0.5 + r.nextDouble()}};
        };
        double f1 = kind == 0 ? 440 : kind == 1 ? 400 : 425 + 25 * r.nextDouble();
        double f2 = kind == 0 ? 480 : kind == 1 ? 450 : f1;
        boolean bell = kind == 3;
        double bellPitch = 900 + 1500 * r.nextDouble();
        int pos = -r.nextInt(rate);
        while (pos < n) {
            for (double[] step : cadence) {
                int on = ms(step[0] * 1000, rate);
                for (int i = Math.max(0, -pos); i < on && pos + i < n; i++) {
                    double t = (double) i / rate;
                    double v;
                    if (bell) {
                        // clapper strikes 20 times a second; inharmonic partials of a bell
                        double since = t % 0.05;
                        double decay = Math.exp(-since * 60);
                        double w = 2 * Math.PI * bellPitch * t;
                        v = decay * (Math.sin(w) + 0.6 * Math.sin(2.76 * w) + 0.3 * Math.sin(5.4 * w));
                    } else {
                        v = Math.sin(2 * Math.PI * f1 * t) + Math.sin(2 * Math.PI * f2 * t);
                    }
                    x[pos + i] += (float) v;
                }
                pos += on + ms(step[1] * 1000, rate);
            }
        }
        return x;
    }

    /** A melodic ring tone or notification: a short motif of struck notes, repeated after a pause. */
    static float[] ringTone(int n, int rate, Random r) {
        float[] x = new float[n];
        int notes = 3 + r.nextInt(5);
        double root = 523.25 * Math.pow(2, r.nextInt(12) / 12.0); // C5 to B5
        double[] pitches = new double[notes];
        for (int k = 0; k < notes; k++) {
            int step = PENTATONIC[r.nextInt(PENTATONIC.length)] + 12 * r.nextInt(2);
            pitches[k] = root * Math.pow(2, step / 12.0);
        }
        int note = ms(80 + 170 * r.nextDouble(), rate);
        int timbre = r.nextInt(3);
        int pause = ms(200 + 600 * r.nextDouble(), rate);
        int pos = -r.nextInt(notes * note + pause);
        while (pos < n) {
            for (int k = 0; k < notes; k++) {
                struck(x, pos, (int) (note * 2.5), pitches[k], timbre, rate);
                pos += note;
            }
            pos += pause;
        }
        return x;
    }

    /** A steady tone with {@code harmonics} odd harmonics (1: pure) and 5 ms ramps. */
    private static void tone(float[] x, int start, int length, double f, int harmonics, int rate) {
        int ramp = Math.max(1, rate / 200);
        for (int i = Math.max(0, -start); i < length && start + i < x.length; i++) {
            double t = (double) i / rate;
            double v = 0;
            for (int h = 1; h <= 2 * harmonics - 1; h += 2) {
                if (f * h < rate / 2.0) {
                    v += Math.sin(2 * Math.PI * f * h * t) / h;
                }
            }
            double envelope = Math.min(1, Math.min(i, length - i) / (double) ramp);
            x[start + i] += (float) (v * envelope);
        }
    }

    /** A struck note: marimba-like (partials 1, 4), bell-like (1, 2.76, 5.4) or a soft square; decaying. */
    private static void struck(float[] x, int start, int length, double f, int timbre, int rate) {
        for (int i = Math.max(0, -start); i < length && start + i < x.length; i++) {
            double t = (double) i / rate;
            double w = 2 * Math.PI * f * t;
            double v = switch (timbre) {
                case 0 -> Math.sin(w) * Math.exp(-t * 8) + 0.3 * Math.sin(4 * w) * Math.exp(-t * 30);
                case 1 -> (Math.sin(w) + 0.5 * Math.sin(2.76 * w) + 0.25 * Math.sin(5.4 * w)) * Math.exp(-t * 6);
                default -> (Math.sin(w) + Math.sin(3 * w) / 3 + Math.sin(5 * w) / 5) * Math.exp(-t * 10);
            };
            double attack = Math.min(1, i / (rate * 0.003));
            x[start + i] += (float) (v * attack);
        }
    }

    private static int ms(double millis, int rate) {
        return Math.max(1, (int) (millis * rate / 1000));
    }
}
