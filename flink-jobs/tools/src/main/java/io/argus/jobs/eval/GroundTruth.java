package io.argus.jobs.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a recording shows, for scoring a model on it: labelled time intervals per stream and kind,
 * read from CSV (see {@code docs/evaluation.md}):
 *
 * <pre>
 * stream,kind,start,end,label
 * lobby-cam,action,0,4,idle
 * lobby-cam,audio,4,8.5,speech
 * </pre>
 *
 * Times are seconds from the start of the recording; intervals of one stream and kind must not
 * overlap (they may touch). {@link #parse} reports every problem with its line, not only the first.
 */
public final class GroundTruth {

    public static final List<String> KINDS = List.of("action", "audio");
    private static final List<String> COLUMNS = List.of("stream", "kind", "start", "end", "label");
    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9._:@/-]{1,128}");

    /** One labelled interval; times in milliseconds from the recording's start. */
    public record Interval(int line, String stream, String kind, long startMs, long endMs, String label) {

        public long durationMs() {
            return endMs - startMs;
        }
    }

    /** A ground-truth file that cannot be used; {@link #problems()} holds one line per problem. */
    public static final class InvalidGroundTruthException extends IOException {
        private final List<String> problems;

        InvalidGroundTruthException(List<String> problems) {
            super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in the labels:\n  "
                    + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private final List<Interval> intervals;

    private GroundTruth(List<Interval> intervals) {
        this.intervals = List.copyOf(intervals);
    }

    public static GroundTruth parse(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /**
     * Reads the lines of a labels file named {@code name} (for messages).
     *
     * @throws InvalidGroundTruthException listing every problem as {@code name:LINE: what}
     */
    public static GroundTruth parse(List<String> lines, String name) throws InvalidGroundTruthException {
        Lenient read = parseLenient(lines, name);
        if (!read.problems().isEmpty()) {
            throw new InvalidGroundTruthException(read.problems());
        }
        return read.truth();
    }

    /** The usable intervals of a labels file and the problems of the rest. */
    public record Lenient(GroundTruth truth, List<String> problems) {}

    public static Lenient parseLenient(Path file) throws IOException {
        return parseLenient(Files.readAllLines(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /**
     * Reads what can be used: lines with a problem are left out, and of two overlapping intervals
     * the later line; every problem is listed as {@code name:LINE: what}.
     *
     * @throws InvalidGroundTruthException when nothing is usable (no header, no valid interval)
     */
    public static Lenient parseLenient(List<String> lines, String name) throws InvalidGroundTruthException {
        List<String> problems = new ArrayList<>();
        List<Interval> intervals = new ArrayList<>();
        int[] column = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (column == null) {
                column = header(cells, name + ":" + number, problems);
                if (column == null) {
                    break;
                }
                continue;
            }
            Interval interval = interval(cells, column, number, name, problems);
            if (interval != null) {
                intervals.add(interval);
            }
        }
        if (column == null) {
            if (problems.isEmpty()) {
                problems.add(name + ": no header line " + String.join(",", COLUMNS));
            }
            throw new InvalidGroundTruthException(problems);
        }
        intervals.removeAll(overlaps(intervals, name, problems));
        if (intervals.isEmpty()) {
            problems.add(name + ": no usable intervals");
            throw new InvalidGroundTruthException(problems);
        }
        return new Lenient(new GroundTruth(intervals), problems);
    }

    private static int[] header(String[] cells, String where, List<String> problems) {
        int[] column = new int[COLUMNS.size()];
        java.util.Arrays.fill(column, -1);
        for (int c = 0; c < cells.length; c++) {
            int k = COLUMNS.indexOf(cells[c].strip().toLowerCase(java.util.Locale.ROOT));
            if (k < 0) {
                problems.add(where + ": unknown column '" + cells[c].strip() + "'; the columns are " + COLUMNS);
                return null;
            }
            column[k] = c;
        }
        for (int k = 0; k < COLUMNS.size(); k++) {
            if (column[k] < 0) {
                problems.add(where + ": the header lacks column '" + COLUMNS.get(k) + "'");
                return null;
            }
        }
        return column;
    }

    private static Interval interval(String[] cells, int[] column, int number, String name, List<String> problems) {
        String where = name + ":" + number + ": ";
        if (cells.length != COLUMNS.size()) {
            problems.add(where + cells.length + " cells, expected " + COLUMNS.size());
            return null;
        }
        String stream = cells[column[0]].strip();
        String kind = cells[column[1]].strip();
        String label = cells[column[4]].strip();
        int before = problems.size();
        if (!STREAM.matcher(stream).matches()) {
            problems.add(where + "stream '" + stream + "' is not a stream id (1-128 of A-Z a-z 0-9 . _ : @ / -)");
        }
        if (!KINDS.contains(kind)) {
            problems.add(where + "kind '" + kind + "' is not one of " + KINDS);
        }
        if (label.isEmpty()) {
            problems.add(where + "empty label");
        }
        Long start = millis(cells[column[2]].strip(), "start", where, problems);
        Long end = millis(cells[column[3]].strip(), "end", where, problems);
        if (start != null && end != null && end <= start) {
            problems.add(where + "end " + cells[column[3]].strip() + " is not after start " + cells[column[2]].strip());
        }
        return problems.size() > before ? null : new Interval(number, stream, kind, start, end, label);
    }

    private static Long millis(String cell, String what, String where, List<String> problems) {
        try {
            double seconds = Double.parseDouble(cell);
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                problems.add(where + what + " " + cell + " is not a time >= 0 in seconds");
                return null;
            }
            return Math.round(seconds * 1000);
        } catch (NumberFormatException e) {
            problems.add(where + what + " '" + cell + "' is not a number of seconds");
            return null;
        }
    }

    /** Reports each overlap at the later line; returns those later lines' intervals. */
    private static List<Interval> overlaps(List<Interval> intervals, String name, List<String> problems) {
        Map<String, List<Interval>> byTrack = new HashMap<>();
        intervals.forEach(i -> byTrack.computeIfAbsent(i.stream() + "\u0000" + i.kind(), k -> new ArrayList<>()).add(i));
        record Overlap(Interval later, String message) {}
        List<Overlap> found = new ArrayList<>();
        for (List<Interval> track : byTrack.values()) {
            track.sort(Comparator.comparingLong(Interval::startMs));
            for (int k = 1; k < track.size(); k++) {
                Interval a = track.get(k - 1);
                Interval b = track.get(k);
                if (b.startMs() < a.endMs()) {
                    Interval later = a.line() > b.line() ? a : b;
                    Interval earlier = later == a ? b : a;
                    found.add(new Overlap(later, name + ":" + later.line() + ": overlaps line " + earlier.line()
                            + " (" + a.stream() + ", " + a.kind() + ", " + seconds(b.startMs()) + "-"
                            + seconds(Math.min(a.endMs(), b.endMs())) + " s labelled twice)"));
                }
            }
        }
        found.sort(Comparator.comparingInt(o -> o.later().line()));
        found.forEach(o -> problems.add(o.message()));
        return found.stream().map(Overlap::later).toList();
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }

    public List<Interval> intervals() {
        return intervals;
    }

    /** The streams the labels cover, sorted. */
    public List<String> streams() {
        return new ArrayList<>(new TreeSet<>(intervals.stream().map(Interval::stream).toList()));
    }

    /** The labels used for {@code kind}, sorted. */
    public List<String> labels(String kind) {
        return new ArrayList<>(new TreeSet<>(intervals.stream().filter(i -> i.kind().equals(kind))
                .map(Interval::label).toList()));
    }

    /**
     * The label of a window, times in ms from the recording's start: that of the interval holding
     * it whole; empty when it straddles a boundary or lies outside the labelled time.
     */
    public Optional<String> labelOf(String stream, String kind, long startMs, long endMs) {
        for (Interval i : intervals) {
            if (i.stream().equals(stream) && i.kind().equals(kind) && i.startMs() <= startMs && endMs <= i.endMs()) {
                return Optional.of(i.label());
            }
        }
        return Optional.empty();
    }
}
