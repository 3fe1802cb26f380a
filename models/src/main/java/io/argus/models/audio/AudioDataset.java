package io.argus.models.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One split of the audio dataset that {@code models/audio-data/build_dataset.py} writes: per label,
 * the decoded sources (16 kHz mono) grouped by the package they came from.
 */
public final class AudioDataset {

    /** One decoded source file (or the quiet stretches of a package). */
    public record Source(String label, String pkg, String name, float[] samples) {}

    private final Map<String, Map<String, List<Source>>> byLabelAndPackage = new LinkedHashMap<>();

    private AudioDataset() {}

    /** Reads a split ({@code train}, {@code validation} or {@code test}) of a dataset directory. */
    public static AudioDataset load(Path dir, String split, List<String> labels) throws IOException {
        Path manifest = dir.resolve("manifest.csv");
        if (!Files.isRegularFile(manifest)) {
            throw new IOException("no manifest.csv in " + dir + ": build the dataset with "
                    + "models/audio-data/build_dataset.py --out " + dir);
        }
        AudioDataset data = new AudioDataset();
        for (String label : labels) {
            data.byLabelAndPackage.put(label, new LinkedHashMap<>());
        }
        List<String> lines = Files.readAllLines(manifest);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = csv(line);
            if (!f[0].equals(split) || !data.byLabelAndPackage.containsKey(f[1])) {
                continue;
            }
            data.add(new Source(f[1], f[2], f[3], read(dir.resolve(f[4]))));
        }
        return data;
    }

    /** Adds a source, e.g. generated audio. */
    public void add(Source s) {
        byLabelAndPackage.computeIfAbsent(s.label(), l -> new LinkedHashMap<>())
                .computeIfAbsent(s.pkg(), p -> new ArrayList<>()).add(s);
    }

    /** Sources of a label, by package. */
    public Map<String, List<Source>> packages(String label) {
        return byLabelAndPackage.getOrDefault(label, Map.of());
    }

    /** Seconds of audio per label (the dataset is 16 kHz), for progress output and the manifest. */
    public Map<String, Long> seconds() {
        Map<String, Long> out = new LinkedHashMap<>();
        byLabelAndPackage.forEach((label, pkgs) -> out.put(label, pkgs.values().stream().flatMap(List::stream)
                .mapToLong(s -> s.samples().length).sum() / 16_000));
        return out;
    }

    private static float[] read(Path s16) {
        try {
            ShortBuffer shorts = ByteBuffer.wrap(Files.readAllBytes(s16)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            float[] out = new float[shorts.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = shorts.get(i) / 32768f;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a CSV line written by Python's csv module (quoted fields may hold commas). */
    static String[] csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out.toArray(String[]::new);
    }
}
