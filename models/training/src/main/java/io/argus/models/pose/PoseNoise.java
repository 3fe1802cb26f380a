package io.argus.models.pose;

import java.util.Random;

/**
 * The errors a pose model makes on real footage, applied to clean projected keypoints. Each track
 * draws a quality (how well the model sees this person; smaller people are seen worse), and from
 * it: the person score, each keypoint's score, per-frame jitter in units of the box height (smaller
 * on the face, larger at wrists and ankles, one frame in ten three times as large, three times
 * larger again for points scored below 0.3, whose positions are guesses), a fixed per-track offset
 * of each point, left/right swaps, a body part occluded for part of the window, frames in which the
 * person is missed, and slots that repeat the previous frame (sources slower than the slot rate).
 *
 * @param jitter frame-to-frame keypoint jitter of a well-seen person, in box heights
 * @param smallJitter extra jitter of a poorly seen (small) person, in box heights
 * @param swapRate chance per frame and limb pair that left and right are swapped
 * @param missRate largest chance per frame that the person is missed
 * @param armLoss how much lower the wrists' scores are, on average, than the torso's (the elbows'
 *     half that)
 */
public record PoseNoise(double jitter, double smallJitter, double swapRate, double missRate, double armLoss) {

    /**
     * As MoveNet MultiPose errs at 384x288 on real street footage seen from above
     * (models/pretrained/movenet/README.md): median jitter 2.2% of the box height (face 1.2%, wrists
     * and ankles about 4%), the 90th percentile about three times the median, a third of the wrists
     * and a seventh of the elbows scored below 0.3, knees and ankles one in twenty.
     */
    public static PoseNoise defaults() {
        return new PoseNoise(0.012, 0.03, 0.02, 0.2, 0.35);
    }

