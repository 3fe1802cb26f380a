package io.argus.models.pose;

import io.argus.models.action.Action;
import java.util.Random;

/**
 * Labelled person tracks made without a camera: a 3D body doing an action ({@link Motion}),
 * filmed by a random fixed camera (height, pitch from level down to almost straight down, yaw,
 * field of view, aspect), projected to the frame, and spoilt the way a pose model spoils real
 * keypoints ({@link PoseNoise}): jitter growing as people get smaller, low scores and wild guesses
 * for hidden points, left/right swaps, occlusion, missed frames, repeated frames of slow sources.
 * A share of the idle tracks are the pose model's false finds: a few low-scored points that jump
 * about a still box.
 */
public final class SyntheticTracks {

    private static final double DEG = Math.PI / 180;

    private final int slots;
    private final double fps;
    private final PoseNoise noise;

    /**
     * @param slots slots per window
     * @param fps slots per second
     */
    public SyntheticTracks(int slots, double fps, PoseNoise noise) {
        this.slots = slots;
        this.fps = fps;
        this.noise = noise;
    }

    /** One track of {@code action}, entirely determined by {@code r}'s state. */
    public TrackWindow generate(Action action, Random r) {
        if (action == Action.IDLE && r.nextDouble() < 0.08) {
            return falseFind(r);
        }
        for (int attempt = 0; ; attempt++) {
            Body body = Body.random(r);
            Motion motion = Motion.random(action, body, r);
            double t0 = 10 * r.nextDouble();
            double[][][] joints = new double[slots][][];
            for (int s = 0; s < slots; s++) {
                joints[s] = body.joints(motion.at(t0 + s / fps));
            }
            Camera camera = Camera.random(joints, body, r);
            float[] clean = camera.project(joints);
            if (clean != null || attempt > 50) {
                return noise.apply(clean != null ? clean : fallback(joints, r), camera.aspect, r);
            }
        }
    }

    private float[] fallback(double[][][] joints, Random r) {
        // a plain side view from eye height always frames the person
        Camera c = Camera.level(joints, r);
        return c.project(joints);
    }

    /** A false find: a still box with a few low-scored points that jump about inside it. */
    private TrackWindow falseFind(Random r) {
        float aspect = Camera.randomAspect(r);
        float h = (float) (0.05 + 0.3 * r.nextDouble());
        float w = (float) (h * (0.3 + 0.7 * r.nextDouble()) / aspect);
        float y0 = (float) (r.nextDouble() * (1 - h));
        float x0 = (float) (r.nextDouble() * (1 - w));
        float score = (float) (0.15 + 0.2 * r.nextDouble());
        float[] poses = new float[slots * Poses.STRIDE];
        boolean[] present = new boolean[slots];
        for (int s = 0; s < slots; s++) {
            present[s] = r.nextDouble() < 0.8;
            int o = s * Poses.STRIDE;
            for (int k = 0; k < Keypoint.COUNT; k++) {
                poses[o + k * 3] = y0 + h * (float) r.nextDouble();
                poses[o + k * 3 + 1] = x0 + w * (float) r.nextDouble();
                poses[o + k * 3 + 2] = (float) (0.4 * r.nextDouble() * r.nextDouble());
            }
            float j = (float) (0.05 * h * r.nextGaussian());
            poses[o + Poses.BOX] = y0 + j;
            poses[o + Poses.BOX + 1] = x0 + j;
            poses[o + Poses.BOX + 2] = y0 + h + j;
            poses[o + Poses.BOX + 3] = x0 + w + j;
            poses[o + Poses.SCORE] = score + (float) (0.03 * r.nextGaussian());
        }
        if (!present[0] && !present[slots - 1]) {
            present[slots / 2] = true;
        }
        return new TrackWindow(0, poses, present, aspect);
    }

    /** A fixed pinhole camera looking at the person's path. */
    static final class Camera {
        final float aspect;
        private final double[] position;
        private final double[] forward;
        private final double[] right;
        private final double[] up;
        private final double fx;
        private final double fy;
        private final double roll;

        private Camera(double[] position, double[] target, double fovH, float aspect, double roll) {
            this.aspect = aspect;
            this.position = position;
            this.forward = Body.unit(Body.sub(target, position));
            this.right = Body.unit(cross(forward, new double[] {0, 0, 1}));
            this.up = cross(right, forward);
            this.fx = 0.5 / Math.tan(fovH / 2);
            this.fy = fx * aspect;
            this.roll = roll;
        }

        static float randomAspect(Random r) {
            double u = r.nextDouble();
            return (float) (u < 0.45 ? 4.0 / 3 : u < 0.85 ? 16.0 / 9 : u < 0.95 ? 5.0 / 4 : 1.0);
        }

