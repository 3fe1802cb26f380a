package io.argus.models.pose;

import java.util.Random;

/**
 * A person's proportions, in metres, and the 3D positions of the 17 keypoints for a body state.
 * Segment lengths follow common anthropometric ratios of the stature (hip joint at 0.53, shoulder
 * at 0.82, nose at 0.93 of it), each varied a little per person.
 */
final class Body {

    final double height;
    final double thigh;
    final double shin;
    final double ankle;
    final double torso;
    final double head;
    final double upperArm;
    final double forearm;
    final double shoulderHalf;
    final double hipHalf;

    private Body(double height, Random r) {
        this.height = height;
        this.thigh = 0.245 * height * vary(r);
        this.shin = 0.246 * height * vary(r);
        this.ankle = 0.039 * height;
        this.torso = 0.29 * height * vary(r);
        this.head = 0.11 * height * vary(r);
        this.upperArm = 0.186 * height * vary(r);
        this.forearm = 0.146 * height * vary(r);
        this.shoulderHalf = 0.13 * height * vary(r);
        this.hipHalf = 0.085 * height * vary(r);
    }

    /** An adult of 1.50-1.95 m, or one time in ten a child of 1.10-1.45 m. */
    static Body random(Random r) {
        double h = r.nextDouble() < 0.1 ? 1.10 + 0.35 * r.nextDouble() : 1.50 + 0.45 * r.nextDouble();
        return new Body(h, r);
    }

    /** Height of the hip joints above the ground when standing straight. */
    double hipHeight() {
        return thigh + shin + ankle;
    }

    private static double vary(Random r) {
        return 1 + 0.06 * (2 * r.nextDouble() - 1);
    }

    /**
     * The joint angles and root of a body at one instant, in radians and metres (world frame: x, y
     * on the ground, z up).
     */
    static final class State {
        /** Midpoint of the hip joints. */
        double px;
        double py;
        double pz;
        /** Direction the body faces, around z. */
        double heading;
        /** Forward lean of the torso from vertical. */
        double lean;
        /** Sideways lean of the torso (towards the right side when positive). */
        double sideLean;
        /** Head turn relative to the body. */
        double headYaw;
        /** Head tilt down. */
        double headPitch;
        /** Per side (0 left, 1 right): hip flexion forward from vertical. */
        final double[] hipFlex = new double[2];
        /** Per side: knee flexion (the shin bends back). */
        final double[] kneeFlex = new double[2];
        /** Per side: leg raised sideways. */
        final double[] legAbduct = new double[2];
        /** Per side: shoulder flexion forward from hanging. */
        final double[] shoulderFlex = new double[2];
        /** Per side: arm raised sideways (90 degrees: horizontal, 180: straight up). */
        final double[] shoulderAbduct = new double[2];
        /** Per side: elbow flexion. */
        final double[] elbowFlex = new double[2];
        /**
         * Per side: which way the forearm bends, as an angle around the upper arm: 0 forward, pi/2
         * towards the body's midline, -pi/2 away from it.
         */
        final double[] elbowTwist = new double[2];
        /** Per side: how much the forearm bends upwards instead (1: straight towards the sky, as in a wave). */
        final double[] elbowLift = new double[2];
    }

