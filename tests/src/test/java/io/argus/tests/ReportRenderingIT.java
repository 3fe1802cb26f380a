package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.eval.Evaluation;
import io.argus.jobs.eval.GroundTruth;
import io.argus.jobs.eval.Report;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation report as a browser shows it: {@link Report} writes {@code report.html} for two
 * runs on two labelled streams (events made here, so every number of the page is known), headless
 * Chromium opens it from disk, and the test reads what was laid out and painted: every plot has a
 * size; each heat map has labels x labels cells shaded by the share of their row, the darkest at
 * the most frequent (truth, predicted) pair, with its row and column labels beside it; the per-class
 * bars stand as high as precision, recall and F1; each timeline has a row for the truth and one
 * per run, a span per interval and per window, one colour per label; each latency histogram has
 * 20 bins holding every event; the page fetched nothing; and screenshots show it.
 */
class ReportRenderingIT {

    private static final List<String> STREAMS = List.of("gate-cam", "lobby-cam");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;
    /** Labelled intervals of each stream: kind, start s, end s, label. */
    private static final List<Object[]> INTERVALS = List.of(
            new Object[] {"action", 0, 6, "idle"}, new Object[] {"action", 6, 9, "walking"},
            new Object[] {"action", 9, 12, "running"}, new Object[] {"audio", 0, 4, "speech"},
            new Object[] {"audio", 4, 8, "music"}, new Object[] {"audio", 8, 12, "silence"});
    /**
     * Per run, per true label: every how many windows inside an interval the model is wrong, and
     * what it says then. Chosen so that the most frequent pair is also the largest share of its row.
     */
    private static final List<Map<String, Object[]>> MISTAKES = List.of(
            Map.of("walking", new Object[] {3, "waving"}, "running", new Object[] {3, "walking"},
                    "music", new Object[] {4, "speech"}, "silence", new Object[] {7, "music"}),
            Map.of("idle", new Object[] {5, "running"}, "walking", new Object[] {2, "idle"},
                    "running", new Object[] {2, "walking"}, "speech", new Object[] {3, "music"},
                    "music", new Object[] {7, "silence"}, "silence", new Object[] {2, "speech"}));

    /** A window of the made-up events with its truth: null when it straddles two intervals. */
    private record Window(int run, String stream, String kind, long fromMs, long toMs, String truth, String label) {}

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void chromiumRendersEveryPlotOfTheReport(@TempDir Path dir) throws Exception {
        List<Window> windows = windows();
        Report report = report(windows);
        report.write(dir);

        JsonNode page;
        byte[] viewport;
        byte[] darkestCell;
        try (HeadlessChromium chromium = HeadlessChromium.start(WIDTH, HEIGHT)) {
            chromium.open(dir.resolve("report.html").toUri());
            page = chromium.evaluate(LAYOUT_JS);
            viewport = chromium.screenshot();
            JsonNode cell = darkest(page.path("plots").get(0));
            darkestCell = chromium.screenshot(cell.path("x").asDouble(), cell.path("y").asDouble(),
                    cell.path("w").asDouble(), cell.path("h").asDouble());
        }

        assertThat(page.path("title").asText()).isEqualTo("Argus evaluation");
        assertThat(page.path("resources").asInt()).as("resources the page fetched").isZero();
        List<String> plots = new ArrayList<>();
        page.path("plots").forEach(plot -> plots.add(plot.path("h2").asText() + "/" + plot.path("plot").asText()));
        assertThat(plots).containsExactly("action/confusion", "action/per-class", "action/confusion",
                "action/per-class", "action/timeline", "action/timeline", "audio/confusion", "audio/per-class",
                "audio/confusion", "audio/per-class", "audio/timeline", "audio/timeline",
                "Latency, capture to Kafka/latency", "Latency, capture to Kafka/latency");
        for (JsonNode plot : page.path("plots")) {
            String what = plot.path("h2").asText() + " " + plot.path("plot").asText() + " " + plot.path("h3").asText();
            JsonNode box = plot.path("box");
            assertThat(box.path("w").asDouble()).as("width of %s", what).isGreaterThan(100);
            assertThat(box.path("h").asDouble()).as("height of %s", what).isGreaterThan(100);
            assertThat(box.path("x").asDouble() + box.path("w").asDouble()).as("right edge of %s", what)
                    .isLessThanOrEqualTo(page.path("page").path("w").asDouble());
        }
        int p = 0;
        for (String kind : GroundTruth.KINDS) {
            for (int run = 0; run < 2; run++) {
                assertHeatMap(page.path("plots").get(p++), windows, run, kind);
                assertBars(page.path("plots").get(p++), windows, run, kind);
            }
            for (String stream : STREAMS) {
                assertTimeline(page.path("plots").get(p++), windows, stream, kind);
            }
        }
        for (int run = 0; run < 2; run++) {
            assertHistogram(page.path("plots").get(p++), windows, run);
        }
        assertScreenshots(viewport, darkestCell, darkest(page.path("plots").get(0)).path("fill").asText());
    }

