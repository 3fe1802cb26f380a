package io.argus.connectors.deadletter;

/**
 * Why a record or a window was refused, as a stable code: the {@code argus.dlq.code} header of every dead
 * letter carries the constant's name, beside the reason in words ({@code argus.dlq.reason}), so
 * that refusals can be grouped, counted and alerted on. Codes are never renamed or reused; new
 * kinds of refusal get new codes. See {@code docs/wire-formats.md}.
 */
public enum DeadLetterReason {

    // the wire format, checked as the record is read (stage ingest)

    /** The record has no key; the key must be the stream id. */
    MISSING_KEY(DeadLetter.STAGE_INGEST),
    /** The key is not a valid stream id (1-128 of {@code [A-Za-z0-9._:@/-]}). */
    INVALID_STREAM_ID(DeadLetter.STAGE_INGEST),
    /** A required {@code argus.*} header is missing or empty. */
    MISSING_HEADER(DeadLetter.STAGE_INGEST),
    /** {@code argus.format} names a wire format version this job does not read. */
    UNSUPPORTED_VERSION(DeadLetter.STAGE_INGEST),
    /** {@code argus.kind} is neither {@code video} nor {@code audio}. */
    UNKNOWN_KIND(DeadLetter.STAGE_INGEST),
    /** {@code argus.codec} is not a known codec of the record's kind. */
    UNKNOWN_CODEC(DeadLetter.STAGE_INGEST),
    /** {@code argus.container} is not a valid name, or {@code raw} is used with a non-PCM codec (or not with PCM). */
    INVALID_CONTAINER(DeadLetter.STAGE_INGEST),
    /** A numeric header is not a number or lies outside its range. */
    INVALID_HEADER(DeadLetter.STAGE_INGEST),
    /** The payload is empty. */
    EMPTY_PAYLOAD(DeadLetter.STAGE_INGEST),
    /** The payload is larger than the job's {@code --max-payload-bytes}. */
    PAYLOAD_TOO_LARGE(DeadLetter.STAGE_INGEST),
    /** A PCM payload is not a whole number of sample frames. */
    PARTIAL_PCM_FRAME(DeadLetter.STAGE_INGEST),
    /** A video record on the audio topic, or an audio record on the video topic. */
    WRONG_TOPIC(DeadLetter.STAGE_INGEST),

    // the media, as FFmpeg decodes it (stage decode)

    /** The payload holds no stream of the record's kind (no video in a video segment, say). */
    NO_MEDIA_STREAM(DeadLetter.STAGE_DECODE),
    /** FFmpeg cannot open or decode the payload as the codec and container the headers name. */
    UNDECODABLE(DeadLetter.STAGE_DECODE),
    /** The payload decodes to no frames or no samples. */
    NO_MEDIA_DECODED(DeadLetter.STAGE_DECODE),
    /** The payload exceeds the decoder's bounds: frames per segment, pixels per frame, samples per record, sample rate. */
    OVER_LIMIT(DeadLetter.STAGE_DECODE),
    /** The decoder failed on this record in an unforeseen way (an unchecked error from FFmpeg or JavaCV). */
    DECODER_FAILURE(DeadLetter.STAGE_DECODE),

    // a window, as a model decides it (stage classify)

    /**
     * The model gave the window a score that is not a finite number (NaN or infinite), so no event
     * was written for it from that model. The value is the event it would have been; the window is
     * classified again by the last good version when the job still holds it.
     */
    NON_FINITE_SCORE(DeadLetter.STAGE_CLASSIFY);

    private final String stage;

    DeadLetterReason(String stage) {
        this.stage = stage;
    }

    /** The stage that refuses records for this reason ({@code argus.dlq.stage}). */
    public String stage() {
        return stage;
    }

    /** The code of a header value; null when it names no code (a dead letter written before codes existed). */
    public static DeadLetterReason fromCode(String code) {
        if (code == null) {
            return null;
        }
        for (DeadLetterReason r : values()) {
            if (r.name().equals(code)) {
                return r;
            }
        }
        return null;
    }
}
