package io.argus.jobs.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.VideoOptions;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionModelRefTest {

    @Test
    void theBundledModelCarriesItsInputSpec() {
        ActionModelRef ref = ActionModelRef.resolve("bundled:action-cnn-lstm");
        assertThat(ref.isLearned()).isTrue();
        assertThat(ref.spec().frames()).isEqualTo(16);
        assertThat(ref.id()).startsWith("action-cnn-lstm@");
        assertThat(ActionModelRef.resolve("motion-energy").isLearned()).isFalse();
    }

    @Test
    void aMissingPackageIsAnErrorNamingTheOption(@TempDir Path dir) {
        assertThatThrownBy(() -> ActionModelRef.resolve(dir.resolve("nope").toString()))
                .hasMessageStartingWith("option --action-model:");
        assertThatThrownBy(() -> ActionModelRef.resolve("bundled:nope"))
                .hasMessageStartingWith("option --action-model:").hasMessageContaining("nope");
    }

    @Test
    void videoOptionsThatContradictTheModelAreRefusedWhenTheJobIsBuilt() {
        Configuration conf = new Configuration();
        conf.set(VideoOptions.FPS, 5.0);
        assertThatThrownBy(() -> new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .hasMessageStartingWith("option --video-fps 5.0 contradicts the input of action model");
        conf.set(VideoOptions.ACTION_MODEL, "motion-energy");
        new AnalyticsPipeline(conf).build(StreamExecutionEnvironment.getExecutionEnvironment());
    }
}
