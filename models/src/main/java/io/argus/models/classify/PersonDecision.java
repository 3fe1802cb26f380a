package io.argus.models.classify;

/**
 * The decision on one person followed through a window.
 *
 * @param trackId the person's track id, stable across the stream's windows while the person stays
 * @param box where the person was last seen in the window: xmin, ymin, xmax, ymax as fractions of
 *     the picture's width and height
 * @param classification the person's labels and scores
 */
public record PersonDecision(int trackId, float[] box, Classification classification) {

    public PersonDecision {
        if (box.length != 4) {
            throw new IllegalArgumentException("a box has 4 values, got " + box.length);
        }
    }
}
