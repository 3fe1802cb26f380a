package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on a real standalone Flink cluster, submitted as {@code flink run} submits it
 * and configured by flags only: a JobManager, a TaskManager and the {@code flink} client each run
 * in their own JVM (see {@link LocalFlinkCluster}), with Flink's runtime on their classpath as in
 * a distribution's {@code lib/}, and nothing of Argus, the Kafka connector or client, JavaCV or
 * DJL. The job reads the known clip from the in-process broker and writes its events back.
 *
 * <p>A MiniCluster ({@link AnalyticsJobIT}) runs the job's classes from the test classpath in the
 * test JVM; it cannot show that the jar itself carries everything the job needs, that its classes
 * link in Flink's user-code class loader (Flink parent-first, the Kafka client child-first from
 * the jar), or that its tasks travel to a TaskManager in another process. This test does.
 */
class StandaloneClusterIT {

    private static final String STREAM = "cluster-cam";
    /** Configuration, logs and temporary files of the cluster, kept after the test for diagnosis. */
    private static final String CLUSTER_DIR = "target/standalone-cluster";

    private static LocalFlinkCluster cluster;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startClusterAndBroker() throws Exception {
        cluster = LocalFlinkCluster.start(Path.of(System.getProperty("argus.flink.cluster.dir", CLUSTER_DIR)));
        kafka = EmbeddedKafka.start();
        Fixtures.createTopics(kafka);
        cluster.awaitTaskManager(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopClusterAndBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void clusterClasspathHoldsFlinkButNothingTheJobJarBrings() throws IOException {
        List<Path> classpath = LocalFlinkCluster.classpath();
        for (String provided : List.of("org/apache/flink/runtime/taskexecutor/TaskManagerRunner.class",
                "org/apache/flink/client/cli/CliFrontend.class",
                "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
                "org/slf4j/simple/SimpleLogger.class")) {
            assertThat(holding(classpath, provided)).as(provided).isNotEmpty();
        }
        for (String fromTheJar : List.of("io/argus/jobs/AnalyticsJob.class",
                "org/apache/flink/connector/kafka/source/KafkaSource.class",
                "org/apache/flink/connector/base/DeliveryGuarantee.class",
                "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                "org/bytedeco/javacv/FFmpegFrameGrabber.class",
                "ai/djl/Model.class")) {
            assertThat(holding(classpath, fromTheJar)).as(fromTheJar).isEmpty();
        }
    }

    @Test
    void jobJarRunsOnTheClusterAndItsEventsMatchTheKnownClip(@TempDir Path dir) throws Exception {
        Fixtures.replay(kafka, Fixtures.clip(dir, SyntheticClip.DEMO_SCRIPT), STREAM, Fixtures.BASE);

        // the default delivery guarantee, exactly once: a read_committed reader sees every event
        int exitCode = cluster.flink(Duration.ofMinutes(4), "run", "-p", "2", Fixtures.jobJar().getPath(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--bounded", "--checkpoint-interval", "500ms");

        assertThat(exitCode).as(() -> "exit code of flink run; the logs:\n" + cluster.diagnostics()).isZero();
        assertThat(cluster.jobs("FINISHED")).as("finished jobs").containsExactly("argus-analytics");
        Fixtures.Results results = Fixtures.read(kafka);
        // the bundled audio CNN ran there too; each 4 s phase's sound, in the windows wholly inside it
        List<AnalyticsEvent> audio = results.of(STREAM, AnalyticsEvent.KIND_AUDIO);
        assertThat(audio).as(() -> "audio events (" + results.events.size() + " events in all, dead letters: "
                + results.reasons() + "); the logs:\n" + cluster.diagnostics()).hasSize(39)
                .allSatisfy(e -> assertThat(e.modelName).isEqualTo("audio-cnn"));
        assertThat(audio.stream().filter(e -> e.windowStartMs - Fixtures.BASE == 5000).findFirst().orElseThrow().label)
                .isEqualTo("speech");
        assertThat(audio.stream().filter(e -> e.windowStartMs - Fixtures.BASE == 17000).findFirst().orElseThrow().label)
                .isEqualTo("noise");
        // the bundled pose action model ran on the task manager: MoveNet, DJL and its PyTorch natives came
        // from the jar, and followed the person
        assertThat(results.of(STREAM, AnalyticsEvent.KIND_ACTION)).as("action events").hasSize(19)
                .allSatisfy(e -> assertThat(e.modelName).isEqualTo("pose-action-lstm"));
        assertThat(results.of(STREAM, AnalyticsEvent.KIND_PERSON)).as("person events").isNotEmpty();
        assertThat(results.deadLetters).as("dead letters").isEmpty();
        assertThat(cluster.classLoadingErrors()).as("class loading errors in the cluster's logs").isEmpty();
    }

    /** The classpath entries (jars or folders) that hold {@code resource}. */
    private static List<Path> holding(List<Path> classpath, String resource) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path entry : classpath) {
            if (Files.isDirectory(entry)) {
                if (Files.exists(entry.resolve(resource))) {
                    found.add(entry);
                }
            } else {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    if (jar.getEntry(resource) != null) {
                        found.add(entry);
                    }
                }
            }
        }
        return found;
    }
}
