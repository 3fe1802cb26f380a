package io.argus.jobs.metrics;

import io.argus.operators.metrics.PerStreamMetrics;
import io.argus.operators.metrics.StreamHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per camera and microphone, whether it is live, stalled or gone and what came in, and which model
 * versions serve: read from the scrapes of a job's metric endpoints (one per task manager).
 */
public final class StreamReport {

    /** What the metrics say about one stream. */
    public static final class Stream {
        public final String id;
        /** Per media (video, audio): LIVE, STALLED or GONE. */
        public final Map<String, Integer> states = new TreeMap<>();
        public double secondsSinceMedia = Double.POSITIVE_INFINITY;
        /** The newest capture time the stream sent, epoch ms; -1 when unknown. */
        public long lastCaptureMs = -1;
        public double frames;
        public double audioSeconds;
        public double late;
        public double refused;
        public double lagMs = -1;
        public int people = -1;

        Stream(String id) {
            this.id = id;
        }

        /** The best state over the stream's media: live if any is live. */
        public int state() {
            return states.values().stream().min(Integer::compare).orElse(StreamHealth.GONE);
        }
    }

    private final Map<String, Stream> streams = new TreeMap<>();
    private final TreeSet<String> serving = new TreeSet<>();

    /** Reads the samples of one or more scrapes. */
    public static StreamReport of(List<PrometheusText.Sample> samples) {
        StreamReport r = new StreamReport();
        for (PrometheusText.Sample s : samples) {
            r.add(s);
        }
        return r;
    }

    private void add(PrometheusText.Sample s) {
        String metric = s.name().substring(s.name().lastIndexOf('_') + 1);
        String operator = s.label("operator_name");
        if (s.name().endsWith("_model_version_serving")) {
            if (s.value() == 1) {
                serving.add(operator + " " + s.label("model") + " " + s.label("version"));
            }
            return;
        }
        String id = s.label(PerStreamMetrics.STREAM);
        if (id == null || operator == null || !s.name().contains("_stream_")) {
            return;
        }
        Stream st = streams.computeIfAbsent(id, Stream::new);
        String media = operator.endsWith("-audio") ? "audio" : "video";
        switch (metric) {
            case "state" -> st.states.merge(media, (int) s.value(), Math::min);
            case "secondsSinceMedia" -> {
                if (s.value() >= 0) {
                    st.secondsSinceMedia = Math.min(st.secondsSinceMedia, s.value());
                }
            }
            case "lastCaptureTime" -> st.lastCaptureMs = Math.max(st.lastCaptureMs, (long) s.value());
            case "framesIn" -> st.frames += s.value();
            case "audioSecondsIn" -> st.audioSeconds += s.value();
            case "lateElements" -> st.late += s.value();
            case "recordsRefused" -> st.refused += s.value();
            case "captureToEventLagMs" -> st.lagMs = Math.max(st.lagMs, s.value());
            case "people" -> st.people = Math.max(st.people, (int) s.value());
            default -> { }
        }
    }

    public Map<String, Stream> streams() {
        return streams;
    }

    /** {@code operator model version} of each version serving. */
    public TreeSet<String> serving() {
        return serving;
    }

    public static String stateName(int state) {
        return switch (state) {
            case StreamHealth.LIVE -> "live";
            case StreamHealth.STALLED -> "stalled";
            default -> "gone";
        };
    }

    /** The report as a table, a line per stream, then the models. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        int[] counts = new int[3];
        streams.values().forEach(s -> counts[s.state()]++);
        out.add(String.format(Locale.ROOT, "%d streams: %d live, %d stalled, %d gone", streams.size(),
                counts[StreamHealth.LIVE], counts[StreamHealth.STALLED], counts[StreamHealth.GONE]));
        if (!streams.isEmpty()) {
            out.add(String.format(Locale.ROOT, "  %-24s %-8s %-22s %11s %8s %9s %6s %8s %10s %6s", "stream", "state",
                    "media", "last media", "frames", "audio s", "late", "refused", "lag", "people"));
        }
        for (Stream s : streams.values()) {
            StringBuilder media = new StringBuilder();
            s.states.forEach((m, st) -> media.append(media.length() == 0 ? "" : ", ").append(m).append(' ')
                    .append(stateName(st)));
            out.add(String.format(Locale.ROOT, "  %-24s %-8s %-22s %11s %8.0f %9.1f %6.0f %8.0f %10s %6s", s.id,
                    stateName(s.state()), media, Double.isInfinite(s.secondsSinceMedia) ? "-"
                            : String.format(Locale.ROOT, "%.1f s ago", s.secondsSinceMedia),
                    s.frames, s.audioSeconds, s.late, s.refused,
                    s.lagMs < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", s.lagMs / 1000),
                    s.people < 0 ? "-" : Integer.toString(s.people)));
        }
        out.add("models serving: " + (serving.isEmpty() ? "none reported" : String.join("; ", serving)));
        return out;
    }
}
