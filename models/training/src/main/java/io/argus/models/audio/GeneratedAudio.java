package io.argus.models.audio;

import io.argus.models.audio.AudioDataset.Source;
import java.util.Random;

/**
 * Audio the project makes itself: coloured noise, steady or in bursts (for 'noise'), near-silent
 * noise (for 'silence') and the archetypes of alarms (for 'alarm'): beeping devices, sirens, phone
 * rings and short melodic ring tones. Added to the packaged recordings of a split.
 */
public final class GeneratedAudio {

    public static final String NOISE_PACKAGE = "generated-noise";
    public static final String SILENCE_PACKAGE = "generated-near-silence";
    public static final String ALARM_PACKAGE = "generated-alarms";

    private GeneratedAudio() {}

    /** {@code count} sources of noise, five seconds each, some of it in bursts. */
    public static void addNoise(AudioDataset data, int rate, int count, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < count; i++) {
            int colour = i % 3;
            float[] x = Noise.coloured(5 * rate, colour, r);
            if (i % 2 == 1) {
                bursts(x, rate, r);
            }
            if (r.nextBoolean()) {
                Biquad.lowPass(rate, 500 + 6000 * r.nextDouble()).applyTwice(x);
            }
            AudioClips.scaleTo(x, -20);
            data.add(new Source(AudioLabels.NOISE, NOISE_PACKAGE, "noise-" + i, x));
        }
    }

    /** {@code count} sources of near-silence (-90 to -55 dBFS), two seconds each. */
    public static void addNearSilence(AudioDataset data, int rate, int count, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < count; i++) {
            float[] x = Noise.coloured(2 * rate, i % 3, r);
            AudioClips.scaleTo(x, -90 + 35 * r.nextDouble());
            data.add(new Source(AudioLabels.SILENCE, SILENCE_PACKAGE, "near-silence-" + i, x));
        }
    }

    /**
     * {@code count} alarms of four seconds each, in turn: beep patterns (smoke alarms, alarm
     * clocks, appliances: 0.8-4 kHz, in groups), sirens (wail, yelp, two-tone), telephone rings
     * (dual tones in national cadences, or a struck bell trilled at 20 Hz) and melodic ring tones
     * (a motif of 3-7 notes in a bright register with a struck timbre, repeated after a pause).
     * What makes these alarms rather than music is the pattern: one voice, repeated, insistent.
     */
    public static void addAlarms(AudioDataset data, int rate, int count, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < count; i++) {
            float[] x = switch (i % 4) {
                case 0 -> Alarms.beeps(4 * rate, rate, r);
                case 1 -> Alarms.siren(4 * rate, rate, r);
                case 2 -> Alarms.ring(4 * rate, rate, r);
                default -> Alarms.ringTone(4 * rate, rate, r);
            };
            AudioClips.scaleTo(x, -20);
            data.add(new Source(AudioLabels.ALARM, ALARM_PACKAGE, "alarm-" + i, x));
        }
    }

    /** Gates noise on and off: bursts of 30-300 ms with decaying envelopes. */
    private static void bursts(float[] x, int rate, Random r) {
        float[] envelope = new float[x.length];
        int pos = 0;
        while (pos < x.length) {
            int len = (int) ((0.03 + 0.27 * r.nextDouble()) * rate);
            for (int i = 0; i < len && pos + i < x.length; i++) {
                envelope[pos + i] = (float) Math.exp(-4.0 * i / len);
            }
            pos += len + (int) (r.nextDouble() * 0.4 * rate);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] *= envelope[i];
        }
    }
}
