package io.argus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.VideoOptions;
import java.util.Arrays;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The topics a job checks before it starts: the shadow topic only where a model follows a registry. */
class AnalyticsJobTopicsTest {

    private static boolean needsShadowTopic(String actionModel, String audioModel, boolean video) {
        Configuration conf = new Configuration();
        conf.set(VideoOptions.ACTION_MODEL, actionModel);
        conf.set(AudioOptions.MODEL, audioModel);
        conf.set(VideoOptions.ENABLED, video);
        return Arrays.asList(AnalyticsJob.topics(conf)).contains(KafkaOptions.SHADOW_TOPIC);
    }

    @Test
    void onlyAJobFollowingARegistryNeedsTheShadowTopic() {
        assertThat(needsShadowTopic("bundled:pose-action-lstm", "bundled:audio-cnn", true)).isFalse();
        assertThat(needsShadowTopic("bundled:pose-action-lstm", "registry:audio-cnn", true)).isTrue();
        assertThat(needsShadowTopic("registry:pose-action-lstm", "loudness", true)).isTrue();
        assertThat(needsShadowTopic("registry:pose-action-lstm", "loudness", false)).as("video off").isFalse();
        assertThat(needsShadowTopic("bundled:pose-action-lstm", "registry:audio-cnn@1.0.0", true))
                .as("pinned to a version: no shadow").isFalse();
    }
}
