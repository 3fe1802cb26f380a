package io.argus.connectors.status;

import java.io.Serializable;

/**
 * What an inference operator reports when the model it serves changes or a candidate is refused:
 * one record per parallel instance on the status topic. See {@code docs/wire-formats.md}.
 */
public final class ModelStatus implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final int SCHEMA_VERSION = 1;
    /** The candidate passed its checks and now serves. */
    public static final String SERVING = "serving";
    /** The candidate failed a check; the previous model keeps serving. */
    public static final String REJECTED = "rejected";
    /**
     * The serving version gave a window a non-finite score (reported once per version): the window
     * went to the dead-letter topic and, where the last good version is still loaded, was classified
     * by it instead.
     */
    public static final String NON_FINITE = "non-finite";
    /**
     * The operator stopped serving {@code version} by itself (too many non-finite scores, or another
     * instance refused it) and returned to the last good one, now {@code serving}.
     */
    public static final String REVERTED = "reverted";
    /**
     * The candidate passed the checks a serving one passes and now runs as a shadow: it classifies
     * the same windows as {@code serving}, its events go to the shadow topic.
     */
    public static final String SHADOW = "shadow";
    /** The shadow {@code version} stopped: the registry named no shadow, or it was promoted, or it failed. */
    public static final String SHADOW_STOPPED = "shadow-stopped";

    public int schemaVersion = SCHEMA_VERSION;
    /** {@code action} or {@code audio}: which inference operator reports. */
    public String kind;
    public int subtask;
    public String status;
    /** The model reference the candidate came from, e.g. {@code registry:audio-cnn}. */
    public String source;
    /** The candidate's version. */
    public String version;
    /** The version serving after this report: the candidate's if it was accepted. */
    public String serving;
    /** Why a candidate was refused; null when it serves. */
    public String reason;
    /** Loading, verifying and warming up the candidate. */
    public long loadMs;
    public long atMs;

    public ModelStatus() {}

    public static ModelStatus of(String kind, int subtask, String status, String source, String version,
            String serving, String reason, long loadMs) {
        ModelStatus s = new ModelStatus();
        s.kind = kind;
        s.subtask = subtask;
        s.status = status;
        s.source = source;
        s.version = version;
        s.serving = serving;
        s.reason = reason;
        s.loadMs = loadMs;
        s.atMs = System.currentTimeMillis();
        return s;
    }

    @Override
    public String toString() {
        return kind + "#" + subtask + " " + status + " " + source + " version " + version
                + (reason == null ? "" : ": " + reason) + " (serving " + serving + ")";
    }
}
