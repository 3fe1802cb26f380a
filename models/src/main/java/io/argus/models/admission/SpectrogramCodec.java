package io.argus.models.admission;

import io.argus.models.input.Spectrogram;
import io.argus.models.packaging.NpyArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Log-mel spectrograms in a golden set: floats {@code (N, frames, mels)} in dB, the layout of
 * {@link Spectrogram#values}.
 */
public final class SpectrogramCodec implements GoldenCodec<Spectrogram> {

    private static final long serialVersionUID = 1L;
    public static final SpectrogramCodec INSTANCE = new SpectrogramCodec();

    private SpectrogramCodec() {}

    @Override
    public String input() {
        return "spectrogram";
    }

    @Override
    public NpyArray encode(List<Spectrogram> inputs) {
        Spectrogram first = inputs.get(0);
        int size = first.values.length;
        float[] all = new float[inputs.size() * size];
        for (int i = 0; i < inputs.size(); i++) {
            Spectrogram s = inputs.get(i);
            if (s.frames != first.frames || s.mels != first.mels) {
                throw new IllegalArgumentException("golden spectrograms of different shapes");
            }
            System.arraycopy(s.values, 0, all, i * size, size);
        }
        return NpyArray.ofFloats(new int[] {inputs.size(), first.frames, first.mels}, all);
    }

    @Override
    public List<Spectrogram> decode(NpyArray rows) {
        int[] s = rows.shape();
        if (rows.dtype() != NpyArray.DType.FLOAT32 || s.length != 3) {
            throw new IllegalArgumentException("spectrograms are floats (N, frames, mels), not " + rows);
        }
        List<Spectrogram> out = new ArrayList<>(s[0]);
        for (int i = 0; i < s[0]; i++) {
            out.add(new Spectrogram("golden-" + i, 0, 1000, s[1], s[2], rows.floatRow(i), 0));
        }
        return out;
    }
}
