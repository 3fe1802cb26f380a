package io.argus.operators.decode;

/** A well-formed record whose media could not be decoded; the message says why. */
public class DecodeException extends Exception {

    public DecodeException(String reason) {
        super(reason);
    }

    public DecodeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
