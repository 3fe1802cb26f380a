package io.argus.models.signal;

import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.classify.Softmax;
import io.argus.models.input.FrameWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * A measured signal, not a learned model: labels a frame window {@code motion} or {@code still}
 * by its motion energy, the mean absolute difference between consecutive frames (0 = identical
 * frames, 1 = every pixel flipped from black to white).
 *
 * <p>It is the baseline the learned action classifier is compared with, and what the job runs
 * when no model package is configured.
 */
public final class MotionEnergyClassifier implements Classifier<FrameWindow> {

    public static final String NAME = "motion-energy";
    public static final String VERSION = "signal-1";
    public static final List<String> LABELS = List.of("motion", "still");
    /** Default threshold, calibrated on generated footage: codec noise stays well below it. */
    public static final double DEFAULT_THRESHOLD = 0.01;

    private final double threshold;
    private final ModelInfo info = new ModelInfo(NAME, VERSION, LABELS);

    public MotionEnergyClassifier(double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("motion threshold must be in (0, 1): " + threshold);
        }
        this.threshold = threshold;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<Classification> classify(List<FrameWindow> batch) {
        List<Classification> out = new ArrayList<>(batch.size());
        for (FrameWindow w : batch) {
            double energy = energy(w);
            // log-odds of motion: 0 at the threshold, +/-1 per factor of e away from it
            double logOdds = 2.0 * Math.log((energy + 1e-6) / threshold);
            out.add(Classification.of(LABELS, Softmax.of(new double[] {logOdds, 0.0})));
        }
        return out;
    }

    /** Mean absolute difference between consecutive frames of the window, in [0, 1]. */
    public static double energy(FrameWindow w) {
        if (w.frames < 2) {
            return 0;
        }
        int frameSize = w.frameSize();
        byte[] p = w.pixels;
        long sum = 0;
        for (int f = 1; f < w.frames; f++) {
            int cur = f * frameSize;
            int prev = cur - frameSize;
            for (int i = 0; i < frameSize; i++) {
                sum += Math.abs((p[cur + i] & 0xff) - (p[prev + i] & 0xff));
            }
        }
        return sum / (255.0 * frameSize * (w.frames - 1));
    }
}
