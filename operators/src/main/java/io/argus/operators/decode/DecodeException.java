package io.argus.operators.decode;

import io.argus.connectors.deadletter.DeadLetterReason;

/** A well-formed record whose media could not be decoded; the code and message say why. */
public class DecodeException extends Exception {

    private final DeadLetterReason code;

    public DecodeException(DeadLetterReason code, String reason) {
        super(reason);
        this.code = code;
    }

    public DecodeException(DeadLetterReason code, String reason, Throwable cause) {
        super(reason, cause);
        this.code = code;
    }

    /**
     * FFmpeg could not open or decode a record's payload. JavaCV names the input stream by its
     * object identity ({@code "java.io.ByteArrayInputStream@43018e8f"}), which would make every
     * refusal's reason unique; it becomes "the payload".
     */
    static DecodeException undecodable(String what, Exception ffmpeg, Object input) {
        String message = String.valueOf(ffmpeg.getMessage())
                .replace("\"" + input + "\"", "the payload")
                .replace(String.valueOf(input), "the payload")
                .replace(" (Has setFormat() been called?)", "");
        return new DecodeException(DeadLetterReason.UNDECODABLE, "cannot decode " + what + ": " + message, ffmpeg);
    }

    /** Why, as a stable code. */
    public DeadLetterReason code() {
        return code;
    }
}
