package io.argus.operators.incidents;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one stream's incident stage remembers between windows, checkpointed as one value of keyed
 * state: the runs of labels under way (not yet long enough, or open), the recent windows of both
 * modalities, and the incidents the combined rules may still join. Flink POJOs throughout (public
 * fields, no-arg constructors, lists and maps), so Flink serialises them without Kryo.
 */
public class IncidentState {

    public String streamId;
    /** Runs under way of both modalities: pending (shorter than the minimum) or open incidents. */
    public List<Run> runs = new ArrayList<>();
    /** Closed incidents that a combined rule may still join or that an open combined incident holds. */
    public List<Run> closed = new ArrayList<>();
    /** The last seconds of windows of both modalities, to seed a new run's view of the other one. */
    public List<Window> history = new ArrayList<>();
    /** Combined incidents that are open. */
    public List<Combined> combined = new ArrayList<>();
    /** The end of the newest window seen, media time. */
    public long newestEndMs = Long.MIN_VALUE;

    public IncidentState() {}

    /** One label held by windows of one modality. */
    public static class Run {
        public String id;
        public String kind;
        public String label;
        public long startMs;
        public long endMs;
        /** Length of its last window: a window of the modality could still start up to max-gap after endMs. */
        public long lastWindowMs;
        public int windows;
        public double scoreSum;
        public float peakScore;
        /** Reached the minimum duration and was announced. */
        public boolean open;
        public String closedBy;
        /** {@code name + '\u0000' + version}, in the order first seen. */
        public List<String> models = new ArrayList<>();
        public List<Integer> tracks = new ArrayList<>();
        /** The other modality's windows over the run: label to tally, and how many windows in all. */
        public Map<String, Tally> alongside = new HashMap<>();
        public int alongsideWindows;
        /** Windows of the other modality that start after the run's current end: counted if it extends over them. */
        public List<Window> alongsidePending = new ArrayList<>();

        public Run() {}
    }

    /** How often a label of the other modality was seen over a run, and its best score. */
    public static class Tally {
        public int windows;
        public float peakScore;

        public Tally() {}
    }

    /** One window's decision. */
    public static class Window {
        public String kind;
        public String label;
        public long startMs;
        public long endMs;
        public float score;

        public Window() {}
    }

    /** An open combined incident: a rule and the incidents it joins. */
    public static class Combined {
        public String id;
        public String label;
        public long toleranceMs;
        public List<String> components = new ArrayList<>();

        public Combined() {}
    }
}
