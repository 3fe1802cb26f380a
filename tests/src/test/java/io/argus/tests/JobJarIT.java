package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shaded job jar holds what a Flink cluster lacks, and nothing a cluster already provides. */
class JobJarIT {

    @Test
    void jarBundlesTheConnectorsAndNativesButNotFlinkOrTheBroker() throws Exception {
        try (JarFile jar = new JarFile(Fixtures.jobJar())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.argus.jobs.AnalyticsJob");
            assertThat(jar.getEntry("io/argus/jobs/AnalyticsJob.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/connector/kafka/source/KafkaSource.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/connector/base/DeliveryGuarantee.class")).isNotNull();
            assertThat(jar.getEntry("org/bytedeco/javacv/FFmpegFrameGrabber.class")).isNotNull();
            assertThat(jar.stream().anyMatch(e -> e.getName().startsWith("org/bytedeco/ffmpeg/linux-x86_64/"))).isTrue();
            assertThat(jar.stream().anyMatch(e -> e.getName().startsWith("pytorch/") || e.getName().startsWith("native/lib")))
                    .as("PyTorch natives").isTrue();
            assertThat(jar.getEntry("META-INF/services/ai.djl.engine.EngineProvider")).isNotNull();
            for (String file : java.util.List.of("manifest.json", "weights.params", "golden.npy",
                    "movenet_multipose_lightning.pt")) {
                assertThat(jar.getEntry("io/argus/models/bundled/pose-action-lstm/" + file))
                        .as("the default action model's " + file).isNotNull();
            }

            assertThat(jar.getEntry("kafka/server/KafkaRaftServer.class")).as("the Kafka broker").isNull();
            assertThat(jar.getEntry("org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class"))
                    .as("Flink's runtime").isNull();
            assertThat(jar.getEntry("org/apache/flink/runtime/minicluster/MiniCluster.class")).isNull();
            assertThat(jar.stream().noneMatch(e -> e.getName().startsWith("org/slf4j/"))).as("a logging binding").isTrue();
        }
    }
}
