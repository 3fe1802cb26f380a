package io.argus.models.audio;

import io.argus.models.audio.AudioDataset.Source;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks a fixed sample of the held-out test clips, spread evenly over the test packages, and
 * writes them per label as one 16 kHz mono WAV of back-to-back one-second clips. These files are
 * small enough to ship with the tests, so the accuracy check runs where the Debian packages are
 * not installed.
 */
public final class HeldOutClips {

    private HeldOutClips() {}

    /** Writes {@code <label>.wav} for every label; returns the clips written per label. */
    public static List<Integer> export(AudioDataset test, int rate, int clipSamples, int perLabel, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        AudioClips clips = new AudioClips(rate, clipSamples);
        List<Integer> counts = new ArrayList<>();
        for (String label : AudioLabels.ALL) {
            List<float[]> all = new ArrayList<>();
            for (List<Source> sources : test.packages(label).values()) {
                for (Source s : sources) {
                    all.addAll(clips.evaluation(s, 1));
                }
            }
            int n = Math.min(perLabel, all.size());
            float[] joined = new float[n * clipSamples];
            for (int i = 0; i < n; i++) {
                float[] c = all.get((int) ((long) i * all.size() / n));
                System.arraycopy(c, 0, joined, i * clipSamples, clipSamples);
            }
            writeWav(dir.resolve(label + ".wav"), joined, rate);
            counts.add(n);
        }
        return counts;
    }

    static void writeWav(Path file, float[] samples, int rate) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples.length * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(samples.length * 2);
        for (float s : samples) {
            b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, s)) * 32767));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(b.array());
        }
    }
}
