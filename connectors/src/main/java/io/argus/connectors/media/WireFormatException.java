package io.argus.connectors.media;

/** A Kafka record that does not follow the Argus media wire format; the message says why. */
public class WireFormatException extends Exception {

    public WireFormatException(String reason) {
        super(reason);
    }
}
