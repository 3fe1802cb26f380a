package io.argus.connectors.status;

import java.io.Serializable;

/**
 * What {@code argus ingest} reports about one live source on the status topic: connected (and
 * every status interval while it stays so), stalled (nothing came for the read timeout),
 * reconnecting (with the reason and the wait before the next attempt), stopped. Each record
 * carries the source's counts since the ingest started. See {@code docs/wire-formats.md}.
 */
public final class IngestStatus implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final int SCHEMA_VERSION = ModelStatus.SCHEMA_VERSION;
    /** The {@code kind} of every ingest record. */
    public static final String KIND = "ingest";
    /** The source is open and media flows; also sent every status interval while it stays so. */
    public static final String CONNECTED = "connected";
    /** Nothing came from the source for the read timeout; the connection is dropped and retried. */
    public static final String STALLED = "stalled";
    /** The source ended, failed or stalled; the next attempt comes after {@link #retryInMs}. */
    public static final String RECONNECTING = "reconnecting";
    /** The ingest stopped reading the source: it was shut down, or gave up after its attempts. */
    public static final String STOPPED = "stopped";

    public int schemaVersion = SCHEMA_VERSION;
    public String kind = KIND;
    public String status;
    public String streamId;
    /** The source as given, passwords hidden. */
    public String source;
    /** Wall clock when the source entered this state (connected: when the connection opened). */
    public long sinceMs;
    /** {@link #CONNECTED}: capture time missing between the last media before and the first after, ms; 0 otherwise. */
    public long gapMs;
    /** {@link #STALLED}, {@link #RECONNECTING}, {@link #STOPPED}: why, in words; null otherwise. */
    public String reason;
    /** {@link #RECONNECTING}: how long until the next attempt, ms. */
    public long retryInMs;
    /** {@link #CONNECTED}: the wire codec of the video records (null without video). */
    public String videoCodec;
    /** {@link #CONNECTED}: whether the video must be re-encoded, its codec not being one the wire format carries. */
    public boolean reencoding;
    public long videoRecords;
    public long audioRecords;
    /** Records dropped, oldest first, while Kafka could not take them fast enough. */
    public long droppedRecords;
    public long connects;
    public long stalls;
    /** Attempts that failed or connections that ended, stalls included. */
    public long failures;
    public long atMs;

    public IngestStatus() {}

    @Override
    public String toString() {
        return "stream " + streamId + " " + status + (reason == null ? "" : ": " + reason)
                + (RECONNECTING.equals(status) ? " (next attempt in " + retryInMs + " ms)" : "")
                + (CONNECTED.equals(status) && gapMs > 0 ? " after a gap of " + gapMs + " ms" : "")
                + " [video " + videoRecords + ", audio " + audioRecords + ", dropped " + droppedRecords + ", connects "
                + connects + ", stalls " + stalls + "]";
    }
}
