package io.argus.connectors.incidents;

import java.util.Locale;

/**
 * A label that held on one stream for a while: what the job writes to the incidents topic, once
 * when it opens and once when it closes, under the same {@link #incidentId}. {@link IncidentFormat}
 * defines its JSON form.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class Incident {

    public static final int SCHEMA_VERSION = 1;

    public static final String STATUS_OPEN = "open";
    public static final String STATUS_CLOSED = "closed";

    /** An incident of two labels that a combined rule joined; its parts are in {@link #components}. */
    public static final String KIND_COMBINED = "combined";

    /** Its label stopped for the close-after time. */
    public static final String CLOSED_ENDED = "ended";
    /** Its modality sent no windows for longer than the maximum gap. */
    public static final String CLOSED_GAP = "gap";
    /** The stream went quiet and was released. */
    public static final String CLOSED_RELEASED = "released";
    /** The bounded input ended. */
    public static final String CLOSED_END_OF_INPUT = "end-of-input";

    public int schemaVersion = SCHEMA_VERSION;
    /** Stable over replays and restores: stream, kind, label and start. */
    public String incidentId;
    public String streamId;
    /** {@link #STATUS_OPEN} or {@link #STATUS_CLOSED}. */
    public String status;
    /** The events' kind ({@code action}, {@code audio}) or {@link #KIND_COMBINED}. */
    public String kind;
    public String label;
    /** Media time, epoch ms: the start of the first window and the end of the last one (so far, when open). */
    public long startMs;
    public long endMs;
    public float peakScore;
    public float meanScore;
    /** Windows of the label counted in the incident. */
    public int windows;
    /** The models that decided its windows, {@code name} and {@code version} pairwise. */
    public String[] modelNames;
    public String[] modelVersions;
    /** Track ids of the people who did the action, for action incidents of a model that follows people. */
    public int[] tracks;
    /** What the other modality said over the incident's span: its kind, then per label its share and peak. */
    public String alongsideKind;
    public String[] alongsideLabels;
    public float[] alongsideShares;
    public float[] alongsidePeaks;
    /** Why a closed incident closed ({@link #CLOSED_ENDED} ...); null while open. */
    public String closedBy;
    /** The incidents a combined incident joins; null for others. */
    public String[] components;
    /** Wall clock when the record was written. */
    public long emittedAtMs;

    public Incident() {}

    public boolean isOpen() {
        return STATUS_OPEN.equals(status);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s %s %s [%d, %d) peak %.3f, %d windows%s", status, streamId, kind,
                label, startMs, endMs, peakScore, windows, closedBy == null ? "" : ", " + closedBy);
    }
}
