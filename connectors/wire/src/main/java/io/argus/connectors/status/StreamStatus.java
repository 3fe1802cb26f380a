package io.argus.connectors.status;

import java.io.Serializable;

/**
 * What a per-stream operator reports about one stream on the status topic: its capture clock
 * jumped (a new run of windows starts from the new clock), or it was silent long enough that its
 * state was released. See {@code docs/wire-formats.md}.
 */
public final class StreamStatus implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Shared with {@link ModelStatus}: one schema for everything on the status topic. */
    public static final int SCHEMA_VERSION = ModelStatus.SCHEMA_VERSION;
    /** The stream's capture clock jumped by more than the job's {@code clock-jump} bound. */
    public static final String CLOCK_JUMP = "clock-jump";
    /** The stream was silent for the job's {@code idle-release} time; its state is gone. */
    public static final String RELEASED = "released";

    public int schemaVersion = SCHEMA_VERSION;
    /** {@code video} or {@code audio}: the media of the operator that reports. */
    public String kind;
    public int subtask;
    public String status;
    public String streamId;
    /** The stream's clock before the report: the newest capture time it had sent, epoch ms. */
    public long fromMs;
    /** {@link #CLOCK_JUMP}: the capture time that jumped, epoch ms; {@link #RELEASED}: unused (0). */
    public long toMs;
    /** {@link #RELEASED}: processing time since the stream's last record, ms; 0 otherwise. */
    public long silentMs;
    public long atMs;

    public StreamStatus() {}

    public static StreamStatus clockJump(String kind, int subtask, String streamId, long fromMs, long toMs,
            long atMs) {
        StreamStatus s = of(kind, subtask, CLOCK_JUMP, streamId, fromMs, atMs);
        s.toMs = toMs;
        return s;
    }

    public static StreamStatus released(String kind, int subtask, String streamId, long fromMs, long silentMs,
            long atMs) {
        StreamStatus s = of(kind, subtask, RELEASED, streamId, fromMs, atMs);
        s.silentMs = silentMs;
        return s;
    }

    private static StreamStatus of(String kind, int subtask, String status, String streamId, long fromMs, long atMs) {
        StreamStatus s = new StreamStatus();
        s.kind = kind;
        s.subtask = subtask;
        s.status = status;
        s.streamId = streamId;
        s.fromMs = fromMs;
        s.atMs = atMs;
        return s;
    }

    /** For a clock jump, how far the clock moved (negative: back), ms. */
    public long jumpMs() {
        return toMs - fromMs;
    }

    @Override
    public String toString() {
        return kind + "#" + subtask + " stream " + streamId + " " + status + (status.equals(CLOCK_JUMP)
                ? " by " + jumpMs() + " ms (" + fromMs + " -> " + toMs + ")"
                : " after " + silentMs + " ms of silence (clock at " + fromMs + ")");
    }
}
