package io.argus.models.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.audio.AudioDataset.Part;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioDatasetTest {

    @TempDir
    Path dir;

    private void source(String path, short value) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort(value).putShort(value)
                .array());
    }

    private void manifest(String... rows) throws Exception {
        Files.writeString(dir.resolve("manifest.csv"), "split,label,package,source,path,seconds,fold\n"
                + String.join("\n", rows) + "\n");
    }

    @Test
    void theTestFoldsPackagesAreHeldOutWholeAndNeverTrainedOn() throws Exception {
        source("a.s16", (short) 1);
        source("b.s16", (short) 2);
        source("c.s16", (short) 3);
        source("d.s16", (short) 4);
        manifest("train,speech,voices-a,/usr/a.wav,a.s16,0.1,0",
                "validation,speech,voices-a,/usr/b.wav,b.s16,0.1,0",
                "train,speech,voices-b,\"/usr/c, d.wav\",c.s16,0.1,1",
                "train,speech,espeak-ng,espeak-ng x.wav,d.s16,0.1,-");
        List<String> labels = List.of(AudioLabels.SPEECH);

        AudioDataset test = AudioDataset.load(dir, Part.TEST, 0, labels);
        assertThat(test.packageNames().get(AudioLabels.SPEECH)).containsExactly("voices-a");
        assertThat(test.packages(AudioLabels.SPEECH).get("voices-a")).hasSize(2); // validation files too

        AudioDataset train = AudioDataset.load(dir, Part.TRAIN, 0, labels);
        assertThat(train.packageNames().get(AudioLabels.SPEECH)).containsExactly("voices-b", "espeak-ng");
        assertThat(train.packages(AudioLabels.SPEECH).get("voices-b").get(0).name()).isEqualTo("/usr/c, d.wav");
        assertThat(train.packages(AudioLabels.SPEECH).get("voices-b").get(0).samples()[0]).isEqualTo(3 / 32768f);
        assertThat(AudioDataset.load(dir, Part.VALIDATION, 0, labels).packageNames().get(AudioLabels.SPEECH)).isEmpty();

        AudioDataset trainOf1 = AudioDataset.load(dir, Part.TRAIN, 1, labels);
        assertThat(trainOf1.packageNames().get(AudioLabels.SPEECH)).containsExactly("voices-a", "espeak-ng");
        assertThat(AudioDataset.folds(dir)).isEqualTo(2);
    }

    @Test
    void aFoldTheDatasetDoesNotHaveOrAManifestWithoutFoldsIsRefused() throws Exception {
        source("a.s16", (short) 1);
        manifest("train,speech,voices-a,/usr/a.wav,a.s16,0.1,0");
        assertThatThrownBy(() -> AudioDataset.load(dir, Part.TEST, 1, List.of(AudioLabels.SPEECH)))
                .hasMessageContaining("test fold 1 is not one of the dataset's folds 0-0");
        Files.writeString(dir.resolve("manifest.csv"), "split,label,package,source,path,seconds\n");
        assertThatThrownBy(() -> AudioDataset.load(dir, Part.TEST, 0, List.of(AudioLabels.SPEECH)))
                .hasMessageContaining("no fold column: rebuild the dataset");
    }
}
