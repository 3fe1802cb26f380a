package io.argus.operators.incidents;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import io.argus.operators.incidents.IncidentState.Combined;
import io.argus.operators.incidents.IncidentState.Run;
import io.argus.operators.incidents.IncidentState.Tally;
import io.argus.operators.incidents.IncidentState.Window;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns one stream's events, fed in order of their windows' ends, into incidents: the rules of
 * {@link IncidentSettings} and {@link CombinedRule}, with no Flink in sight. All it remembers is in
 * the {@link IncidentState} it is handed, so the same events give the same incidents whether the
 * state was checkpointed and restored in between or not.
 *
 * <p>{@code action} and {@code audio} events are whole windows and make runs; a {@code person}
 * event adds its track to the action run of its label. Each incident is written twice, when it
 * opens and when it closes, under an id made of stream, kind, label and start.
 */
public final class IncidentTracker {

    /** How far back windows are kept to seed a new run's view of the other modality. */
    static final long HISTORY_MS = 10_000;
    /** At most this many track ids per incident. */
    static final int MAX_TRACKS = 64;

    private final IncidentSettings settings;

    public IncidentTracker(IncidentSettings settings) {
        this.settings = settings;
    }

    /** Feeds one event; what opens or closes because of it goes to {@code out}. */
    public void accept(IncidentState st, AnalyticsEvent e, long nowMs, Consumer<Incident> out) {
        st.streamId = e.streamId;
        if (AnalyticsEvent.KIND_PERSON.equals(e.kind)) {
            addTrack(st, e);
            return;
        }
        String other = otherKind(e.kind);
        st.newestEndMs = Math.max(st.newestEndMs, e.windowEndMs);
        Window w = window(e);
        for (Run r : new ArrayList<>(st.runs)) {
            if (r.kind.equals(e.kind)
                    && (w.startMs - r.endMs > settings.maxGapMs() || r.endMs - w.endMs > settings.maxGapMs())) {
                finish(st, r, Incident.CLOSED_GAP, nowMs, out);
            } else if (r.kind.equals(other)) {
                tally(r, w);
            }
        }
        Run supported = null;
        if (!settings.ignores(e.label) && e.score >= settings.minScore(e.label)) {
            supported = find(st, e.kind, e.label);
            if (supported == null) {
                supported = start(st, e);
            }
            extend(supported, e);
        }
        for (Run r : new ArrayList<>(st.runs)) {
            if (r != supported && r.kind.equals(e.kind) && w.endMs - r.endMs >= settings.closeAfterMs()) {
                finish(st, r, Incident.CLOSED_ENDED, nowMs, out);
            }
        }
        if (supported != null && !supported.open && supported.endMs - supported.startMs >= settings.minDurationMs()) {
            supported.open = true;
            out.accept(incident(st, supported, nowMs));
            applyRules(st, supported, nowMs, out);
        }
        st.history.add(w);
        prune(st);
    }

    /**
     * Closes the runs whose modality has been silent past the maximum gap, now that every window
     * ending by {@code watermarkMs} has been fed.
     */
    public void closeQuiet(IncidentState st, long watermarkMs, long nowMs, Consumer<Incident> out) {
        for (Run r : new ArrayList<>(st.runs)) {
            if (watermarkMs >= quietDeadline(r)) {
                finish(st, r, Incident.CLOSED_GAP, nowMs, out);
            }
        }
    }

    /** The media time by which a run is closed for a gap unless a window of its modality came. */
    public long quietDeadline(Run r) {
        return r.endMs + settings.maxGapMs() + r.lastWindowMs + 1;
    }

    /** Closes everything under way, marked {@code reason} (released stream, end of input). */
    public void closeAll(IncidentState st, String reason, long nowMs, Consumer<Incident> out) {
        for (Run r : new ArrayList<>(st.runs)) {
            finish(st, r, reason, nowMs, out);
        }
    }

    private void addTrack(IncidentState st, AnalyticsEvent e) {
        if (e.trackId == null) {
            return;
        }
        Run r = find(st, AnalyticsEvent.KIND_ACTION, e.label);
        if (r != null && e.windowStartMs < r.endMs && e.windowEndMs > r.startMs && !r.tracks.contains(e.trackId)
                && r.tracks.size() < MAX_TRACKS) {
            r.tracks.add(e.trackId);
        }
    }

    private Run start(IncidentState st, AnalyticsEvent e) {
        Run r = new Run();
        r.kind = e.kind;
        r.label = e.label;
        // overlapping windows: a new incident of a label starts where the last one of that label ended
        r.startMs = e.windowStartMs;
        for (Run c : st.closed) {
            if (c.kind.equals(e.kind) && c.label.equals(e.label) && c.endMs > r.startMs) {
                r.startMs = c.endMs;
            }
        }
        r.endMs = r.startMs;
        r.id = st.streamId + "/" + e.kind + "/" + e.label + "/" + r.startMs;
        String other = otherKind(e.kind);
        for (Window h : st.history) {
            if (h.kind.equals(other) && h.endMs > r.startMs) {
                r.alongsidePending.add(h);
            }
        }
        st.runs.add(r);
        return r;
    }

