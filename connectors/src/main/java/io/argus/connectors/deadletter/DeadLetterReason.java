package io.argus.connectors.deadletter;

/**
 * Why a record or a window became a dead letter, as a stable code that consumers can group and
 * count by; written in the header {@value DeadLetterFormat#CODE} beside the reason in words. See
 * {@code docs/wire-formats.md}.
 */
public enum DeadLetterReason {

    /**
     * Stage {@code classify}: the model gave the window a score that is not a finite number (NaN or
     * infinite), so no event was written for it from that model. The value is the event it would
     * have been; the window is classified again by the last good version when the job still holds it.
     */
    NON_FINITE_SCORE
}
