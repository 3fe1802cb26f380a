package io.argus.connectors.events;

/**
 * One decision of the job on one window of one stream: what Argus emits for downstream consumers.
 * {@link EventFormat} defines its JSON form on the events topic.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class AnalyticsEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String KIND_ACTION = "action";
    public static final String KIND_AUDIO = "audio";
    /** One person followed through a video window, by a model that follows people. */
    public static final String KIND_PERSON = "person";

    public int schemaVersion = SCHEMA_VERSION;
    public String streamId;
    /** {@link #KIND_ACTION} for video windows, {@link #KIND_AUDIO} for audio windows. */
    public String kind;
    public String label;
    public float score;
    /** The best labels, best first; {@code topLabels[0]} is {@link #label}. */
    public String[] topLabels;
    public float[] topScores;
    /** Event-time window, epoch milliseconds, end exclusive. */
    public long windowStartMs;
    public long windowEndMs;
    public String modelName;
    public String modelVersion;
    /** Wall-clock time the newest media of the window was decoded. */
    public long decodedAtMs;
    /** Wall-clock time the decision was made. */
    public long inferredAtMs;
    /**
     * People followed in the window, on the action event of a model that follows people; null for
     * models of whole windows.
     */
    public Integer people;
    /** The person's track id, on a {@link #KIND_PERSON} event; stable while the person stays in view. */
    public Integer trackId;
    /**
     * Where the person was last seen in the window, on a {@link #KIND_PERSON} event: xmin, ymin,
     * xmax, ymax as fractions of the picture's width and height.
     */
    public float[] box;
    /**
     * Set on the events of a shadow version (topic {@code argus.shadow}): true. Null on the events of
     * the serving version.
     */
    public Boolean shadow;
    /** On a shadow event, the serving version's label of the same window (and person); null when it gave none. */
    public String servingLabel;
    /** On a shadow event, the serving version's score of {@link #servingLabel}. */
    public Float servingScore;
    /** On a shadow event, the version that served the window. */
    public String servingVersion;

    public AnalyticsEvent() {}

    /** Whether this is a shadow version's event rather than a serving one's. */
    public boolean isShadow() {
        return Boolean.TRUE.equals(shadow);
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "%s %s%s [%d, %d) %s %.3f (%s %s)",
                kind, streamId, trackId == null ? "" : " #" + trackId, windowStartMs, windowEndMs, label, score,
                modelName, modelVersion);
    }
}