    /** The 17 keypoints of {@code s} in world coordinates: {@code out[k] = {x, y, z}}. */
    double[][] joints(State s) {
        double[] f = {Math.cos(s.heading), Math.sin(s.heading), 0};
        double[] right = {Math.sin(s.heading), -Math.cos(s.heading), 0};
        double[] up = {0, 0, 1};
        double[][] out = new double[Keypoint.COUNT][];
        double[] pelvis = {s.px, s.py, s.pz};
        // torso: up, leaned forward and sideways
        double[] torsoDir = unit(add(scale(up, Math.cos(s.lean) * Math.cos(s.sideLean)),
                scale(f, Math.sin(s.lean)), scale(right, Math.sin(s.sideLean))));
        double[] neck = add(pelvis, scale(torsoDir, torso));
        for (int side = 0; side < 2; side++) {
            double sign = side == 0 ? -1 : 1; // left is -right
            double[] hip = add(pelvis, scale(right, sign * hipHalf));
            double[] thighDir = unit(add(scale(up, -Math.cos(s.hipFlex[side]) * Math.cos(s.legAbduct[side])),
                    scale(f, Math.sin(s.hipFlex[side])), scale(right, sign * Math.sin(s.legAbduct[side]))));
            double[] knee = add(hip, scale(thighDir, thigh));
            double shinAngle = s.hipFlex[side] - s.kneeFlex[side];
            double[] shinDir = unit(add(scale(up, -Math.cos(shinAngle) * Math.cos(s.legAbduct[side])),
                    scale(f, Math.sin(shinAngle)), scale(right, sign * Math.sin(s.legAbduct[side]))));
            double[] ankleJoint = add(knee, scale(shinDir, shin));
            double[] shoulder = add(add(neck, scale(right, sign * shoulderHalf)), scale(torsoDir, -0.02 * height));
            double[] upperDir = armDirection(s.shoulderFlex[side], s.shoulderAbduct[side], f, scale(right, sign), up);
            double[] elbow = add(shoulder, scale(upperDir, upperArm));
            double[] bendTowards = forearmBend(upperDir, f, scale(right, -sign), up, s.elbowTwist[side],
                    s.elbowLift[side]);
            double[] foreDir = unit(add(scale(upperDir, Math.cos(s.elbowFlex[side])),
                    scale(bendTowards, Math.sin(s.elbowFlex[side]))));
            double[] wrist = add(elbow, scale(foreDir, forearm));
            out[Keypoint.LEFT_HIP.ordinal() + side] = hip;
            out[Keypoint.LEFT_KNEE.ordinal() + side] = knee;
            out[Keypoint.LEFT_ANKLE.ordinal() + side] = ankleJoint;
            out[Keypoint.LEFT_SHOULDER.ordinal() + side] = shoulder;
            out[Keypoint.LEFT_ELBOW.ordinal() + side] = elbow;
            out[Keypoint.LEFT_WRIST.ordinal() + side] = wrist;
        }
        // head: the face looks along the heading turned by the head's yaw, tilted down by its pitch
        double hy = s.heading + s.headYaw;
        double[] face = {Math.cos(hy) * Math.cos(s.headPitch), Math.sin(hy) * Math.cos(s.headPitch),
                -Math.sin(s.headPitch)};
        double[] faceRight = {Math.sin(hy), -Math.cos(hy), 0};
        double[] headCentre = add(neck, scale(torsoDir, 0.75 * head));
        double[] nose = add(headCentre, scale(face, 0.09 * height * 0.5));
        out[Keypoint.NOSE.ordinal()] = nose;
        for (int side = 0; side < 2; side++) {
            double sign = side == 0 ? -1 : 1;
            out[Keypoint.LEFT_EYE.ordinal() + side] = add(add(nose, scale(faceRight, sign * 0.018 * height)),
                    add(scale(up, 0.018 * height), scale(face, -0.01 * height)));
            out[Keypoint.LEFT_EAR.ordinal() + side] = add(headCentre, scale(faceRight, sign * 0.045 * height));
        }
        return out;
    }

    /**
     * Upper-arm direction: hanging, raised sideways by {@code abduct} in the frontal plane, then
     * turned forward by {@code flex} around the shoulders' axis.
     */
    private static double[] armDirection(double flex, double abduct, double[] f, double[] out, double[] up) {
        return add(scale(up, -Math.cos(abduct) * Math.cos(flex)), scale(f, Math.cos(abduct) * Math.sin(flex)),
                scale(out, Math.sin(abduct)));
    }

    /**
     * A unit vector perpendicular to the upper arm, turned from forward towards the midline by
     * {@code twist}, and towards the sky by {@code lift}.
     */
    private static double[] forearmBend(double[] upper, double[] f, double[] inward, double[] up, double twist,
            double lift) {
        double[] want = add(scale(add(scale(f, Math.cos(twist)), scale(inward, Math.sin(twist))), 1 - lift),
                scale(up, lift));
        double[] perp = sub(want, scale(upper, dot(want, upper)));
        double n = norm(perp);
        if (n < 1e-6) {
            perp = sub(inward, scale(upper, dot(inward, upper)));
            n = norm(perp);
        }
        return scale(perp, 1 / n);
    }

    static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    static double[] add(double[] a, double[] b, double[] c) {
        return new double[] {a[0] + b[0] + c[0], a[1] + b[1] + c[1], a[2] + b[2] + c[2]};
    }

    static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static double[] unit(double[] a) {
        return scale(a, 1 / norm(a));
    }
}
