package io.argus.models.pose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoseWindowerTest {

    private static final PoseWindower.Spec SPEC = new PoseWindower.Spec(10, 5, 5, 2000, 0.25f, 5, 0.2f, 1000);

    /** A person of height 0.3 standing at (x, y) (box top-left), every keypoint scored 0.8. */
    static float[] person(float x, float y, float score) {
        float[] p = new float[Poses.STRIDE];
        for (int k = 0; k < Keypoint.COUNT; k++) {
            p[k * 3] = y + 0.3f * k / Keypoint.COUNT;
            p[k * 3 + 1] = x + 0.05f * (k % 2);
            p[k * 3 + 2] = 0.8f;
        }
        p[Poses.BOX] = y;
        p[Poses.BOX + 1] = x;
        p[Poses.BOX + 2] = y + 0.3f;
        p[Poses.BOX + 3] = x + 0.1f;
        p[Poses.SCORE] = score;
        return p;
    }

    static float[] people(float[]... persons) {
        float[] all = new float[persons.length * Poses.STRIDE];
        for (int i = 0; i < persons.length; i++) {
            System.arraycopy(persons[i], 0, all, i * Poses.STRIDE, Poses.STRIDE);
        }
        return all;
    }

    @Test
    void followsTwoPeopleWithStableIdsAcrossWindowsAndIgnoresLowScores() {
        PoseWindower w = new PoseWindower(SPEC);
        List<PoseWindow> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // one walks right 0.02 per frame, one stands; a faint false find is ignored
            float[] frame = people(person(0.1f + 0.02f * i, 0.2f, 0.6f), person(0.7f, 0.5f, 0.5f),
                    person(0.4f, 0.1f, 0.1f));
            w.add(new PoseFrame("cam", 1000 + 200L * i, 4f / 3, frame, 0), out::add);
        }
        assertThat(out).hasSize(3); // slots 0-9, 5-14, 10-19
        for (PoseWindow pw : out) {
            assertThat(pw.trackIds).containsExactly(0, 1);
            assertThat(pw.people()).isEqualTo(2);
            assertThat(pw.endMs - pw.startMs).isEqualTo(2000);
        }
        assertThat(out.get(1).startMs).isEqualTo(2000);
        TrackWindow walker = out.get(0).track(0);
        assertThat(walker.presentCount()).isEqualTo(10);
        assertThat(walker.bodyHeightsPerSecond(5)).isGreaterThan(0.4);
        assertThat(out.get(0).track(1).bodyHeightsPerSecond(5)).isLessThan(0.01);
    }

    @Test
    void aPersonWhoLeavesEndsTheirTrackAndANewcomerGetsANewId() {
        PoseWindower w = new PoseWindower(SPEC);
        List<PoseWindow> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            float[] frame = i < 10 ? people(person(0.1f, 0.2f, 0.6f))
                    : i < 20 ? new float[0] : people(person(0.1f, 0.2f, 0.6f));
            w.add(new PoseFrame("cam", 200L * i, 4f / 3, frame, 0), out::add);
        }
        // the first person was gone for 2 s, longer than a track waits (1 s): back as a new track
        assertThat(out.get(0).trackIds).containsExactly(0);
        assertThat(out.get(2).trackIds).isEmpty();
        assertThat(out.get(out.size() - 1).trackIds).containsExactly(1);
    }

    @Test
    void slotsNoFrameLandsOnRepeatTheLatestAndStateSurvivesBytes() {
        PoseWindower w = new PoseWindower(SPEC);
        List<PoseWindow> out = new ArrayList<>();
        // a source at 2.5 fps: every other slot repeats the frame before it
        for (int i = 0; i < 5; i++) {
            w.add(new PoseFrame("cam", 400L * i, 4f / 3, people(person(0.1f + 0.04f * i, 0.2f, 0.6f)), 0), out::add);
        }
        byte[] saved = w.toBytes();
        PoseWindower resumed = PoseWindower.fromBytes(SPEC, saved);
        for (int i = 5; i < 6; i++) {
            resumed.add(new PoseFrame("cam", 400L * i, 4f / 3, people(person(0.1f + 0.04f * i, 0.2f, 0.6f)), 0),
                    out::add);
        }
        assertThat(out).hasSize(1);
        TrackWindow t = out.get(0).track(0);
        assertThat(t.presentCount()).isEqualTo(10);
        // slot 1 repeats slot 0
        assertThat(t.poses()[Poses.STRIDE + Poses.BOX + 1]).isEqualTo(t.poses()[Poses.BOX + 1]);
        assertThat(resumed.toBytes()).isNotEqualTo(saved);
    }

    @Test
    void aGapLongerThanTheMaximumStartsOver() {
        PoseWindower w = new PoseWindower(SPEC);
        List<PoseWindow> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            w.add(new PoseFrame("cam", 200L * i, 4f / 3, people(person(0.1f, 0.2f, 0.6f)), 0), out::add);
        }
        for (int i = 0; i < 9; i++) {
            w.add(new PoseFrame("cam", 10_000 + 200L * i, 4f / 3, people(person(0.1f, 0.2f, 0.6f)), 0), out::add);
        }
        assertThat(out).isEmpty();
        w.add(new PoseFrame("cam", 10_000 + 200L * 9, 4f / 3, people(person(0.1f, 0.2f, 0.6f)), 0), out::add);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).startMs).isEqualTo(10_000);
    }
}