    private static void extend(Run r, AnalyticsEvent e) {
        r.endMs = Math.max(r.endMs, e.windowEndMs);
        r.lastWindowMs = e.windowEndMs - e.windowStartMs;
        r.windows++;
        r.scoreSum += e.score;
        r.peakScore = Math.max(r.peakScore, e.score);
        String model = e.modelName + '\u0000' + e.modelVersion;
        if (!r.models.contains(model)) {
            r.models.add(model);
        }
        for (Iterator<Window> it = r.alongsidePending.iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (w.startMs < r.endMs) {
                count(r, w);
                it.remove();
            }
        }
    }

    /** Counts a window of the other modality for a run if it overlaps the run, or keeps it for later. */
    private static void tally(Run r, Window w) {
        if (w.endMs <= r.startMs) {
            return;
        }
        if (w.startMs < r.endMs) {
            count(r, w);
        } else {
            r.alongsidePending.add(w);
        }
    }

    private static void count(Run r, Window w) {
        Tally t = r.alongside.computeIfAbsent(w.label, k -> new Tally());
        t.windows++;
        t.peakScore = Math.max(t.peakScore, w.score);
        r.alongsideWindows++;
    }

    private void finish(IncidentState st, Run r, String reason, long nowMs, Consumer<Incident> out) {
        st.runs.remove(r);
        r.alongsidePending.clear();
        if (!r.open) {
            return; // too short to be an incident
        }
        r.closedBy = reason;
        out.accept(incident(st, r, nowMs));
        st.closed.add(r);
        for (Iterator<Combined> it = st.combined.iterator(); it.hasNext(); ) {
            Combined c = it.next();
            if (c.components.contains(r.id) && c.components.stream().allMatch(id -> closedRun(st, id) != null)) {
                out.accept(combinedIncident(st, c, reason, nowMs));
                it.remove();
            }
        }
    }

    /** Joins a newly opened incident with its partners under the combined rules. */
    private void applyRules(IncidentState st, Run opened, long nowMs, Consumer<Incident> out) {
        for (CombinedRule rule : settings.rules()) {
            if (!rule.involves(opened.label)) {
                continue;
            }
            Combined active = st.combined.stream().filter(c -> c.label.equals(rule.name())).findFirst().orElse(null);
            if (active != null) {
                if (distance(span(st, active), opened) <= rule.toleranceMs()) {
                    active.components.add(opened.id);
                }
                continue;
            }
            String partner = rule.partnerOf(opened.label);
            Run best = null;
            for (Run r : incidents(st)) {
                if (r != opened && r.label.equals(partner) && distance(r, opened) <= rule.toleranceMs()
                        && (best == null || r.endMs > best.endMs)) {
                    best = r;
                }
            }
            if (best != null) {
                Combined c = new Combined();
                c.label = rule.name();
                c.toleranceMs = rule.toleranceMs();
                c.components.add(best.id);
                c.components.add(opened.id);
                c.id = st.streamId + "/" + Incident.KIND_COMBINED + "/" + c.label + "/"
                        + Math.min(best.startMs, opened.startMs);
                st.combined.add(c);
                out.accept(combinedIncident(st, c, null, nowMs));
            }
        }
    }

    /** Open incidents and recently closed ones. */
    private static List<Run> incidents(IncidentState st) {
        List<Run> all = new ArrayList<>(st.closed);
        st.runs.stream().filter(r -> r.open).forEach(all::add);
        return all;
    }

    /** How far apart two spans lie; 0 or less when they overlap or touch. */
    private static long distance(Run a, Run b) {
        return Math.max(a.startMs, b.startMs) - Math.min(a.endMs, b.endMs);
    }

    private static Run span(IncidentState st, Combined c) {
        Run s = new Run();
        s.startMs = Long.MAX_VALUE;
        s.endMs = Long.MIN_VALUE;
        for (String id : c.components) {
            Run r = component(st, id);
            if (r != null) {
                s.startMs = Math.min(s.startMs, r.startMs);
                s.endMs = Math.max(s.endMs, r.endMs);
            }
        }
        return s;
    }

    private static Run component(IncidentState st, String id) {
        Run closed = closedRun(st, id);
        if (closed != null) {
            return closed;
        }
        return st.runs.stream().filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }

    private static Run closedRun(IncidentState st, String id) {
        return st.closed.stream().filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }

