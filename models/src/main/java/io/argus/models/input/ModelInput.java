package io.argus.models.input;

/**
 * A window of media that a classifier decides on: one stream, one event-time range.
 *
 * <p>Times are epoch milliseconds of capture time (event time); {@code endMs} is exclusive.
 */
public interface ModelInput {

    String streamId();

    long startMs();

    long endMs();

    /** Wall-clock time the newest media of this input was decoded, for latency accounting. */
    long decodedAtMs();

    /** How many people the input follows, for inputs that follow people; null otherwise. */
    default Integer people() {
        return null;
    }
}
