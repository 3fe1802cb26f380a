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
 * One part of the audio dataset that {@code models/audio-data/build_dataset.py} writes: per label,
 * the decoded sources (16 kHz mono) grouped by the package they came from. Every package belongs
 * to one fold; a fold's packages are held out whole (leave packages out), so a model is scored on
 * sounds, voices and composers it never heard.
 */
public final class AudioDataset {

    /** One decoded source file (or the quiet stretches of a package). */
    public record Source(String label, String pkg, String name, float[] samples) {}

    private final Map<String, Map<String, List<Source>>> byLabelAndPackage = new LinkedHashMap<>();

    private AudioDataset() {}

    /** A dataset with no sources yet, to add generated ones to. */
    public static AudioDataset empty() {
        return new AudioDataset();
    }

    /**
     * The parts of a dataset for one leave-packages-out fold: {@code TEST} is every source of the
     * packages in the test fold; {@code TRAIN} and {@code VALIDATION} (one file in six) are the
     * sources of all other packages. Sources in no fold (generated speech) are never tested on.
     */
    public enum Part { TRAIN, VALIDATION, TEST }

    /** Reads one part of a dataset directory, for the given test fold. */
    public static AudioDataset load(Path dir, Part part, int testFold, List<String> labels) throws IOException {
        Path manifest = dir.resolve("manifest.csv");
        if (!Files.isRegularFile(manifest)) {
            throw new IOException("no manifest.csv in " + dir + ": build the dataset with "
                    + "models/audio-data/build_dataset.py --out " + dir);
        }
        List<String> lines = Files.readAllLines(manifest);
        List<String> header = List.of(csv(lines.get(0)));
        int fold = header.indexOf("fold");
        if (fold < 0) {
            throw new IOException(manifest + " has no fold column: rebuild the dataset with "
                    + "models/audio-data/build_dataset.py --out " + dir);
        }
        int folds = folds(lines.subList(1, lines.size()), fold);
        if (testFold < 0 || testFold >= folds) {
            throw new IllegalArgumentException("test fold " + testFold + " is not one of the dataset's folds 0-"
                    + (folds - 1) + " (" + manifest + ")");
        }
        AudioDataset data = new AudioDataset();
        for (String label : labels) {
            data.byLabelAndPackage.put(label, new LinkedHashMap<>());
        }
        String foldName = Integer.toString(testFold);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = csv(line);
            boolean tested = f[fold].equals(foldName);
            boolean wanted = switch (part) {
                case TEST -> tested;
                case TRAIN -> !tested && f[0].equals("train");
                case VALIDATION -> !tested && f[0].equals("validation");
            };
            if (wanted && data.byLabelAndPackage.containsKey(f[1])) {
                data.add(new Source(f[1], f[2], f[3], read(dir.resolve(f[4]))));
            }
        }
        return data;
    }

    /** How many leave-packages-out folds a dataset directory has. */
    public static int folds(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("manifest.csv"));
        return folds(lines.subList(1, lines.size()), List.of(csv(lines.get(0))).indexOf("fold"));
    }

    private static int folds(List<String> rows, int column) {
        int most = -1;
        for (String row : rows) {
            String f = csv(row)[column];
            if (!f.isEmpty() && !f.equals("-")) {
                most = Math.max(most, Integer.parseInt(f));
            }
        }
        return most + 1;
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

    /** The packages of this part, by label (generated sources included). */
    public Map<String, List<String>> packageNames() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        byLabelAndPackage.forEach((label, pkgs) -> out.put(label, List.copyOf(pkgs.keySet())));
        return out;
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
