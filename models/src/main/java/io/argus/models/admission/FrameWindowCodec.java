package io.argus.models.admission;

import io.argus.models.input.FrameWindow;
import io.argus.models.packaging.NpyArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frame windows in a golden set: unsigned bytes {@code (N, T, H, W, C)}, the layout of
 * {@link FrameWindow#pixels}; frames are spaced 125 ms apart (a window's times do not reach the model).
 */
public final class FrameWindowCodec implements GoldenCodec<FrameWindow> {

    private static final long serialVersionUID = 1L;
    public static final FrameWindowCodec INSTANCE = new FrameWindowCodec();

    private FrameWindowCodec() {}

    @Override
    public String input() {
        return "frame-window";
    }

    @Override
    public NpyArray encode(List<FrameWindow> inputs) {
        FrameWindow first = inputs.get(0);
        int size = first.pixels.length;
        byte[] all = new byte[inputs.size() * size];
        for (int i = 0; i < inputs.size(); i++) {
            FrameWindow w = inputs.get(i);
            if (w.frames != first.frames || w.height != first.height || w.width != first.width
                    || w.channels != first.channels) {
                throw new IllegalArgumentException("golden windows of different shapes");
            }
            System.arraycopy(w.pixels, 0, all, i * size, size);
        }
        return NpyArray.ofBytes(new int[] {inputs.size(), first.frames, first.height, first.width, first.channels},
                all);
    }

    @Override
    public List<FrameWindow> decode(NpyArray rows) {
        int[] s = rows.shape();
        if (rows.dtype() != NpyArray.DType.UINT8 || s.length != 5) {
            throw new IllegalArgumentException("frame windows are unsigned bytes (N, T, H, W, C), not " + rows);
        }
        List<FrameWindow> out = new ArrayList<>(s[0]);
        for (int i = 0; i < s[0]; i++) {
            long[] times = new long[s[1]];
            Arrays.setAll(times, t -> t * 125L);
            out.add(new FrameWindow("golden-" + i, 0, s[1] * 125L, s[2], s[3], s[4], times, rows.byteRow(i), 0));
        }
        return out;
    }
}
