package io.argus.jobs.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every kind of model reference, read in one place, and written back as the user gave it. */
class ModelRefTest {

    @Test
    void eachKindOfReferenceIsReadAndWrittenBackAsGiven() {
        assertThat(ModelRef.parse("loudness", "loudness")).isEqualTo(new ModelRef.Signal("loudness"));
        assertThat(ModelRef.parse("bundled:audio-cnn", "loudness")).isEqualTo(new ModelRef.Bundled("audio-cnn"));
        assertThat(ModelRef.parse("registry:audio-cnn", null)).isEqualTo(new ModelRef.Registry("audio-cnn", null));
        assertThat(ModelRef.parse("registry:audio-cnn@1.2.0", null))
                .isEqualTo(new ModelRef.Registry("audio-cnn", "1.2.0"));
        assertThat(ModelRef.parse("/models/audio-cnn-1.2.0", null))
                .isEqualTo(new ModelRef.Directory("/models/audio-cnn-1.2.0"));
        assertThat(ModelRef.parse("loudness", null)).as("a signal only where the option takes one")
                .isInstanceOf(ModelRef.Directory.class);
        for (String text : new String[] {"loudness", "bundled:audio-cnn", "registry:audio-cnn",
                "registry:audio-cnn@1.2.0", "/models/audio-cnn-1.2.0"}) {
            assertThat(ModelRef.parse(text, "loudness").text()).isEqualTo(text);
        }
    }

    @Test
    void onlyAnUnpinnedRegistryModelIsFollowed() {
        assertThat(new ModelRef.Registry("audio-cnn", null).follows()).isTrue();
        assertThat(new ModelRef.Registry("audio-cnn", "1.2.0").follows()).isFalse();
    }

    @Test
    void aReferenceWithoutANameOrVersionIsRefusedSayingWhatIsMissing() {
        assertThatThrownBy(() -> ModelRef.parse("registry:audio-cnn@", null))
                .hasMessage("registry:audio-cnn@: no version after '@'");
        assertThatThrownBy(() -> ModelRef.parse("registry:", null))
                .hasMessage("registry:: no model name after 'registry:'");
        assertThatThrownBy(() -> ModelRef.parse("bundled:", null))
                .hasMessage("bundled:: no model name after 'bundled:'");
        assertThatThrownBy(() -> ModelRef.parse(" ", "loudness")).hasMessageContaining("no model named");
        assertThatThrownBy(() -> AudioModelRef.resolve("registry:audio-cnn@", null, "file:/nowhere"))
                .hasMessage("option --audio-model: registry:audio-cnn@: no version after '@'");
    }
}
