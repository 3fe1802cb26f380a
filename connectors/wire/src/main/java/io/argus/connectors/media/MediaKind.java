package io.argus.connectors.media;

import java.util.Locale;

/** What a media record carries. Its wire name is the lower-case enum name. */
public enum MediaKind {
    VIDEO,
    AUDIO;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name, or returns null when it is not one. */
    public static MediaKind fromWire(String value) {
        for (MediaKind k : values()) {
            if (k.wireName().equals(value)) {
                return k;
            }
        }
        return null;
    }
}
