package io.argus.models.pose;

/**
 * The 17 COCO body keypoints, in the order pose models such as MoveNet emit them.
 */
public enum Keypoint {
    NOSE,
    LEFT_EYE,
    RIGHT_EYE,
    LEFT_EAR,
    RIGHT_EAR,
    LEFT_SHOULDER,
    RIGHT_SHOULDER,
    LEFT_ELBOW,
    RIGHT_ELBOW,
    LEFT_WRIST,
    RIGHT_WRIST,
    LEFT_HIP,
    RIGHT_HIP,
    LEFT_KNEE,
    RIGHT_KNEE,
    LEFT_ANKLE,
    RIGHT_ANKLE;

    public static final int COUNT = 17;

    /** The same point on the other side of the body (the nose is its own mirror). */
    public Keypoint mirror() {
        if (this == NOSE) {
            return NOSE;
        }
        int i = ordinal();
        return values()[i % 2 == 1 ? i + 1 : i - 1];
    }
}
