package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.argus.models.audio.AudioLabels;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.eval.ConfusionMatrix;
import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.ModelPackage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled audio model on recordings it never trained on: one-second clips from the held-out
 * Debian packages (other speakers, composers, effects and sound themes), decoded by FFmpeg from
 * Opus, turned into log-mel spectrograms and classified on the PyTorch engine.
 */
class BundledAudioModelIT {

    @Test
    void macroF1OnHeldOutPackagesIsAtLeast90Percent() throws Exception {
        ModelPackage pkg = ModelPackage.bundled("audio-cnn");
        SpectrogramSpec spec = pkg.manifest().audio();
        LogMelSpectrogram logMel = new LogMelSpectrogram(spec);
        ConfusionMatrix cm = new ConfusionMatrix(AudioLabels.ALL);
        try (Classifier<Spectrogram> model = DjlAudioClassifier.load(pkg, Device.cpu())) {
            for (String label : AudioLabels.ALL) {
                float[] all = HeldOutAudio.of(label);
                List<Spectrogram> batch = new ArrayList<>();
                for (int i = 0; i < all.length / HeldOutAudio.RATE; i++) {
                    float[] v = logMel.compute(HeldOutAudio.clip(all, i), 0, spec.windowSamples());
                    batch.add(new Spectrogram(label + "-" + i, i * 1000L, (i + 1) * 1000L, spec.frames(), spec.mels(),
                            v, 0));
                }
                assertThat(batch).as("held-out %s clips", label).hasSizeGreaterThanOrEqualTo(20);
                for (Classification c : model.classify(batch)) {
                    cm.add(label, c.label());
                }
            }
        }
        System.out.println("bundled audio model on held-out clips:\n" + cm);
        assertThat(cm.macroF1()).as("macro-F1 on held-out packages\n%s", cm).isGreaterThanOrEqualTo(0.9);
        for (int c = 0; c < AudioLabels.ALL.size(); c++) {
            assertThat(cm.recall(c)).as("recall of %s\n%s", AudioLabels.ALL.get(c), cm).isGreaterThanOrEqualTo(0.75);
        }
    }
}
