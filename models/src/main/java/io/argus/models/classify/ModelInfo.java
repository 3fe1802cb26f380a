package io.argus.models.classify;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** Name, version and label set of the model that produced a decision. */
public record ModelInfo(String name, String version, List<String> labels) implements Serializable {

    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        labels = List.copyOf(labels);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " has no labels");
        }
    }
}
