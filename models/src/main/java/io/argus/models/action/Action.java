package io.argus.models.action;

import java.util.List;
import java.util.Locale;

/** The actions the action classifier knows; the label is the lower-case name. */
public enum Action {
    WALKING,
    RUNNING,
    WAVING,
    JUMPING,
    IDLE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Labels in class-index order. */
    public static List<String> labels() {
        return java.util.Arrays.stream(values()).map(Action::label).toList();
    }
}
