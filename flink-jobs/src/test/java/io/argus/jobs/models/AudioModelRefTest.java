package io.argus.jobs.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.models.packaging.ModelTrust;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioModelRefTest {

    @Test
    void theBundledModelCarriesItsSpectrogramSpec() {
        AudioModelRef ref = AudioModelRef.resolve("bundled:audio-cnn");
        assertThat(ref.isLearned()).isTrue();
        assertThat(ref.spec().sampleRate()).isEqualTo(16_000);
        assertThat(ref.spec().frames()).isEqualTo(97);
        assertThat(ref.id()).isEqualTo("audio-cnn@1.0.0");
        assertThat(AudioModelRef.resolve("loudness").isLearned()).isFalse();
    }

    @Test
    void anActionModelIsNotAnAudioModel() {
        assertThatThrownBy(() -> AudioModelRef.resolve("bundled:action-cnn-lstm"))
                .hasMessage("option --audio-model: bundled:action-cnn-lstm is an action model, not an audio model");
        assertThatThrownBy(() -> AudioModelRef.resolve("bundled:nope"))
                .hasMessageStartingWith("option --audio-model:").hasMessageContaining("nope");
    }

    @Test
    void aRegistryVersionCanBePinned(@TempDir Path root) throws Exception {
        String uri = root.resolve("registry").toUri().toString();
        ModelRegistry registry = new ModelRegistry(uri);
        registry.publish(TestPackages.audioVersion(root, "1.0.0"));
        registry.publish(TestPackages.audioVersion(root, "1.1.0"));
        registry.promote("audio-cnn", "1.0.0", true);
        ModelTrust trust = ModelTrust.of(java.util.List.of(), null);

        AudioModelRef pinned = AudioModelRef.resolve("registry:audio-cnn@1.1.0", trust, uri);
        assertThat(pinned.id()).isEqualTo("audio-cnn@1.1.0");
        var source = pinned.source("cpu", -60, -20);
        assertThat(source.watched()).as("a pinned version is not followed").isFalse();
        assertThat(source.serving()).isEqualTo("1.1.0");
        assertThat(source.describe()).isEqualTo("registry:audio-cnn@1.1.0");

        AudioModelRef followed = AudioModelRef.resolve("registry:audio-cnn", trust, uri);
        assertThat(followed.id()).isEqualTo("audio-cnn@1.0.0");
        assertThat(followed.source("cpu", -60, -20).watched()).isTrue();
        assertThat(followed.source("cpu", -60, -20).serving()).isEqualTo("1.0.0");

        assertThatThrownBy(() -> AudioModelRef.resolve("registry:audio-cnn@2.0.0", trust, uri))
                .hasMessageStartingWith("option --audio-model:").hasMessageContaining("2.0.0");
        assertThatThrownBy(() -> AudioModelRef.resolve("registry:audio-cnn@", trust, uri))
                .hasMessageContaining("no version after '@'");
    }

    @Test
    void aWindowThatContradictsTheModelIsRefusedWhenTheJobIsBuilt() {
        Configuration conf = new Configuration();
        conf.set(VideoOptions.ENABLED, false);
        conf.set(AudioOptions.WINDOW, Duration.ofSeconds(2));
        assertThatThrownBy(() -> new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .hasMessageStartingWith("option --audio-window 2000 ms contradicts the input of audio model");
        conf.set(AudioOptions.MODEL, "loudness");
        new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment());
    }
}