    /** Drops windows older than the history and closed incidents no rule can join any more. */
    private void prune(IncidentState st) {
        st.history.removeIf(h -> h.endMs <= st.newestEndMs - HISTORY_MS);
        // a run yet to open may start as early as the oldest pending one, or a window's length back
        long earliestStart = st.newestEndMs - HISTORY_MS;
        for (Run r : st.runs) {
            earliestStart = Math.min(earliestStart, r.startMs);
        }
        long keepAfter = earliestStart - settings.maxToleranceMs();
        st.closed.removeIf(r -> r.endMs < keepAfter
                && st.combined.stream().noneMatch(c -> c.components.contains(r.id)));
    }

    private static Run find(IncidentState st, String kind, String label) {
        for (Run r : st.runs) {
            if (r.kind.equals(kind) && r.label.equals(label)) {
                return r;
            }
        }
        return null;
    }

    private static Window window(AnalyticsEvent e) {
        Window w = new Window();
        w.kind = e.kind;
        w.label = e.label;
        w.startMs = e.windowStartMs;
        w.endMs = e.windowEndMs;
        w.score = e.score;
        return w;
    }

    static String otherKind(String kind) {
        return AnalyticsEvent.KIND_AUDIO.equals(kind) ? AnalyticsEvent.KIND_ACTION : AnalyticsEvent.KIND_AUDIO;
    }

    private static Incident incident(IncidentState st, Run r, long nowMs) {
        Incident i = new Incident();
        i.incidentId = r.id;
        i.streamId = st.streamId;
        i.status = r.closedBy == null ? Incident.STATUS_OPEN : Incident.STATUS_CLOSED;
        i.kind = r.kind;
        i.label = r.label;
        i.startMs = r.startMs;
        i.endMs = r.endMs;
        i.peakScore = r.peakScore;
        i.meanScore = (float) (r.scoreSum / r.windows);
        i.windows = r.windows;
        models(i, r.models);
        if (!r.tracks.isEmpty()) {
            i.tracks = r.tracks.stream().sorted().mapToInt(Integer::intValue).toArray();
        }
        i.alongsideKind = otherKind(r.kind);
        List<Map.Entry<String, Tally>> tallies = new ArrayList<>(r.alongside.entrySet());
        tallies.sort(Comparator.comparing((Map.Entry<String, Tally> t) -> -t.getValue().windows)
                .thenComparing(Map.Entry::getKey));
        i.alongsideLabels = new String[tallies.size()];
        i.alongsideShares = new float[tallies.size()];
        i.alongsidePeaks = new float[tallies.size()];
        for (int k = 0; k < tallies.size(); k++) {
            i.alongsideLabels[k] = tallies.get(k).getKey();
            i.alongsideShares[k] = (float) tallies.get(k).getValue().windows / r.alongsideWindows;
            i.alongsidePeaks[k] = tallies.get(k).getValue().peakScore;
        }
        i.closedBy = r.closedBy;
        i.emittedAtMs = nowMs;
        return i;
    }

    private static Incident combinedIncident(IncidentState st, Combined c, String closedBy, long nowMs) {
        Incident i = new Incident();
        i.incidentId = c.id;
        i.streamId = st.streamId;
        i.status = closedBy == null ? Incident.STATUS_OPEN : Incident.STATUS_CLOSED;
        i.kind = Incident.KIND_COMBINED;
        i.label = c.label;
        i.startMs = Long.MAX_VALUE;
        i.endMs = Long.MIN_VALUE;
        double sum = 0;
        Set<String> models = new LinkedHashSet<>();
        Set<Integer> tracks = new TreeSet<>();
        for (String id : c.components) {
            Run r = component(st, id);
            i.startMs = Math.min(i.startMs, r.startMs);
            i.endMs = Math.max(i.endMs, r.endMs);
            i.peakScore = Math.max(i.peakScore, r.peakScore);
            i.windows += r.windows;
            sum += r.scoreSum;
            models.addAll(r.models);
            tracks.addAll(r.tracks);
        }
        i.meanScore = (float) (sum / i.windows);
        models(i, new ArrayList<>(models));
        if (!tracks.isEmpty()) {
            i.tracks = tracks.stream().mapToInt(Integer::intValue).toArray();
        }
        i.components = c.components.toArray(String[]::new);
        i.closedBy = closedBy;
        i.emittedAtMs = nowMs;
        return i;
    }

    private static void models(Incident i, List<String> models) {
        i.modelNames = new String[models.size()];
        i.modelVersions = new String[models.size()];
        for (int k = 0; k < models.size(); k++) {
            String[] parts = models.get(k).split("\u0000", 2);
            i.modelNames[k] = parts[0];
            i.modelVersions[k] = parts.length > 1 ? parts[1] : "";
        }
    }
}
