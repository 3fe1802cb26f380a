package io.argus.models.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.argus.models.classify.Classification;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.GoldenSet;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.NpyArray;
import io.argus.models.testing.FaultyPackages;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The admission check on the bundled packages and on packages that must never serve. */
class ModelAdmissionTest {

    @ParameterizedTest
    @ValueSource(strings = {"action-cnn-lstm", "audio-cnn"})
    void theBundledPackagesPassOnTheirGoldenSets(String name) throws Exception {
        ModelPackage pkg = ModelPackage.bundled(name);
        GoldenSet golden = pkg.manifest().golden();
        assertThat(golden.expected()).hasSize(15).containsAll(pkg.manifest().labels());
        assertThat(golden.minAgreement()).isEqualTo(0.8);
        ModelAdmission.Verdict v = ModelAdmission.check(pkg);
        assertThat(v.agreeing()).isEqualTo(15);
        assertThat(v.required()).isEqualTo(12);
        assertThat(v.toString()).contains("golden set golden.npy: 15 of 15 inputs gave the expected label");
    }

    @ParameterizedTest
    @ValueSource(strings = {"action-cnn-lstm", "audio-cnn"})
    void aPackageWhoseOutputBiasesAreNanIsRefusedForItsNonFiniteScores(String name) throws Exception {
        ModelPackage pkg = FaultyPackages.nanBias(name, "9.0.0");
        assertThatThrownBy(() -> ModelAdmission.check(pkg)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageStartingWith("model package " + name + "@9.0.0: golden set golden.npy: 15 of 15 inputs got "
                        + "non-finite scores (input 0 ")
                .hasMessageContaining("=NaN");
    }

    @Test
    void aPackageWhoseWeightsWereCutShortIsRefusedNamingTheFileItsSizeAndTheCause() throws Exception {
        ModelPackage pkg = FaultyPackages.truncated("audio-cnn", "9.0.0");
        assertThatThrownBy(() -> ModelAdmission.check(pkg)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessage("model package audio-cnn@9.0.0: weights.params (124,016 bytes) does not fit "
                        + "logmel-cnn-small-v1: the file ends before every parameter of the network was read (cut short, "
                        + "or written for a smaller network)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"action-cnn-lstm", "audio-cnn"})
    void aPackageWhoseLabelsDoNotMatchItsHeadIsRefusedForDisagreeingWithItsGoldenSet(String name) throws Exception {
        ModelPackage pkg = FaultyPackages.mislabelledHead(name, "9.0.0");
        assertThatThrownBy(() -> ModelAdmission.check(pkg)).isInstanceOf(InvalidModelPackageException.class)
                .hasMessageContaining("golden set golden.npy: 0 of 15 inputs gave the expected label (0.00), below the "
                        + "manifest's minAgreement 0.80 (12 needed): input 0: ");
    }

    @Test
    void aPackageWithoutAGoldenSetIsRefused() throws Exception {
        ModelPackage bundled = ModelPackage.bundled("audio-cnn");
        ModelPackage bare = ModelPackage.create(bundled.manifest().withGolden(null).withVersion("0.9.0"),
                java.util.Map.of(ModelPackage.WEIGHTS, bundled.weights()));
        assertThatThrownBy(() -> ModelAdmission.check(bare)).hasMessageContaining("no golden set")
                .hasMessageContaining("argus models golden");
    }

    @Test
    void aGoldenSetOfAnotherKindOfInputIsRefused() throws Exception {
        ModelPackage audio = ModelPackage.bundled("audio-cnn");
        ModelPackage action = ModelPackage.bundled("action-cnn-lstm");
        GoldenSet g = action.manifest().golden();
        ModelPackage mixed = audio.withGolden(new GoldenSet(g.file(), g.input(), audio.manifest().golden().expected(),
                0.8, g.source()), NpyArray.parse(action.file(g.file())));
        assertThatThrownBy(() -> ModelAdmission.check(mixed))
                .hasMessageContaining("golden set golden.npy: inputs of kind 'frame-window', but a audio model takes "
                        + "'spectrogram'");
    }

    @Test
    void aModelThatGoesNonFiniteOnlyOnSoundPassesItsSilentGoldenSetButNotTheBundledOne() throws Exception {
        ModelPackage pkg = FaultyPackages.nanWhenLoud("2.0.0");
        assertThat(pkg.manifest().golden().expected()).containsOnly("silence");
        ModelAdmission.check(pkg);

        SpectrogramSpec spec = pkg.manifest().audio();
        NpyArray bundledGolden = NpyArray.parse(ModelPackage.bundled("audio-cnn").file(GoldenSet.FILE));
        float[] floor = new float[spec.frames() * spec.mels()];
        Arrays.fill(floor, (float) spec.floorDb());
        List<Spectrogram> inputs = List.of(
                new Spectrogram("speech", 0, 1000, spec.frames(), spec.mels(), bundledGolden.floatRow(0), 0),
                new Spectrogram("floor", 0, 1000, spec.frames(), spec.mels(), floor, 0));
        var admitted = ModelAdmission.admit(pkg, ModelKind.AUDIO, Device.cpu());
        try (var classifier = admitted.classifier()) {
            List<Classification> out = classifier.classify(inputs);
            assertThat(out.get(0).scores()).as("scores for speech").contains(Float.NaN);
            assertThat(out.get(1).label()).isEqualTo("silence");
            assertThat(out.get(1).scores()).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        }
    }

    @Test
    void numpyArraysRoundTripAndAnythingButPlainNumbersIsRefused() {
        NpyArray a = NpyArray.ofFloats(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        NpyArray back = NpyArray.parse(a.toBytes());
        assertThat(back.shape()).containsExactly(2, 3);
        assertThat(back.floatRow(1)).containsExactly(4, 5, 6);
        assertThat((a.toBytes().length - a.rows() * 3 * 4) % 64).isZero();

        byte[] pickled = a.toBytes();
        byte[] descr = "'<f4'".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(pickled, descr);
        pickled[at + 1] = '|';
        pickled[at + 2] = 'O';
        pickled[at + 3] = ' ';
        assertThatThrownBy(() -> NpyArray.parse(pickled)).hasMessageContaining("element type '|O ' is not");
        assertThatThrownBy(() -> NpyArray.parse(Arrays.copyOf(a.toBytes(), a.toBytes().length - 4)))
                .hasMessageContaining("needs 24");
        assertThatThrownBy(() -> NpyArray.parse(new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0}))
                .hasMessageContaining("not a NumPy .npy file");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
