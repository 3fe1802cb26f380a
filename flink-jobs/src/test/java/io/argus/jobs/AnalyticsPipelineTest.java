package io.argus.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.VideoOptions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The dataflow's operator ids: a savepoint maps its state to operators by these, so they are a
 * contract with every running job, whatever shape the code that builds the branches takes.
 */
class AnalyticsPipelineTest {

    private static Set<String> uids(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new AnalyticsPipeline(conf).build(env);
        Set<String> uids = new LinkedHashSet<>();
        Deque<Transformation<?>> todo = new ArrayDeque<>(env.getTransformations());
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (t.getUid() != null) {
                uids.add(t.getUid());
            }
            todo.addAll(t.getInputs());
        }
        return uids;
    }

    private static Configuration conf(String actionModel) {
        Configuration conf = new Configuration();
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, "localhost:9092");
        conf.set(VideoOptions.ACTION_MODEL, actionModel);
        conf.set(AudioOptions.MODEL, "loudness");
        return conf;
    }

    @Test
    void everyOperatorKeepsTheIdItsStateIsSavedUnder() {
        assertThat(uids(conf("motion-energy"))).containsExactlyInAnyOrder(
                "video-source", "decode-video", "window-video", "classify-video",
                "audio-source", "decode-audio", "spectrogram-audio", "classify-audio",
                "events-sink", "track-incidents", "incidents-sink", "dead-letter-sink", "stream-status-sink");
        assertThat(uids(conf("bundled:pose-action-lstm")))
                .contains("video-source", "decode-video", "estimate-poses", "track-people", "classify-video")
                .doesNotContain("window-video");
    }

    @Test
    void aPipelineBuildsItsDataflowOnce() {
        AnalyticsPipeline pipeline = new AnalyticsPipeline(conf("motion-energy"));
        pipeline.build(StreamExecutionEnvironment.getExecutionEnvironment());
        assertThatThrownBy(() -> pipeline.build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .isInstanceOf(IllegalStateException.class);
    }
}
