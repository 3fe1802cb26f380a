package io.argus.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A folder of labelled clips, as {@code argus finetune} reads it: one subfolder per label, named
 * after it, holding video or audio files. Each clip is cut into windows and a share of each
 * label's clips is held out for validation as whole files, so that overlapping windows of one
 * recording never straddle the split.
 */
public final class LabelledClips {

    /** The files a base model's task reads, by extension; the other kind's are refused by name. */
    public enum FileKind {
        VIDEO("video", List.of(".mkv", ".mp4", ".webm", ".mov", ".avi")),
        AUDIO("audio", List.of(".wav", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".wma", ".aif",
                ".aiff", ".mka"));

        private final String word;
        private final List<String> extensions;

        FileKind(String word, List<String> extensions) {
            this.word = word;
            this.extensions = extensions;
        }

        public List<String> extensions() {
            return extensions;
        }

        boolean matches(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return extensions.stream().anyMatch(name::endsWith);
        }

        FileKind other() {
            return this == VIDEO ? AUDIO : VIDEO;
        }

        @Override
        public String toString() {
            return word + " files (" + String.join(", ", extensions) + ")";
        }
    }

    /** Cuts one file into windows; fails (naming the file) when it cannot be decoded. */
    @FunctionalInterface
    public interface Cutter<W> {
        List<W> windows(Path file) throws IOException;
    }

    /** Training and validation samples, split by whole files. */
    public record Split<S>(List<S> train, List<S> validation) {}

    private LabelledClips() {}

    /** The label folders of {@code data}, in name order; at least two. */
    public static List<String> labels(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("option --data: " + data + " is not a directory");
        }
        try (Stream<Path> s = Files.list(data)) {
            List<String> labels = s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
            if (labels.size() < 2) {
                throw new IllegalArgumentException("option --data: " + data + " needs a subfolder per label, at "
                        + "least 2; found " + labels);
            }
            return labels;
        }
    }

    /**
     * Cuts every clip of every label into windows and holds out {@code fraction} of each label's
     * clips (at least one) for validation, chosen by {@code seed}. A file that cannot be decoded, or
     * that is shorter than one window, is reported on {@code out} and left out; a label left with
     * fewer than two clips, or a file of the other kind (a video for an audio model, say), stops it.
     *
     * @param model the base model and its task, as errors name it ({@code "audio-cnn@1.0.0 is an audio model"})
     * @param sample makes a sample of a window and its label's index
     */
    public static <W, S> Split<S> load(Path data, List<String> labels, FileKind kind, String model, Cutter<W> cutter,
            BiFunction<W, Integer, S> sample, double fraction, long seed, PrintStream out) throws IOException {
        List<S> train = new ArrayList<>();
        List<S> validation = new ArrayList<>();
        Random split = new Random(seed);
        for (int label = 0; label < labels.size(); label++) {
            String name = labels.get(label);
            List<Path> files = files(data.resolve(name), kind, model);
            List<List<W>> clips = new ArrayList<>();
            for (Path f : files) {
                long t0 = System.nanoTime();
                String what = name + "/" + f.getFileName();
                try {
                    List<W> windows = cutter.windows(f);
                    if (windows.isEmpty()) {
                        out.printf("  %s: left out, shorter than one window%n", what);
                    } else {
                        clips.add(windows);
                        out.printf(Locale.ROOT, "  %s: %d windows (%.1f s)%n", what, windows.size(),
                                (System.nanoTime() - t0) / 1e9);
                    }
                } catch (IOException e) {
                    out.printf("  %s: left out, %s%n", what, e.getMessage());
                }
            }
            if (clips.size() < 2) {
                throw new IllegalArgumentException("option --data: label " + name + " has " + clips.size()
                        + " usable clip(s) among " + files.size() + " " + kind + "; each label needs at least 2 "
                        + "(one is held out for validation)");
            }
            Collections.shuffle(clips, split);
            int held = Math.max(1, (int) Math.round(fraction * clips.size()));
            for (int i = 0; i < clips.size(); i++) {
                for (W w : clips.get(i)) {
                    (i < held ? validation : train).add(sample.apply(w, label));
                }
            }
        }
        return new Split<>(train, validation);
    }

    /** The label folder's files of {@code kind}, in name order; other files are ignored. */
    private static List<Path> files(Path dir, FileKind kind, String model) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            for (Path f : files) {
                if (kind.other().matches(f)) {
                    throw new IllegalArgumentException("option --data: " + dir.getFileName() + "/" + f.getFileName()
                            + " is a " + kind.other().word + " file; the base model " + model + " and takes " + kind);
                }
            }
            return files.stream().filter(kind::matches).toList();
        }
    }
}
