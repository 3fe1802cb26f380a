package io.argus.models.pose;

/**
 * The layout of the people a pose model finds in one frame, as MoveNet MultiPose emits them: per
 * person {@value #STRIDE} floats, 17 keypoints as (y, x, score) with y and x normalised to [0, 1] of
 * the frame's height and width, then the box (ymin, xmin, ymax, xmax) in the same units and the
 * person's score. Several people lie one after the other in one flat array.
 */
public final class Poses {

    /** Floats per person. */
    public static final int STRIDE = 56;
    /** Offset of the box (ymin, xmin, ymax, xmax) within a person. */
    public static final int BOX = 51;
    /** Offset of the person score within a person. */
    public static final int SCORE = 55;

    private Poses() {}

    public static int count(float[] people) {
        return people.length / STRIDE;
    }

    public static float y(float[] people, int person, int keypoint) {
        return people[person * STRIDE + keypoint * 3];
    }

    public static float x(float[] people, int person, int keypoint) {
        return people[person * STRIDE + keypoint * 3 + 1];
    }

    public static float keypointScore(float[] people, int person, int keypoint) {
        return people[person * STRIDE + keypoint * 3 + 2];
    }

    public static float score(float[] people, int person) {
        return people[person * STRIDE + SCORE];
    }

    public static float ymin(float[] people, int person) {
        return people[person * STRIDE + BOX];
    }

    public static float xmin(float[] people, int person) {
        return people[person * STRIDE + BOX + 1];
    }

    public static float ymax(float[] people, int person) {
        return people[person * STRIDE + BOX + 2];
    }

    public static float xmax(float[] people, int person) {
        return people[person * STRIDE + BOX + 3];
    }

    /** One person's {@value #STRIDE} floats. */
    public static float[] person(float[] people, int person) {
        float[] one = new float[STRIDE];
        System.arraycopy(people, person * STRIDE, one, 0, STRIDE);
        return one;
    }

    /** The people of {@code people} whose score is at least {@code minScore}, in order. */
    public static float[] atLeast(float[] people, float minScore) {
        int n = count(people);
        int kept = 0;
        for (int p = 0; p < n; p++) {
            if (score(people, p) >= minScore) {
                kept++;
            }
        }
        float[] out = new float[kept * STRIDE];
        int k = 0;
        for (int p = 0; p < n; p++) {
            if (score(people, p) >= minScore) {
                System.arraycopy(people, p * STRIDE, out, k++ * STRIDE, STRIDE);
            }
        }
        return out;
    }
}