        /**
         * A camera from 1 to 15 m up, pitched at the person (so from level to nearly straight
         * down), far enough for the person to stand 7% to 70% of the frame's height, the person
         * anywhere in the frame.
         */
        static Camera random(double[][][] joints, Body body, Random r) {
            double[] mid = centre(joints);
            float aspect = randomAspect(r);
            double fovH = Motion.range(r, 45, 100) * DEG;
            double fy = 0.5 / Math.tan(fovH / 2) * aspect;
            double share = Math.exp(Motion.range(r, Math.log(0.07), Math.log(0.7)));
            double range = fy * body.height / share;
            double height = r.nextDouble() < 0.3 ? Motion.range(r, 1.0, 2.5) : Math.exp(Motion.range(r,
                    Math.log(2.5), Math.log(15)));
            double drop = Math.min(height - mid[2], range * Math.sin(80 * DEG));
            height = mid[2] + drop;
            double distance = Math.sqrt(Math.max(0.25, range * range - drop * drop));
            double azimuth = 2 * Math.PI * r.nextDouble();
            double[] pos = {mid[0] + distance * Math.cos(azimuth), mid[1] + distance * Math.sin(azimuth), height};
            // aim a little away from the person so that they are not always in the middle
            double spread = range * Math.tan(fovH / 2) * 0.6;
            double[] target = {mid[0] + spread * (2 * r.nextDouble() - 1), mid[1] + spread * (2 * r.nextDouble() - 1),
                    mid[2] + spread * 0.5 * (2 * r.nextDouble() - 1)};
            double[] dir = Body.sub(target, pos);
            if (Math.hypot(dir[0], dir[1]) < Math.abs(dir[2]) * Math.tan(5 * DEG)) { // never straight down
                target[0] = pos[0] + Math.cos(azimuth + Math.PI) * Math.abs(dir[2]) * 0.1;
                target[1] = pos[1] + Math.sin(azimuth + Math.PI) * Math.abs(dir[2]) * 0.1;
            }
            return new Camera(pos, target, fovH, aspect, Motion.range(r, -4, 4) * DEG);
        }

        /** A level camera from the side, far enough for the whole path. */
        static Camera level(double[][][] joints, Random r) {
            double[] mid = centre(joints);
            double[] first = joints[0][Keypoint.LEFT_HIP.ordinal()];
            double[] last = joints[joints.length - 1][Keypoint.LEFT_HIP.ordinal()];
            double path = Math.hypot(last[0] - first[0], last[1] - first[1]);
            double distance = Math.max(4, 2 * path + 3);
            double azimuth = 2 * Math.PI * r.nextDouble();
            double[] pos = {mid[0] + distance * Math.cos(azimuth), mid[1] + distance * Math.sin(azimuth), 1.5};
            return new Camera(pos, mid, 70 * DEG, 4f / 3, 0);
        }

        /**
         * The keypoints as the pose model would place them in every slot, with a box around them
         * and scores of 1 (0 for points behind the camera or outside the frame); null when the
         * person is too small, too large or mostly outside the frame.
         */
        float[] project(double[][][] joints) {
            int slots = joints.length;
            float[] out = new float[slots * Poses.STRIDE];
            int framed = 0;
            double heightSum = 0;
            for (int s = 0; s < slots; s++) {
                int o = s * Poses.STRIDE;
                double ymin = Double.MAX_VALUE;
                double xmin = Double.MAX_VALUE;
                double ymax = -Double.MAX_VALUE;
                double xmax = -Double.MAX_VALUE;
                int inside = 0;
                for (int k = 0; k < Keypoint.COUNT; k++) {
                    double[] rel = Body.sub(joints[s][k], position);
                    double zc = Body.dot(rel, forward);
                    if (zc < 0.2) {
                        return null;
                    }
                    double xc = Body.dot(rel, right) / zc;
                    double yc = Body.dot(rel, up) / zc;
                    double xr = xc * Math.cos(roll) - yc * Math.sin(roll);
                    double yr = xc * Math.sin(roll) + yc * Math.cos(roll);
                    double x = 0.5 + fx * xr;
                    double y = 0.5 - fy * yr;
                    boolean in = x >= 0 && x <= 1 && y >= 0 && y <= 1;
                    inside += in ? 1 : 0;
                    out[o + k * 3] = (float) y;
                    out[o + k * 3 + 1] = (float) x;
                    out[o + k * 3 + 2] = in ? 1 : 0;
                    ymin = Math.min(ymin, y);
                    xmin = Math.min(xmin, x);
                    ymax = Math.max(ymax, y);
                    xmax = Math.max(xmax, x);
                }
                // the box reaches above the eyes and below the ankles, as a detector's box does
                double bh = ymax - ymin;
                ymin -= 0.12 * bh;
                ymax += 0.05 * bh;
                double bw = xmax - xmin;
                xmin -= 0.08 * bw;
                xmax += 0.08 * bw;
                out[o + Poses.BOX] = (float) ymin;
                out[o + Poses.BOX + 1] = (float) xmin;
                out[o + Poses.BOX + 2] = (float) ymax;
                out[o + Poses.BOX + 3] = (float) xmax;
                out[o + Poses.SCORE] = 1;
                if (inside >= 12) {
                    framed++;
                }
                heightSum += ymax - ymin;
            }
            double meanHeight = heightSum / slots;
            if (framed < slots * 0.6 || meanHeight < 0.05 || meanHeight > 0.95) {
                return null;
            }
            return out;
        }

        private static double[] centre(double[][][] joints) {
            double[] c = new double[3];
            int n = 0;
            for (double[][] slot : joints) {
                for (double[] j : slot) {
                    c[0] += j[0];
                    c[1] += j[1];
                    c[2] += j[2];
                    n++;
                }
            }
            return Body.scale(c, 1.0 / n);
        }

        private static double[] cross(double[] a, double[] b) {
            return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
        }
    }
}
