package io.argus.models.inference;

import ai.djl.Device;
import io.argus.models.audio.AudioNetwork;
import io.argus.models.classify.Classifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import java.io.IOException;

/** Loads the log-mel CNN audio model of a package. */
public final class DjlAudioClassifier {

    public static final String TASK = "audio";

    private DjlAudioClassifier() {}

    /**
     * Loads a package's weights into the audio CNN.
     *
     * @throws InvalidModelPackageException when the package is not an audio model Argus can run
     */
    public static Classifier<Spectrogram> load(ModelPackage pkg, Device device) throws IOException {
        ModelManifest m = pkg.manifest();
        DjlClassifier.check(m, TASK, AudioNetwork.ARCHITECTURE);
        if (m.audio() == null) {
            throw new InvalidModelPackageException(m.id(), "manifest has no audio input spec");
        }
        return DjlClassifier.load(pkg, device, AudioNetwork.build(m.audio(), m.labels().size()),
                new SpectrogramTranslator(m.audio(), m.labels()));
    }
}
