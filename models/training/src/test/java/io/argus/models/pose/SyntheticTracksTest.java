package io.argus.models.pose;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.action.Action;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyntheticTracksTest {

    private final SyntheticTracks clean = new SyntheticTracks(10, 5, new PoseNoise(0, 0, 0, 0, 0));

    @Test
    void aSeedGivesTheSameTrackEveryTime() {
        SyntheticTracks noisy = new SyntheticTracks(10, 5, PoseNoise.defaults());
        for (Action a : Action.values()) {
            TrackWindow one = noisy.generate(a, new Random(11));
            TrackWindow two = noisy.generate(a, new Random(11));
            assertThat(one.poses()).isEqualTo(two.poses());
            assertThat(one.present()).isEqualTo(two.present());
        }
    }

    @Test
    void walkersAndRunnersCrossTheFrameWhilePeopleInPlaceStay() {
        Random r = new Random(1);
        double[] mean = new double[Action.values().length];
        int n = 60;
        for (Action a : Action.values()) {
            for (int i = 0; i < n; i++) {
                mean[a.ordinal()] += clean.generate(a, r).bodyHeightsPerSecond(5) / n;
            }
        }
        // median walking is about 0.8 body heights a second, running over twice that, people in place
        // barely move (seen from above, boxes shrink and speeds in body heights grow)
        assertThat(mean[Action.WALKING.ordinal()]).isBetween(0.4, 3.0);
        assertThat(mean[Action.RUNNING.ordinal()]).isGreaterThan(1.8 * mean[Action.WALKING.ordinal()]);
        for (Action still : new Action[] {Action.IDLE, Action.WAVING}) {
            assertThat(mean[still.ordinal()]).isLessThan(0.25 * mean[Action.WALKING.ordinal()]);
        }
    }

    @Test
    void aWaverRaisesAWristAboveTheShouldersAndAStandingPersonDoesNot() {
        Random r = new Random(2);
        int n = 100;
        int waverUp = 0;
        int idleUp = 0;
        for (int i = 0; i < n; i++) {
            waverUp += wristAboveShoulders(Action.WAVING, r) ? 1 : 0;
            idleUp += wristAboveShoulders(Action.IDLE, r) ? 1 : 0;
        }
        assertThat(waverUp).isEqualTo(n);
        assertThat(idleUp).isZero();
    }

    @Test
    void aStandingBodyHasItsAnklesOnTheGroundAndItsNoseOnTop() {
        Random r = new Random(4);
        for (int i = 0; i < 50; i++) {
            Body body = Body.random(r);
            double[][] j = body.joints(Motion.random(Action.IDLE, body, r).at(1));
            double nose = j[Keypoint.NOSE.ordinal()][2];
            for (double[] point : j) {
                assertThat(point[2]).isLessThanOrEqualTo(nose + 0.05 * body.height);
            }
            double ankles = Math.min(j[Keypoint.LEFT_ANKLE.ordinal()][2], j[Keypoint.RIGHT_ANKLE.ordinal()][2]);
            // standing: about an ankle's height above the ground; sitting: the feet still reach down
            assertThat(ankles).isBetween(0.0, 0.12 * body.height);
            assertThat(nose).isBetween(0.5 * body.height, 1.0 * body.height);
        }
    }

    /** Whether, in 3D, a wrist is above both shoulders half a second into the action. */
    private static boolean wristAboveShoulders(Action action, Random r) {
        Body body = Body.random(r);
        double[][] j = body.joints(Motion.random(action, body, r).at(0.5));
        double shoulders = Math.max(j[Keypoint.LEFT_SHOULDER.ordinal()][2], j[Keypoint.RIGHT_SHOULDER.ordinal()][2]);
        double wrist = Math.max(j[Keypoint.LEFT_WRIST.ordinal()][2], j[Keypoint.RIGHT_WRIST.ordinal()][2]);
        return wrist > shoulders;
    }
}
