package io.argus.models.pose;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.action.Action;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrackFeaturesTest {

    @Test
    void whereAPersonIsAndHowLargeDoNotChangeTheFeatures() {
        TrackWindow track = new SyntheticTracks(10, 5, PoseNoise.defaults()).generate(Action.WALKING, new Random(3));
        float[] moved = track.poses().clone();
        // the same track, twice as large and elsewhere in the frame
        for (int s = 0; s < track.slots(); s++) {
            for (int i = 0; i < Poses.SCORE; i++) {
                if (i < Poses.BOX && i % 3 == 2) {
                    continue; // a score
                }
                int o = s * Poses.STRIDE + i;
                boolean x = i < Poses.BOX ? i % 3 == 1 : (i - Poses.BOX) % 2 == 1;
                moved[o] = track.present()[s] ? moved[o] * 2 + (x ? 0.1f : -0.2f) : 0;
            }
        }
        float[] a = TrackFeatures.of(track);
        float[] b = TrackFeatures.of(new TrackWindow(0, moved, track.present(), track.aspect()));
        assertThat(a).hasSize(10 * TrackFeatures.WIDTH);
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).as("feature %d", i).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void slotsWithoutThePersonAreZeroAndMarkedAbsent() {
        TrackWindow track = new SyntheticTracks(10, 5, PoseNoise.defaults()).generate(Action.IDLE, new Random(5));
        boolean[] present = track.present().clone();
        present[3] = false;
        float[] f = TrackFeatures.of(new TrackWindow(0, track.poses(), present, track.aspect()));
        for (int i = 0; i < TrackFeatures.WIDTH; i++) {
            assertThat(f[3 * TrackFeatures.WIDTH + i]).isZero();
        }
        int last = TrackFeatures.WIDTH - 1;
        assertThat(f[last]).isEqualTo(track.present()[0] ? 1f : 0f);
    }
}