    TrackWindow apply(float[] clean, float aspect, Random r) {
        int slots = clean.length / Poses.STRIDE;
        float[] out = clean.clone();
        boolean[] present = new boolean[slots];
        double meanHeight = 0;
        for (int s = 0; s < slots; s++) {
            meanHeight += out[s * Poses.STRIDE + Poses.BOX + 2] - out[s * Poses.STRIDE + Poses.BOX];
        }
        meanHeight /= slots;
        // small people are seen worse: quality 0.3 at 5% of the frame height, 1 from 40% up
        double quality = Math.min(1, Math.max(0.15, 0.3 + 0.7 * (meanHeight - 0.05) / 0.35
                + 0.15 * r.nextGaussian()));
        double baseScore = 0.2 + 0.6 * quality + 0.05 * r.nextGaussian();
        double[] visibility = new double[Keypoint.COUNT];
        double[] biasX = new double[Keypoint.COUNT];
        double[] biasY = new double[Keypoint.COUNT];
        double[] spread = new double[Keypoint.COUNT];
        for (int k = 0; k < Keypoint.COUNT; k++) {
            boolean wrist = k == Keypoint.LEFT_WRIST.ordinal() || k == Keypoint.RIGHT_WRIST.ordinal();
            boolean elbow = k == Keypoint.LEFT_ELBOW.ordinal() || k == Keypoint.RIGHT_ELBOW.ordinal();
            boolean ankle = k == Keypoint.LEFT_ANKLE.ordinal() || k == Keypoint.RIGHT_ANKLE.ordinal();
            boolean face = k <= Keypoint.RIGHT_EAR.ordinal();
            visibility[k] = Math.max(0.1, 1 - (wrist ? armLoss : elbow ? armLoss / 2 : 0) - (ankle ? 0.05 : 0)
                    + 0.2 * r.nextGaussian());
            spread[k] = face ? 0.55 : wrist || ankle ? 1.8 : 1;
            biasX[k] = 0.02 * r.nextGaussian();
            biasY[k] = 0.02 * r.nextGaussian();
        }
        double sigma = jitter + smallJitter * (1 - quality);
        double miss = missRate * r.nextDouble() * r.nextDouble();
        double repeat = r.nextDouble() < 0.2 ? 0.2 + 0.5 * r.nextDouble() : 0;
        // a body part hidden for a run of frames: the lower body, or one side
        int occluded = r.nextDouble() < 0.25 ? r.nextInt(3) : -1;
        int occFrom = r.nextInt(slots);
        int occTo = occFrom + 1 + r.nextInt(slots);
        for (int s = 0; s < slots; s++) {
            int o = s * Poses.STRIDE;
            double bh = out[o + Poses.BOX + 2] - out[o + Poses.BOX];
            for (int k = 0; k < Keypoint.COUNT; k++) {
                boolean inFrame = clean[o + k * 3 + 2] > 0;
                double score = baseScore * visibility[k] + 0.08 * r.nextGaussian();
                if (s >= occFrom && s < occTo && occludedBy(occluded, k)) {
                    score *= 0.3;
                }
                if (!inFrame) {
                    score *= 0.1;
                }
                score = Math.min(0.99, Math.max(0.01, score));
                double sd = sigma * spread[k] * (score < 0.3 ? 3 : 1) * (r.nextDouble() < 0.1 ? 3 : 1) * bh;
                out[o + k * 3] = (float) (clean[o + k * 3] + biasY[k] * bh + sd * r.nextGaussian());
                out[o + k * 3 + 1] = (float) (clean[o + k * 3 + 1] + (biasX[k] * bh + sd * r.nextGaussian()) / aspect);
                out[o + k * 3 + 2] = (float) score;
            }
            for (int pair = 0; pair < 3; pair++) {
                if (r.nextDouble() < swapRate) {
                    swap(out, o, pair);
                }
            }
            double boxJitter = 0.03 * bh;
            for (int b = 0; b < 4; b++) {
                out[o + Poses.BOX + b] += (float) (boxJitter * r.nextGaussian() / (b % 2 == 1 ? aspect : 1));
            }
            out[o + Poses.SCORE] = (float) Math.min(0.99, Math.max(0.05, baseScore + 0.05 * r.nextGaussian()));
            present[s] = r.nextDouble() >= miss;
            if (s > 0 && r.nextDouble() < repeat && present[s - 1]) {
                System.arraycopy(out, o - Poses.STRIDE, out, o, Poses.STRIDE);
                present[s] = true;
            }
        }
        ensureSeen(present, r);
        for (int s = 0; s < slots; s++) {
            if (!present[s]) {
                java.util.Arrays.fill(out, s * Poses.STRIDE, (s + 1) * Poses.STRIDE, 0f);
            }
        }
        return new TrackWindow(0, out, present, aspect);
    }

    /** A track the tracker would keep is seen in at least half its slots. */
    private static void ensureSeen(boolean[] present, Random r) {
        int seen = 0;
        for (boolean p : present) {
            seen += p ? 1 : 0;
        }
        while (seen < (present.length + 1) / 2) {
            int s = r.nextInt(present.length);
            if (!present[s]) {
                present[s] = true;
                seen++;
            }
        }
    }

    private static boolean occludedBy(int part, int k) {
        return switch (part) {
            case 0 -> k >= Keypoint.LEFT_HIP.ordinal();
            case 1 -> k > 0 && k % 2 == 1;
            case 2 -> k > 0 && k % 2 == 0;
            default -> false;
        };
    }

    /** Swaps left and right of one limb pair: 0 arms, 1 legs, 2 hips and shoulders. */
    private static void swap(float[] p, int o, int pair) {
        int[][] pairs = {
            {Keypoint.LEFT_ELBOW.ordinal(), Keypoint.LEFT_WRIST.ordinal()},
            {Keypoint.LEFT_KNEE.ordinal(), Keypoint.LEFT_ANKLE.ordinal()},
            {Keypoint.LEFT_SHOULDER.ordinal(), Keypoint.LEFT_HIP.ordinal()}};
        for (int left : pairs[pair]) {
            for (int c = 0; c < 3; c++) {
                int a = o + left * 3 + c;
                int b = o + (left + 1) * 3 + c;
                float t = p[a];
                p[a] = p[b];
                p[b] = t;
            }
        }
    }
}
