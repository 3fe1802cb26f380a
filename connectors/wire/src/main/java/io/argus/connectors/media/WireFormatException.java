package io.argus.connectors.media;

import io.argus.connectors.deadletter.DeadLetterReason;

/** A Kafka record that does not follow the Argus media wire format; the code and message say why. */
public class WireFormatException extends Exception {

    private final DeadLetterReason code;

    public WireFormatException(DeadLetterReason code, String reason) {
        super(reason);
        this.code = code;
    }

    /** Why, as a stable code. */
    public DeadLetterReason code() {
        return code;
    }
}
