package io.argus.jobs.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.JobOptions;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

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
                .hasMessage("option --audio-model: bundled:action-cnn-lstm is a action model, not an audio model");
        assertThatThrownBy(() -> AudioModelRef.resolve("bundled:nope"))
                .hasMessageStartingWith("option --audio-model:").hasMessageContaining("nope");
    }

    @Test
    void aWindowThatContradictsTheModelIsRefusedWhenTheJobIsBuilt() {
        Configuration conf = new Configuration();
        conf.set(JobOptions.VIDEO_ENABLED, false);
        conf.set(JobOptions.AUDIO_WINDOW, Duration.ofSeconds(2));
        assertThatThrownBy(() -> new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .hasMessageStartingWith("option --audio-window 2000 ms contradicts the input of audio model");
        conf.set(JobOptions.AUDIO_MODEL, "loudness");
        new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment());
    }
}