    /** Each window inside a labelled interval, and those that straddle two, for both runs, kinds and streams. */
    private static List<Window> windows() {
        List<Window> windows = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            for (String stream : STREAMS) {
                for (String kind : GroundTruth.KINDS) {
                    long length = kind.equals("action") ? 2000 : 1000;
                    Map<String, Integer> seen = new TreeMap<>();
                    for (long from = 0; from + length <= 12_000; from += 500) {
                        String truth = truthOf(kind, from, from + length);
                        String label = truthOf(kind, from + length / 2, from + length / 2 + 1);
                        if (truth != null) {
                            int i = seen.merge(truth, 1, Integer::sum) - 1;
                            Object[] mistake = MISTAKES.get(run).get(truth);
                            if (mistake != null && i % (int) mistake[0] == (int) mistake[0] - 1) {
                                label = (String) mistake[1];
                            }
                        }
                        windows.add(new Window(run, stream, kind, from, from + length, truth, label));
                    }
                }
            }
        }
        return windows;
    }

    private static String truthOf(String kind, long fromMs, long toMs) {
        for (Object[] i : INTERVALS) {
            if (i[0].equals(kind) && (int) i[1] * 1000L <= fromMs && toMs <= (int) i[2] * 1000L) {
                return (String) i[3];
            }
        }
        return null;
    }

    /** The report {@code argus evaluate} would write for these windows, built through the same public classes. */
    private static Report report(List<Window> windows) throws IOException {
        List<String> labels = new ArrayList<>(List.of("stream,kind,start,end,label"));
        for (String stream : STREAMS) {
            INTERVALS.forEach(i -> labels.add(stream + "," + i[0] + "," + i[1] + "," + i[2] + "," + i[3]));
        }
        List<Evaluation.Run> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<AnalyticsEvent> events = new ArrayList<>();
            for (Window w : windows) {
                if (w.run() == run) {
                    events.add(event(w, latencyMs(run, events.size())));
                }
            }
            int r = run;
            long[] captureToKafka = java.util.stream.IntStream.range(0, events.size()).mapToLong(i -> latencyMs(r, i))
                    .toArray();
            runs.add(new Evaluation.Run(run == 0 ? "bundled:action-cnn-lstm" : "motion-energy",
                    run == 0 ? "bundled:audio-cnn" : "loudness", events, 3.5, captureToKafka));
        }
        return new Report(GroundTruth.parse(labels, "labels.csv"), "labels.csv", List.of(),
                new Evaluation.Result(runs, STREAMS, Map.of(), false));
    }

    /** Capture-to-Kafka latency of a run's i-th event: a cluster of typical values and a few slow ones. */
    private static long latencyMs(int run, int i) {
        return run == 0 ? (i % 10 == 9 ? 400 : 50 + (i % 5) * 2) : (i % 8 == 7 ? 900 : 120 + (i % 7) * 3);
    }

    private static AnalyticsEvent event(Window w, long latencyMs) {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = w.stream();
        e.kind = w.kind();
        e.label = w.label();
        e.score = 0.9f;
        e.topLabels = new String[] {w.label()};
        e.topScores = new float[] {0.9f};
        e.windowStartMs = Evaluation.BASE_MS + w.fromMs();
        e.windowEndMs = Evaluation.BASE_MS + w.toMs();
        e.modelName = "test-model";
        e.modelVersion = "1.0.0";
        e.decodedAtMs = 1_800_000_000_000L + w.fromMs();
        e.inferredAtMs = e.decodedAtMs + latencyMs;
        return e;
    }

    /** The labels of a run's confusion matrix, sorted: those of the truth and those the model said. */
    private static List<String> matrixLabels(List<Window> windows, int run, String kind) {
        TreeSet<String> labels = new TreeSet<>();
        INTERVALS.stream().filter(i -> i[0].equals(kind)).forEach(i -> labels.add((String) i[3]));
        windows.stream().filter(w -> w.run() == run && w.kind().equals(kind)).forEach(w -> labels.add(w.label()));
        return new ArrayList<>(labels);
    }

    private static long count(List<Window> windows, int run, String kind, String truth, String label) {
        return windows.stream().filter(w -> w.run() == run && w.kind().equals(kind) && truth.equals(w.truth())
                && w.label().equals(label)).count();
    }

    private static void assertHeatMap(JsonNode plot, List<Window> windows, int run, String kind) {
        String what = kind + " heat map of run " + (run + 1);
        assertThat(plot.path("h3").asText()).as(what).startsWith("Run " + (run + 1) + ":");
        List<String> labels = matrixLabels(windows, run, kind);
        int n = labels.size();
        List<JsonNode> cells = marks(plot, "cell");
        assertThat(cells).as("cells of the %s", what).hasSize(n * n);
        List<Double> xs = distinct(cells, "x");
        List<Double> ys = distinct(cells, "y");
        assertThat(xs).as("columns of the %s", what).hasSize(n);
        assertThat(ys).as("rows of the %s", what).hasSize(n);
        String mostFrequent = null;
        long most = -1;
        for (JsonNode cell : cells) {
            assertThat(cell.path("w").asDouble()).as("cell width in the %s", what).isGreaterThan(20);
            assertThat(cell.path("h").asDouble()).as("cell height in the %s", what).isGreaterThan(20);
            String truth = labels.get(ys.indexOf(cell.path("y").asDouble()));
            String predicted = labels.get(xs.indexOf(cell.path("x").asDouble()));
            long c = count(windows, run, kind, truth, predicted);
            long row = labels.stream().mapToLong(l -> count(windows, run, kind, truth, l)).sum();
            int shade = (int) Math.round(255 - 200 * (row == 0 ? 0 : (double) c / row));
            assertThat(cell.path("fill").asText()).as("shade of %s -> %s in the %s", truth, predicted, what)
                    .isEqualTo("rgb(" + shade + ", " + shade + ", 255)");
            assertThat(textsInside(plot, cell)).as("number in %s -> %s of the %s", truth, predicted, what)
                    .containsExactly(Long.toString(c));
            if (c > most) {
                most = c;
                mostFrequent = truth + " -> " + predicted;
            }
        }
        JsonNode darkest = darkest(plot);
        long darkestCount = cells.stream().filter(c -> c.path("fill").asText().equals(darkest.path("fill").asText()))
                .count();
        assertThat(darkestCount).as("cells as dark as the darkest in the %s", what).isEqualTo(1);
        String row = textsBeside(plot, darkest, true);
        String column = textsBeside(plot, darkest, false);
        assertThat(row + " -> " + column).as("labels beside the darkest cell of the %s", what)
                .isEqualTo(mostFrequent);
    }

    private static void assertBars(JsonNode plot, List<Window> windows, int run, String kind) {
        String what = kind + " per-class bars of run " + (run + 1);
        List<String> truthLabels = INTERVALS.stream().filter(i -> i[0].equals(kind)).map(i -> (String) i[3])
                .distinct().sorted().toList();
        List<String> labels = matrixLabels(windows, run, kind);
        List<JsonNode> bars = marks(plot, "bar");
        assertThat(bars).as(what).hasSize(3 * truthLabels.size());
        Map<String, Double> expected = new LinkedHashMap<>();
        for (String l : truthLabels) {
            long tp = count(windows, run, kind, l, l);
            long actual = labels.stream().mapToLong(p -> count(windows, run, kind, l, p)).sum();
            long said = labels.stream().mapToLong(t -> count(windows, run, kind, t, l)).sum();
            double precision = said == 0 ? 0 : (double) tp / said;
            double recall = actual == 0 ? 0 : (double) tp / actual;
            expected.put(l + " precision", precision);
            expected.put(l + " recall", recall);
            expected.put(l + " F1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
        }
        double baseline = bars.get(0).path("y").asDouble() + bars.get(0).path("h").asDouble();
        Set<String> drawn = new HashSet<>();
        for (JsonNode bar : bars) {
            String title = bar.path("title").asText();
            String name = title.substring(0, title.lastIndexOf(' '));
            double value = Double.parseDouble(title.substring(title.lastIndexOf(' ') + 1));
            assertThat(expected).as(what).containsKey(name);
            assertThat(value).as("%s in the %s", name, what).isCloseTo(expected.get(name), within(0.0005));
            assertThat(bar.path("h").asDouble()).as("height of %s in the %s", name, what)
                    .isCloseTo(160 * expected.get(name), within(1.0));
            assertThat(bar.path("y").asDouble() + bar.path("h").asDouble()).as("foot of %s", name)
                    .isCloseTo(baseline, within(0.5));
            drawn.add(name);
        }
        assertThat(drawn).as(what).isEqualTo(expected.keySet());
        assertThat(texts(plot)).as("class names under the %s", what).containsAll(truthLabels);
    }

    private static void assertTimeline(JsonNode plot, List<Window> windows, String stream, String kind) {
        String what = kind + " timeline of " + stream;
        assertThat(plot.path("h3").asText()).isEqualTo("Timeline of " + stream);
        List<JsonNode> spans = marks(plot, "span");
        List<String> truth = INTERVALS.stream().filter(i -> i[0].equals(kind)).map(i -> (String) i[3]).toList();
        long events = windows.stream().filter(w -> w.stream().equals(stream) && w.kind().equals(kind)).count();
        assertThat(spans).as("spans of the %s", what).hasSize((int) (truth.size() + events));
        List<Double> rows = distinct(spans, "y");
        assertThat(rows).as("rows of the %s: truth and two runs", what).hasSize(3);
        List<String> truthRow = spans.stream().filter(s -> s.path("y").asDouble() == rows.get(0))
                .sorted((a, b) -> Double.compare(a.path("x").asDouble(), b.path("x").asDouble()))
                .map(s -> s.path("title").asText()).toList();
        assertThat(truthRow).as("the truth row of the %s, left to right", what).isEqualTo(truth);
        Map<String, String> colourOf = new TreeMap<>();
        double left = plot.path("box").path("x").asDouble();
        double right = left + plot.path("box").path("w").asDouble();
        for (JsonNode s : spans) {
            assertThat(s.path("w").asDouble()).as("width of a span in the %s", what).isGreaterThan(0);
            assertThat(s.path("x").asDouble()).as("span in the %s", what).isBetween(left, right);
            assertThat(s.path("x").asDouble() + s.path("w").asDouble()).as("span in the %s", what)
                    .isLessThanOrEqualTo(right);
            String before = colourOf.putIfAbsent(s.path("title").asText(), s.path("fill").asText());
            assertThat(before == null ? s.path("fill").asText() : before).as("colour of %s in the %s",
                    s.path("title").asText(), what).isEqualTo(s.path("fill").asText());
        }
        assertThat(new HashSet<>(colourOf.values())).as("one colour per label in the %s: %s", what, colourOf)
                .hasSameSizeAs(colourOf.keySet());
    }

    private static void assertHistogram(JsonNode plot, List<Window> windows, int run) {
        String what = "latency histogram of run " + (run + 1);
        List<JsonNode> bins = marks(plot, "bin");
        assertThat(bins).as(what).hasSize(20);
        int events = (int) windows.stream().filter(w -> w.run() == run).count();
        long max = java.util.stream.IntStream.range(0, events).mapToLong(i -> latencyMs(run, i)).max().orElseThrow();
        int[] expected = new int[20];
        for (int i = 0; i < events; i++) {
            expected[(int) Math.min(19, latencyMs(run, i) * 20 / (max + 1))]++;
        }
        int top = java.util.Arrays.stream(expected).max().orElseThrow();
        List<JsonNode> leftToRight = bins.stream().sorted((a, b) -> Double.compare(a.path("x").asDouble(),
                b.path("x").asDouble())).toList();
        for (int b = 0; b < 20; b++) {
            JsonNode bin = leftToRight.get(b);
            assertThat(bin.path("title").asText()).as("bin %d of the %s", b, what).isEqualTo(expected[b] + " events");
            assertThat(bin.path("h").asDouble()).as("height of bin %d of the %s", b, what)
                    .isCloseTo(120.0 * expected[b] / top, within(1.0));
        }
        assertThat(texts(plot)).as(what).anyMatch(t -> t.endsWith("0 to " + max + " ms"));
    }

    private static void assertScreenshots(byte[] viewport, byte[] cell, String fill) throws IOException {
        BufferedImage page = ImageIO.read(new ByteArrayInputStream(viewport));
        assertThat(page).as("the screenshot decodes as an image").isNotNull();
        assertThat(page.getWidth()).isEqualTo(WIDTH);
        assertThat(page.getHeight()).isEqualTo(HEIGHT);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < page.getHeight(); y++) {
            for (int x = 0; x < page.getWidth(); x++) {
                colours.add(page.getRGB(x, y) & 0xffffff);
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(50);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(cell));
        String[] rgb = fill.replaceAll("[^0-9,]", "").split(",");
        int want = (Integer.parseInt(rgb[0]) << 16) | (Integer.parseInt(rgb[1]) << 8) | Integer.parseInt(rgb[2]);
        int painted = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                painted += near(image.getRGB(x, y) & 0xffffff, want) ? 1 : 0;
            }
        }
        assertThat((double) painted / (image.getWidth() * image.getHeight()))
                .as("share of the darkest cell's pixels painted %s", fill).isGreaterThan(0.6);
    }

    private static boolean near(int a, int b) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > 3) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonNode> marks(JsonNode plot, String kind) {
        List<JsonNode> marks = new ArrayList<>();
        plot.path("marks").forEach(m -> {
            if (m.path("kind").asText().equals(kind)) {
                marks.add(m);
            }
        });
        return marks;
    }

    private static List<Double> distinct(List<JsonNode> marks, String field) {
        return marks.stream().map(m -> m.path(field).asDouble()).distinct().sorted().toList();
    }

    private static List<String> texts(JsonNode plot) {
        List<String> texts = new ArrayList<>();
        plot.path("texts").forEach(t -> texts.add(t.path("text").asText()));
        return texts;
    }

    private static JsonNode darkest(JsonNode plot) {
        return marks(plot, "cell").stream().min((a, b) -> Integer.compare(red(a), red(b))).orElseThrow();
    }

    private static int red(JsonNode mark) {
        return Integer.parseInt(mark.path("fill").asText().replaceAll("^rgb\\((\\d+),.*$", "$1"));
    }

    /** The texts whose laid-out centre lies inside the mark. */
    private static List<String> textsInside(JsonNode plot, JsonNode mark) {
        List<String> inside = new ArrayList<>();
        plot.path("texts").forEach(t -> {
            double cx = t.path("x").asDouble() + t.path("w").asDouble() / 2;
            double cy = t.path("y").asDouble() + t.path("h").asDouble() / 2;
            if (cx > mark.path("x").asDouble() && cx < mark.path("x").asDouble() + mark.path("w").asDouble()
                    && cy > mark.path("y").asDouble() && cy < mark.path("y").asDouble() + mark.path("h").asDouble()) {
                inside.add(t.path("text").asText());
            }
        });
        return inside;
    }

    /**
     * The text laid out left of the grid on the cell's row ({@code row}), or above the grid starting within
     * the cell's column; several or none are joined, so that a wrong layout shows in the message.
     */
    private static String textsBeside(JsonNode plot, JsonNode cell, boolean row) {
        double x = cell.path("x").asDouble();
        double y = cell.path("y").asDouble();
        double left = marks(plot, "cell").stream().mapToDouble(c -> c.path("x").asDouble()).min().orElseThrow();
        double top = marks(plot, "cell").stream().mapToDouble(c -> c.path("y").asDouble()).min().orElseThrow();
        List<String> found = new ArrayList<>();
        plot.path("texts").forEach(t -> {
            double tx = t.path("x").asDouble();
            double cy = t.path("y").asDouble() + t.path("h").asDouble() / 2;
            boolean beside = row
                    ? tx + t.path("w").asDouble() <= left && cy > y && cy < y + cell.path("h").asDouble()
                    : t.path("y").asDouble() + t.path("h").asDouble() <= top && tx >= x
                            && tx < x + cell.path("w").asDouble();
            if (beside) {
                found.add(t.path("text").asText());
            }
        });
        return String.join("|", found);
    }

    /**
     * What the page laid out: each SVG with the headings above it, its box, its classed marks
     * (box, computed fill, tooltip) and its texts (box), in CSS pixels from the document's top left.
     */
    private static final String LAYOUT_JS = """
            (() => {
              const box = e => { const r = e.getBoundingClientRect();
                return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height}; };
              const heading = (svg, tag) => {
                for (let e = svg.previousElementSibling; e; e = e.previousElementSibling) {
                  if (e.tagName === tag) return e.textContent;
                  if (e.tagName === 'H2') return null;
                }
                return null;
              };
              return {
                title: document.title,
                resources: performance.getEntriesByType('resource').length,
                page: {w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight},
                plots: [...document.querySelectorAll('svg')].map(svg => ({
                  plot: svg.getAttribute('class'), h2: heading(svg, 'H2'), h3: heading(svg, 'H3'), box: box(svg),
                  marks: [...svg.querySelectorAll('rect[class]')].map(r => Object.assign(box(r), {
                    kind: r.getAttribute('class'), fill: getComputedStyle(r).fill,
                    title: r.querySelector('title') ? r.querySelector('title').textContent : null})),
                  texts: [...svg.querySelectorAll('text')].map(t => Object.assign(box(t), {text: t.textContent}))
                }))
              };
            })()
            """;
}
