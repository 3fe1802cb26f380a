package io.argus.models.pose;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the people of one stream from frame to frame: each person found is matched to the
 * track whose predicted box overlaps it most and whose keypoints lie closest, or failing any
 * overlap, whose predicted box centre lies nearest within one and a half box heights (greedy, best
 * pairs first); a person matched to none starts a new track. A track not matched for
 * {@code maxMissed} frames in a row ends. Track ids count up per stream and are never reused.
 */
public final class PersonTracker {

    /** A keypoint counts for matching when both poses score it at least this. */
    private static final float KEYPOINT_SCORE = 0.3f;
    /** Keypoint distances are judged against this share of the box height. */
    private static final float KEYPOINT_SIGMA = 0.25f;
    /** Box centres this many box heights apart are not near at all. */
    private static final float NEAR_RANGE = 1.5f;
    /** The most a near but not overlapping person can score. */
    private static final float NEAR_WEIGHT = 0.6f;

    private final float minSimilarity;
    private final int maxMissed;
    private int nextId;
    private final List<Track> tracks = new ArrayList<>();

    private static final class Track {
        final int id;
        float[] pose;
        /** Box centre movement per frame, in frame units. */
        float vx;
        float vy;
        int missed;

        Track(int id, float[] pose) {
            this.id = id;
            this.pose = pose;
        }
    }

    public PersonTracker(float minSimilarity, int maxMissed) {
        if (!(minSimilarity > 0 && minSimilarity < 1) || maxMissed < 0) {
            throw new IllegalArgumentException("need 0 < min similarity < 1 and max missed >= 0");
        }
        this.minSimilarity = minSimilarity;
        this.maxMissed = maxMissed;
    }

    /** Tracks alive now. */
    public int active() {
        return tracks.size();
    }

    /**
     * Takes the people of the next frame ({@link Poses} layout) and returns the track id of each,
     * in order.
     */
    public int[] update(float[] people, float aspect) {
        int n = Poses.count(people);
        int[] ids = new int[n];
        java.util.Arrays.fill(ids, -1);
        List<float[]> pairs = new ArrayList<>(); // {similarity, track index, person}
        for (int t = 0; t < tracks.size(); t++) {
            for (int p = 0; p < n; p++) {
                float s = similarity(tracks.get(t), people, p, aspect);
                if (s >= minSimilarity) {
                    pairs.add(new float[] {s, t, p});
                }
            }
        }
        pairs.sort((a, b) -> Float.compare(b[0], a[0]));
        boolean[] trackTaken = new boolean[tracks.size()];
        for (float[] pair : pairs) {
            int t = (int) pair[1];
            int p = (int) pair[2];
            if (trackTaken[t] || ids[p] >= 0) {
                continue;
            }
            trackTaken[t] = true;
            Track track = tracks.get(t);
            float[] pose = Poses.person(people, p);
            track.vx = 0.5f * track.vx + 0.5f * (centreX(pose) - centreX(track.pose));
            track.vy = 0.5f * track.vy + 0.5f * (centreY(pose) - centreY(track.pose));
            track.pose = pose;
            track.missed = 0;
            ids[p] = track.id;
        }
        for (int t = tracks.size() - 1; t >= 0; t--) {
            if (!trackTaken[t] && ++tracks.get(t).missed > maxMissed) {
                tracks.remove(t);
            }
        }
        for (int p = 0; p < n; p++) {
            if (ids[p] < 0) {
                Track track = new Track(nextId++, Poses.person(people, p));
                tracks.add(track);
                ids[p] = track.id;
            }
        }
        return ids;
    }

    /** Box overlap with the track's predicted box, and keypoint closeness, averaged; in [0, 1]. */
    private static float similarity(Track track, float[] people, int p, float aspect) {
        float[] last = track.pose;
        float dx = track.vx * (track.missed + 1);
        float dy = track.vy * (track.missed + 1);
        float iou = iou(last[Poses.BOX] + dy, last[Poses.BOX + 1] + dx, last[Poses.BOX + 2] + dy,
                last[Poses.BOX + 3] + dx, Poses.ymin(people, p), Poses.xmin(people, p), Poses.ymax(people, p),
                Poses.xmax(people, p));
        float h = Math.max(0.01f, Math.max(last[Poses.BOX + 2] - last[Poses.BOX],
                Poses.ymax(people, p) - Poses.ymin(people, p)));
        float sigma = KEYPOINT_SIGMA * h;
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < Keypoint.COUNT; k++) {
            if (last[k * 3 + 2] < KEYPOINT_SCORE || Poses.keypointScore(people, p, k) < KEYPOINT_SCORE) {
                continue;
            }
            float ky = Poses.y(people, p, k) - (last[k * 3] + dy);
            float kx = (Poses.x(people, p, k) - (last[k * 3 + 1] + dx)) * aspect;
            sum += Math.exp(-(kx * kx + ky * ky) / (2 * sigma * sigma));
            counted++;
        }
        float overlap = counted < 3 ? iou : (float) (0.5 * iou + 0.5 * sum / counted);
        // a fast mover seen a few times a second may not overlap its last box at all: near enough
        // still counts, though less than any overlap, so that overlapping pairs are matched first
        float cx = (Poses.xmin(people, p) + Poses.xmax(people, p)) / 2 - (centreX(last) + dx);
        float cy = (Poses.ymin(people, p) + Poses.ymax(people, p)) / 2 - (centreY(last) + dy);
        float distance = (float) Math.hypot(cx * aspect, cy);
        float near = NEAR_WEIGHT * Math.max(0, 1 - distance / (NEAR_RANGE * h));
        return Math.max(overlap, near);
    }

    private static float iou(float ay0, float ax0, float ay1, float ax1, float by0, float bx0, float by1, float bx1) {
        float iy = Math.min(ay1, by1) - Math.max(ay0, by0);
        float ix = Math.min(ax1, bx1) - Math.max(ax0, bx0);
        if (iy <= 0 || ix <= 0) {
            return 0;
        }
        float inter = iy * ix;
        float union = (ay1 - ay0) * (ax1 - ax0) + (by1 - by0) * (bx1 - bx0) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static float centreX(float[] pose) {
        return (pose[Poses.BOX + 1] + pose[Poses.BOX + 3]) / 2;
    }

    private static float centreY(float[] pose) {
        return (pose[Poses.BOX] + pose[Poses.BOX + 2]) / 2;
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(nextId);
        out.writeInt(tracks.size());
        for (Track t : tracks) {
            out.writeInt(t.id);
            out.writeFloat(t.vx);
            out.writeFloat(t.vy);
            out.writeInt(t.missed);
            for (float v : t.pose) {
                out.writeFloat(v);
            }
        }
    }

    void read(DataInput in) throws IOException {
        nextId = in.readInt();
        int n = in.readInt();
        tracks.clear();
        for (int i = 0; i < n; i++) {
            int id = in.readInt();
            float vx = in.readFloat();
            float vy = in.readFloat();
            int missed = in.readInt();
            float[] pose = new float[Poses.STRIDE];
            for (int j = 0; j < pose.length; j++) {
                pose[j] = in.readFloat();
            }
            Track t = new Track(id, pose);
            t.vx = vx;
            t.vy = vy;
            t.missed = missed;
            tracks.add(t);
        }
    }
}
