package io.argus.models.pose;

import io.argus.models.action.Action;
import java.util.Random;

/**
 * How a body moves over time while doing one action, with its own randomly drawn style (speed,
 * cadence, amplitudes, arm habits, phase), in world coordinates. Cadences and amplitudes follow
 * common gait figures: walking about 1.6-2.2 steps/s at 0.9-1.8 m/s, running 2.6-3.4 steps/s at
 * 2.5-5.5 m/s.
 */
abstract class Motion {

    private static final double DEG = Math.PI / 180;

    final Body body;
    double heading;
    double x0;
    double y0;
    /** Head turn and tilt, drifting slowly. */
    private final double headYaw0;
    private final double headYawRate;
    private final double headPitch;

    Motion(Body body, Random r) {
        this.body = body;
        this.heading = 2 * Math.PI * r.nextDouble();
        this.headYaw0 = range(r, -35, 35) * DEG;
        this.headYawRate = r.nextDouble() < 0.3 ? range(r, -20, 20) * DEG : 0;
        this.headPitch = range(r, -5, 25) * DEG;
    }

    /** The body's state at {@code t} seconds. */
    final Body.State at(double t) {
        Body.State s = new Body.State();
        s.heading = heading;
        s.px = x0;
        s.py = y0;
        s.pz = body.hipHeight();
        s.headYaw = Math.max(-70 * DEG, Math.min(70 * DEG, headYaw0 + headYawRate * t));
        s.headPitch = headPitch;
        pose(t, s);
        return s;
    }

    /** Puts the body at {@code (x, y)}, facing {@code heading}, at time 0. */
    final Motion placed(double x, double y, double newHeading) {
        this.x0 = x;
        this.y0 = y;
        this.heading = newHeading;
        return this;
    }

    /** Metres per second the body travels along its heading (0 for actions in place). */
    double speed() {
        return 0;
    }

    /** Fills in the action's part of the state. */
    abstract void pose(double t, Body.State s);

    static Motion random(Action action, Body body, Random r) {
        return switch (action) {
            case WALKING -> new Walking(body, r, false);
            case RUNNING -> new Walking(body, r, true);
            case WAVING -> new Waving(body, r);
            case JUMPING -> new Jumping(body, r);
            case IDLE -> r.nextDouble() < 0.3 ? new Sitting(body, r) : new Standing(body, r);
        };
    }

