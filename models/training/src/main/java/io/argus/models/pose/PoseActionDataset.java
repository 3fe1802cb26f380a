package io.argus.models.pose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.argus.models.action.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Labelled tracks as the keypoint LSTM reads them ({@link TrackFeatures}), with their class index. */
public final class PoseActionDataset {

    private final int slots;
    private final List<float[]> features = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();

    public PoseActionDataset(int slots) {
        this.slots = slots;
    }

    /** {@code perClass} synthetic tracks of every action, generated from {@code seed}. */
    public static PoseActionDataset synthetic(int slots, double fps, int perClass, PoseNoise noise, long seed) {
        PoseActionDataset d = new PoseActionDataset(slots);
        SyntheticTracks gen = new SyntheticTracks(slots, fps, noise);
        Random r = new Random(seed);
        for (int i = 0; i < perClass; i++) {
            for (Action a : Action.values()) {
                d.add(gen.generate(a, r), a.ordinal());
            }
        }
        return d;
    }

    public void add(TrackWindow track, int label) {
        if (track.slots() != slots) {
            throw new IllegalArgumentException("track of " + track.slots() + " slots in a set of " + slots);
        }
        features.add(TrackFeatures.of(track));
        labels.add(label);
    }

    public void addAll(PoseActionDataset other) {
        features.addAll(other.features);
        labels.addAll(other.labels);
    }

    public int size() {
        return features.size();
    }

    public int slots() {
        return slots;
    }

    public int label(int i) {
        return labels.get(i);
    }

    /** Samples per class index. */
    public int[] counts(int classes) {
        int[] c = new int[classes];
        labels.forEach(l -> c[l]++);
        return c;
    }

    /** The samples {@code order[from..to)} as {@code (to - from, slots, TrackFeatures.WIDTH)}. */
    public NDArray batch(NDManager scope, int[] order, int from, int to) {
        int width = slots * TrackFeatures.WIDTH;
        float[] flat = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(features.get(order[i]), 0, flat, (i - from) * width, width);
        }
        return scope.create(flat, new Shape(to - from, slots, TrackFeatures.WIDTH));
    }
}
