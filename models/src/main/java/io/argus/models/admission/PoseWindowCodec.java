package io.argus.models.admission;

import io.argus.models.packaging.NpyArray;
import io.argus.models.pose.PoseWindow;
import io.argus.models.pose.Poses;
import java.util.ArrayList;
import java.util.List;

/**
 * Pose windows in a golden set, one person each: float32 {@code (N, T, 58)}, per slot the person's
 * {@value Poses#STRIDE} pose values ({@link Poses}), then 1 where the person was found (0 where not),
 * then the picture's aspect; slots are 200 ms apart (a window's times do not reach the model).
 */
public final class PoseWindowCodec implements GoldenCodec<PoseWindow> {

    private static final long serialVersionUID = 1L;
    public static final PoseWindowCodec INSTANCE = new PoseWindowCodec();
    private static final int COLUMNS = Poses.STRIDE + 2;

    private PoseWindowCodec() {}

    @Override
    public String input() {
        return "pose-track";
    }

    @Override
    public NpyArray encode(List<PoseWindow> inputs) {
        int slots = inputs.get(0).slots;
        float[] all = new float[inputs.size() * slots * COLUMNS];
        for (int i = 0; i < inputs.size(); i++) {
            PoseWindow w = inputs.get(i);
            if (w.tracks() != 1 || w.slots != slots) {
                throw new IllegalArgumentException("golden pose windows hold one person and " + slots + " slots each");
            }
            for (int s = 0; s < slots; s++) {
                int o = (i * slots + s) * COLUMNS;
                System.arraycopy(w.poses, s * Poses.STRIDE, all, o, Poses.STRIDE);
                all[o + Poses.STRIDE] = w.present[s] ? 1 : 0;
                all[o + Poses.STRIDE + 1] = w.aspect;
            }
        }
        return NpyArray.ofFloats(new int[] {inputs.size(), slots, COLUMNS}, all);
    }

    @Override
    public List<PoseWindow> decode(NpyArray rows) {
        int[] s = rows.shape();
        if (rows.dtype() != NpyArray.DType.FLOAT32 || s.length != 3 || s[2] != COLUMNS) {
            throw new IllegalArgumentException("pose tracks are float32 (N, T, " + COLUMNS + "), not " + rows);
        }
        List<PoseWindow> out = new ArrayList<>(s[0]);
        for (int i = 0; i < s[0]; i++) {
            float[] row = rows.floatRow(i);
            int slots = s[1];
            float[] poses = new float[slots * Poses.STRIDE];
            boolean[] present = new boolean[slots];
            for (int t = 0; t < slots; t++) {
                System.arraycopy(row, t * COLUMNS, poses, t * Poses.STRIDE, Poses.STRIDE);
                present[t] = row[t * COLUMNS + Poses.STRIDE] > 0.5f;
            }
            float aspect = row[Poses.STRIDE + 1] > 0 ? row[Poses.STRIDE + 1] : 4f / 3;
            out.add(new PoseWindow("golden-" + i, 0, slots * 200L, slots, aspect, new int[] {0}, poses, present, 0));
        }
        return out;
    }
}
