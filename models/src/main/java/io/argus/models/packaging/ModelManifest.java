package io.argus.models.packaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.argus.models.input.InputSpec;
import io.argus.models.input.SpectrogramSpec;
import java.util.List;
import java.util.Map;

/**
 * What a model package says about its model: identity, task, architecture, labels, the input it
 * takes, where it came from, how well it did, and the SHA-256 of every file it holds.
 *
 * @param format manifest format version ({@value ModelPackage#FORMAT})
 * @param task {@code action} or {@code audio}
 * @param architecture id of the network the weights belong to
 * @param video input spec of a video model (null for audio models)
 * @param audio input spec of an audio model (null for video models)
 * @param baseModel {@code name@version} this one was fine-tuned from, or null
 * @param training how it was trained: data source, seeds, sample counts, epochs
 * @param metrics results on held-out data (accuracy, macro-F1, per class)
 * @param files file name to lower-case hex SHA-256
 * @param golden the inputs a copy of the model must decide as expected before it serves (see
 *     {@code ModelAdmission}); null in packages made before golden sets existed, which admission refuses
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
        int format,
        String name,
        String version,
        String task,
        String architecture,
        List<String> labels,
        InputSpec video,
        SpectrogramSpec audio,
        String baseModel,
        Map<String, Object> training,
        Map<String, Object> metrics,
        Map<String, String> files,
        GoldenSet golden) {

    /** A manifest without a golden set (trainers add one with {@link #withGolden}). */
    public ModelManifest(int format, String name, String version, String task, String architecture,
            List<String> labels, InputSpec video, SpectrogramSpec audio, String baseModel, Map<String, Object> training,
            Map<String, Object> metrics, Map<String, String> files) {
        this(format, name, version, task, architecture, labels, video, audio, baseModel, training, metrics, files,
                null);
    }

    /** {@code name@version}, as events and logs name a model. */
    public String id() {
        return name + "@" + version;
    }

    /** The same manifest under another version. */
    public ModelManifest withVersion(String newVersion) {
        return new ModelManifest(format, name, newVersion, task, architecture, labels, video, audio, baseModel, training,
                metrics, files, golden);
    }

    /** The same manifest with another label list (the order of the head's outputs). */
    public ModelManifest withLabels(List<String> newLabels) {
        return new ModelManifest(format, name, version, task, architecture, newLabels, video, audio, baseModel, training,
                metrics, files, golden);
    }

    /** The same manifest with another golden set. */
    public ModelManifest withGolden(GoldenSet newGolden) {
        return new ModelManifest(format, name, version, task, architecture, labels, video, audio, baseModel, training,
                metrics, files, newGolden);
    }

    ModelManifest withFiles(Map<String, String> newFiles) {
        return new ModelManifest(format, name, version, task, architecture, labels, video, audio, baseModel, training,
                metrics, newFiles, golden);
    }
}
