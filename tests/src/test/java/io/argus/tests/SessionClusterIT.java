package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.jobs.cli.EvaluateCommand;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.eval.Evaluation;
import io.argus.jobs.eval.Report;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone session cluster set up as docs/operations.md says for running more than one Argus
 * job on the same TaskManagers: DJL, its PyTorch engine and natives in {@code lib/}, loaded
 * parent-first. A native library loads into one class loader per JVM, so without this the second
 * job that a TaskManager runs fails with "libc10.so already loaded in another classloader".
 *
 * <p>{@code argus evaluate} drives it as a user would against their own cluster and Kafka: the job
 * jar goes to the JobManager's REST endpoint, the recordings to the given broker, and two model
 * sets run one after the other, each loading the PyTorch models on the same TaskManager.
 */
class SessionClusterIT {

    private static LocalFlinkCluster cluster;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startClusterAndBroker() throws Exception {
        String file = System.getProperty("argus.djl.lib.classpath");
        List<Path> djl = Arrays.stream(Files.readString(Path.of(file)).trim().split(File.pathSeparator))
                .filter(e -> !e.isBlank()).map(Path::of).toList();
        assertThat(djl).as("DJL's jars for the cluster's lib/ (%s)", file)
                .anyMatch(p -> p.getFileName().toString().startsWith("pytorch-engine-"))
                .anyMatch(p -> p.getFileName().toString().startsWith("pytorch-native-cpu-"));
        cluster = LocalFlinkCluster.start(Path.of("target/session-cluster"), djl,
                List.of("classloader.parent-first-patterns.additional: ai.djl."));
        kafka = EmbeddedKafka.start();
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
    void evaluateComparesTwoModelSetsOnTheClusterAgainstTheGivenKafka(@TempDir Path dir) throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        Files.copy(Fixtures.stickFigureClip(dir, SyntheticClip.DEMO_SCRIPT), recordings.resolve("eval-cam.mkv"));
        List<String> labels = new ArrayList<>(List.of("stream,kind,start,end,label"));
        for (int p = 0; p < SyntheticClip.DEMO_SCRIPT.size(); p++) {
            labels.add("eval-cam,action," + 4 * p + "," + (4 * p + 4) + ","
                    + SyntheticClip.DEMO_SCRIPT.get(p).action().label());
        }
        Files.write(dir.resolve("labels.csv"), labels);
        Configuration conf = new Configuration();
        conf.set(EvaluateCommand.RECORDINGS, List.of(recordings.toString()));
        conf.set(EvaluateCommand.LABELS, dir.resolve("labels.csv").toString());
        conf.set(EvaluateCommand.OUT, dir.resolve("out").toString());
        // both runs load PyTorch models: the bundled CNN-LSTM, then the same once more beside the audio CNN
        conf.set(EvaluateCommand.ACTION_MODELS, List.of("bundled:action-cnn-lstm", "bundled:action-cnn-lstm"));
        conf.set(EvaluateCommand.AUDIO_MODELS, List.of("loudness", "bundled:audio-cnn"));
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(EvaluateCommand.JOBMANAGER, cluster.restAddress());
        conf.set(EvaluateCommand.JOB_JAR, Fixtures.jobJar().getPath());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Report report = EvaluateCommand.run(conf, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String said = printed.toString(StandardCharsets.UTF_8);
        System.out.print(said);
        assertThat(cluster.jobs("FINISHED")).as(() -> "finished jobs; the logs:\n" + cluster.diagnostics())
                .containsExactlyInAnyOrder("argus-evaluate-run-1", "argus-evaluate-run-2");
        for (int r = 0; r < 2; r++) {
            Evaluation.Run run = report.result().runs().get(r);
            assertThat(run.events()).as("events of run %d", r + 1).hasSize(58);
            assertThat(report.scores(r, AnalyticsEvent.KIND_ACTION).confusion().accuracy())
                    .as("bundled action model in run %d", r + 1).isGreaterThan(0.9);
        }
        assertThat(report.result().runs().get(1).events()).filteredOn(e -> e.kind.equals("audio"))
                .allSatisfy(e -> assertThat(e.modelName).isEqualTo("audio-cnn"));
        assertThat(said).contains("deleted the evaluation's topics argus.evaluate.");
        try (Admin admin = Admin.create(kafka.clientConfig().toProperties())) {
            assertThat(admin.listTopics().names().get()).as("topics left on the broker")
                    .noneMatch(t -> t.startsWith("argus.evaluate."));
        }
        assertThat(cluster.classLoadingErrors()).as("class loading errors in the cluster's logs").isEmpty();
    }
}
