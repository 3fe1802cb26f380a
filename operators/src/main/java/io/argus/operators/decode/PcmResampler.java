package io.argus.operators.decode;

import be.tarsos.dsp.resample.Resampler;
import io.argus.connectors.deadletter.DeadLetterReason;
import java.util.Arrays;

/**
 * Resamples one record's mono PCM to the decoder's target rate with TarsosDSP's band-limited
 * (high-quality sinc) resampler, so that models see one rate whatever the microphones send.
 *
 * <p>Building the resampler's filter table takes tens of milliseconds, so one template covering
 * every rate the wire format accepts is built once and copied (a fraction of a millisecond) for
 * each record: a resampler carries the state of one signal and cannot be reused.
 */
final class PcmResampler {

    /** Lowest and highest sample rates a record may declare (as the wire format checks). */
    static final int MIN_RATE = 1000;
    static final int MAX_RATE = 384_000;

    private final int targetRate;
    private final Resampler template;

    PcmResampler(int targetRate) {
        this.targetRate = requireRate(targetRate);
        this.template = new Resampler(true, (double) targetRate / MAX_RATE, (double) targetRate / MIN_RATE);
    }

    /** Validates a target rate; the message names the setting. */
    static int requireRate(int targetRate) {
        if (targetRate < MIN_RATE || targetRate > MAX_RATE) {
            throw new IllegalArgumentException("audio target sample rate must be " + MIN_RATE + ".." + MAX_RATE
                    + " Hz: " + targetRate);
        }
        return targetRate;
    }

    /** Mono samples at {@code sourceRate} (at most {@code maxOut} after resampling) at the target rate. */
    float[] resample(float[] mono, int sourceRate, long maxOut) throws DecodeException {
        if (sourceRate == targetRate) {
            return mono;
        }
        if (sourceRate < MIN_RATE || sourceRate > MAX_RATE) {
            throw new DecodeException(DeadLetterReason.OVER_LIMIT,
                    "sample rate " + sourceRate + " Hz is outside " + MIN_RATE + ".." + MAX_RATE);
        }
        double factor = (double) targetRate / sourceRate;
        long expected = (long) Math.ceil(mono.length * factor);
        if (expected > maxOut) {
            throw new DecodeException(DeadLetterReason.OVER_LIMIT,
                    "record resamples to more than " + maxOut + " samples");
        }
        float[] out = new float[(int) expected + 16];
        Resampler.Result r = new Resampler(template).process(factor, mono, 0, mono.length, true, out, 0, out.length);
        return Arrays.copyOf(out, r.outputSamplesGenerated);
    }
}