    static double range(Random r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** Arms that are not part of the action: hanging, bent in front (a phone), on the hips, crossed. */
    static final class ArmHabit {
        final double flex;
        final double abduct;
        final double elbow;
        final double twist;

        ArmHabit(Random r) {
            double u = r.nextDouble();
            if (u < 0.5) { // hanging
                flex = range(r, -5, 15) * DEG;
                abduct = range(r, 0, 15) * DEG;
                elbow = range(r, 0, 30) * DEG;
                twist = range(r, 0, 60) * DEG;
            } else if (u < 0.7) { // something held in front
                flex = range(r, 10, 40) * DEG;
                abduct = range(r, 0, 15) * DEG;
                elbow = range(r, 70, 110) * DEG;
                twist = range(r, 20, 70) * DEG;
            } else if (u < 0.85) { // hand on the hip
                flex = range(r, -10, 10) * DEG;
                abduct = range(r, 35, 55) * DEG;
                elbow = range(r, 80, 120) * DEG;
                twist = range(r, 80, 100) * DEG;
            } else { // arms crossed
                flex = range(r, 15, 35) * DEG;
                abduct = range(r, 5, 20) * DEG;
                elbow = range(r, 110, 140) * DEG;
                twist = range(r, 80, 100) * DEG;
            }
        }

        void apply(Body.State s, int side) {
            s.shoulderFlex[side] = flex;
            s.shoulderAbduct[side] = abduct;
            s.elbowFlex[side] = elbow;
            s.elbowTwist[side] = twist;
        }
    }

    /** Walking or running along the heading, with swinging legs and arms (or one arm held still). */
    static final class Walking extends Motion {
        private final double stride;
        private final double speed;
        private final double phase;
        private final double hipAmp;
        private final double kneeMax;
        private final double armAmp;
        private final double elbow;
        private final double lean;
        private final double bob;
        private double turnRate;
        private final ArmHabit[] held = new ArmHabit[2];

        Walking(Body body, Random r, boolean running) {
            super(body, r);
            double stepsPerSecond = running ? range(r, 2.6, 3.4) : range(r, 1.6, 2.2);
            double stepLength = (running ? range(r, 0.6, 1.0) : range(r, 0.32, 0.45)) * body.height;
            stride = stepsPerSecond / 2;
            speed = stepsPerSecond * stepLength;
            phase = 2 * Math.PI * r.nextDouble();
            hipAmp = (running ? range(r, 35, 50) : range(r, 16, 28)) * DEG;
            kneeMax = (running ? range(r, 85, 115) : range(r, 45, 65)) * DEG;
            armAmp = (running ? range(r, 30, 55) : range(r, 8, 30)) * DEG;
            elbow = (running ? range(r, 75, 105) : range(r, 5, 35)) * DEG;
            lean = (running ? range(r, 6, 16) : range(r, -2, 6)) * DEG;
            bob = running ? range(r, 0.04, 0.09) : range(r, 0.01, 0.035);
            turnRate = r.nextDouble() < 0.2 ? range(r, -25, 25) * DEG : 0;
            if (!running && r.nextDouble() < 0.3) { // carries something, or a hand in a pocket
                held[r.nextInt(2)] = new ArmHabit(r);
            }
        }

        @Override
        double speed() {
            return speed;
        }

        /** The same walk without turning: a straight path. */
        Walking straight() {
            turnRate = 0;
            return this;
        }

        @Override
        void pose(double t, Body.State s) {
            double h = heading + turnRate * t;
            s.heading = h;
            double dist = speed * t;
            s.px = x0 + dist * Math.cos(heading + turnRate * t / 2);
            s.py = y0 + dist * Math.sin(heading + turnRate * t / 2);
            double w = 2 * Math.PI * stride * t + phase;
            s.pz = body.hipHeight() - bob + bob * Math.cos(2 * w);
            s.lean = lean;
            s.sideLean = 0.02 * Math.sin(w);
            for (int side = 0; side < 2; side++) {
                double ws = w + side * Math.PI;
                s.hipFlex[side] = 0.1 * hipAmp + hipAmp * Math.sin(ws);
                // the knee bends while the leg swings forward
                double swing = Math.max(0, Math.cos(ws));
                s.kneeFlex[side] = 5 * DEG + kneeMax * Math.pow(swing, 1.5);
                if (held[side] != null) {
                    held[side].apply(s, side);
                } else {
                    s.shoulderFlex[side] = -armAmp * Math.sin(ws) + 0.1 * armAmp;
                    s.shoulderAbduct[side] = 8 * DEG;
                    s.elbowFlex[side] = elbow + 0.3 * elbow * Math.max(0, -Math.sin(ws));
                    s.elbowTwist[side] = 20 * DEG;
                }
            }
        }
    }

    /** Standing: weight shifts and sway, arms by habit, now and then a small gesture. */
    static class Standing extends Motion {
        private final double swayAmp;
        private final double swayRate;
        private final double phase;
        private final ArmHabit[] arms = {null, null};
        private final int gestureSide;
        private final double gestureAmp;
        private final double gestureRate;
        private final double drift;
        private final double driftHeading;

        Standing(Body body, Random r) {
            super(body, r);
            swayAmp = range(r, 0.005, 0.03);
            swayRate = range(r, 0.1, 0.5);
            phase = 2 * Math.PI * r.nextDouble();
            ArmHabit both = new ArmHabit(r);
            arms[0] = r.nextDouble() < 0.7 ? both : new ArmHabit(r);
            arms[1] = r.nextDouble() < 0.7 ? both : new ArmHabit(r);
            gestureSide = r.nextDouble() < 0.3 ? r.nextInt(2) : -1;
            gestureAmp = range(r, 5, 20) * DEG;
            gestureRate = range(r, 0.3, 1.2);
            // shuffling on the spot: a few centimetres over a window at most
            drift = r.nextDouble() < 0.3 ? range(r, 0, 0.08) : 0;
            driftHeading = 2 * Math.PI * r.nextDouble();
        }

        @Override
        void pose(double t, Body.State s) {
            double w = 2 * Math.PI * swayRate * t + phase;
            s.px = x0 + swayAmp * Math.sin(w) * Math.sin(heading) + drift * t * Math.cos(driftHeading);
            s.py = y0 - swayAmp * Math.sin(w) * Math.cos(heading) + drift * t * Math.sin(driftHeading);
            s.pz = body.hipHeight() - 0.01;
            s.sideLean = 0.02 * Math.sin(w);
            s.lean = 0.02;
            for (int side = 0; side < 2; side++) {
                // the weight shifts from one leg to the other
                s.kneeFlex[side] = (4 + 4 * Math.sin(w + side * Math.PI)) * DEG;
                s.hipFlex[side] = s.kneeFlex[side] / 2;
                s.legAbduct[side] = 3 * DEG;
                arms[side].apply(s, side);
                if (side == gestureSide) {
                    s.elbowFlex[side] += gestureAmp * Math.sin(2 * Math.PI * gestureRate * t);
                    s.shoulderFlex[side] += 0.5 * gestureAmp * Math.sin(2 * Math.PI * gestureRate * t + 1);
                }
            }
        }
    }

    /** Sitting on a seat: thighs forward, shins down, hands in the lap or by habit. */
    static final class Sitting extends Standing {
        private final double thighAngle;
        private final double lean;

        Sitting(Body body, Random r) {
            super(body, r);
            thighAngle = range(r, 70, 100) * DEG;
            lean = range(r, -15, 20) * DEG;
        }

        @Override
        void pose(double t, Body.State s) {
            super.pose(t, s);
            s.lean = lean;
            for (int side = 0; side < 2; side++) {
                s.hipFlex[side] = thighAngle;
                s.kneeFlex[side] = thighAngle - 5 * DEG * (side == 0 ? 1 : -1);
                s.legAbduct[side] = 6 * DEG;
            }
            // the seat's height puts the feet on the ground
            s.pz = body.ankle + body.shin * Math.cos(s.hipFlex[0] - s.kneeFlex[0]) + body.thigh * Math.cos(thighAngle);
        }
    }

    /** Waving one or both raised arms, the forearm swinging side to side, the body still. */
    static final class Waving extends Standing {
        private final boolean[] waves = new boolean[2];
        private final double abduct;
        private final double flex;
        private final double elbow;
        private final double amp;
        private final double rate;
        private final double phase;

        Waving(Body body, Random r) {
            super(body, r);
            int side = r.nextInt(2);
            waves[side] = true;
            waves[1 - side] = r.nextDouble() < 0.25;
            boolean sideways = r.nextDouble() < 0.6;
            abduct = (sideways ? range(r, 95, 170) : range(r, 10, 40)) * DEG;
            flex = (sideways ? range(r, 0, 30) : range(r, 100, 160)) * DEG;
            elbow = range(r, 45, 90) * DEG;
            amp = range(r, 15, 40) * DEG;
            rate = range(r, 1.5, 3.5);
            phase = 2 * Math.PI * r.nextDouble();
        }

        @Override
        void pose(double t, Body.State s) {
            super.pose(t, s);
            double w = 2 * Math.PI * rate * t + phase;
            for (int side = 0; side < 2; side++) {
                if (waves[side]) {
                    s.shoulderAbduct[side] = abduct + 0.3 * amp * Math.sin(w);
                    s.shoulderFlex[side] = flex;
                    s.elbowFlex[side] = elbow + amp * Math.sin(w + Math.PI / 2);
                    s.elbowTwist[side] = 0;
                    s.elbowLift[side] = 1;
                }
            }
        }
    }

    /** Jumping on the spot (or jumping jacks): crouch, take off, land, with the arms swinging up. */
    static final class Jumping extends Motion {
        private final double rate;
        private final double jumpHeight;
        private final double crouch;
        private final double phase;
        private final boolean jacks;
        private final double armUp;
        private final double driftSpeed;

        Jumping(Body body, Random r) {
            super(body, r);
            rate = range(r, 0.8, 2.0);
            jumpHeight = range(r, 0.12, 0.5) * Math.min(1, 1.2 / rate);
            crouch = range(r, 20, 60) * DEG;
            phase = r.nextDouble();
            jacks = r.nextDouble() < 0.35;
            armUp = range(r, 60, 170) * DEG;
            driftSpeed = r.nextDouble() < 0.3 ? range(r, 0, 0.25) : 0;
        }

        @Override
        void pose(double t, Body.State s) {
            double cycle = (rate * t + phase) % 1.0;
            // the first 45% of a cycle in the air, the rest on the ground bending and pushing off
            double air = 0.45;
            double lift;
            double bend;
            if (cycle < air) {
                lift = jumpHeight * Math.sin(Math.PI * cycle / air);
                bend = 0.1;
            } else {
                lift = 0;
                bend = Math.sin(Math.PI * (cycle - air) / (1 - air));
            }
            double knee = 5 * DEG + crouch * bend;
            s.px = x0 + driftSpeed * t * Math.cos(heading);
            s.py = y0 + driftSpeed * t * Math.sin(heading);
            // bent knees lower the hips: thigh and shin leave the vertical by about half the knee angle each
            s.pz = body.hipHeight() + lift - body.thigh * (1 - Math.cos(knee / 2)) - body.shin * (1 - Math.cos(knee / 2));
            s.lean = 0.6 * knee / 2;
            double armPhase = cycle < air ? Math.sin(Math.PI * cycle / air) : -0.3 * bend;
            for (int side = 0; side < 2; side++) {
                s.hipFlex[side] = knee / 2 + s.lean;
                s.kneeFlex[side] = knee;
                if (jacks) {
                    s.legAbduct[side] = (cycle < air ? 15 : 3) * DEG;
                    s.shoulderAbduct[side] = 10 * DEG + Math.max(0, armPhase) * armUp;
                    s.shoulderFlex[side] = 0;
                } else {
                    s.legAbduct[side] = 3 * DEG;
                    s.shoulderFlex[side] = -20 * DEG * bend + Math.max(0, armPhase) * armUp;
                    s.shoulderAbduct[side] = 10 * DEG;
                }
                s.elbowFlex[side] = 20 * DEG;
                s.elbowTwist[side] = 30 * DEG;
            }
        }
    }
}
