package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.kafka.KafkaUnavailableException;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.cli.ReplayCommand;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job and the tools against a broker that only speaks SASL_SSL (SASL/PLAIN, TLS), configured
 * the way an operator would: a client properties file passed as {@code --kafka-properties-file}.
 * With it, the replay tool writes the known clip, the job turns it into the clip's events and a
 * reader with the same file reads them; with a wrong password or no credentials the job fails
 * within a bounded time with an error naming authentication, and no secret is ever printed.
 */
class SecuredKafkaIT {

    private static final String USER = "argus-job";
    private static final String PASSWORD = "pw-of-the-argus-job";
    private static final Duration FAILURE_BOUND = Duration.ofMinutes(2);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;
    private static Path clientProperties;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.startSecured(USER, PASSWORD);
        Fixtures.createTopics(kafka);
        clientProperties = write("client.properties", kafka.clientConfig().properties());
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void keepACopyOfWhatIsPrinted() {
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, printed), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void noSecretWasPrinted() {
        System.setOut(out);
        System.setErr(err);
        assertThat(printed.toString(StandardCharsets.UTF_8)).as("what the tools and the job printed")
                .doesNotContain(PASSWORD, kafka.clientConfig().properties().get("ssl.truststore.password"),
                        "PlainLoginModule");
    }

    @Test
    void withTheClientPropertiesFileTheToolsAndTheJobWork() throws Exception {
        Path clip = Fixtures.clip(dir, SyntheticClip.MOTION_SCRIPT);
        // the replay tool, as an operator runs it
        ReplayCommand.main(new String[] {clip.toString(), "--stream", "cam-s", "--base-time",
                Long.toString(Fixtures.BASE), "--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-properties-file", clientProperties.toString()});
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("argus replay:", "12 audio chunks");

        // the job, configured only through its options
        Configuration conf = jobOptions(clientProperties, "secured");
        AnalyticsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(AnalyticsJob.pipelineConfig()), conf);

        // a reader with the same options
        KafkaClientConfig reader = KafkaOptions.clientConfig(conf);
        assertThat(reader.properties()).containsEntry("security.protocol", "SASL_SSL");
        List<AnalyticsEvent> events = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (TopicReader r = new TopicReader(reader, Fixtures.EVENTS, Fixtures.DEAD)) {
            r.readToEnd(() -> true, Duration.ofMinutes(1), rec -> {
                if (rec.topic().equals(Fixtures.EVENTS)) {
                    events.add(WireSchemas.validEvent(rec.value()));
                } else {
                    deadLetters.add(WireSchemas.validDeadLetter(rec));
                }
            });
        }
        assertThat(events).extracting(e -> e.streamId + "/" + e.kind).containsOnly("cam-s/audio");
        assertThat(events).extracting(e -> e.label).containsExactly(
                "silence", "silence", "silence", "silence", "loud", "loud", "loud", "loud",
                "quiet", "quiet", "quiet", "quiet");
        assertThat(events).extracting(e -> e.windowStartMs - Fixtures.BASE)
                .containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L, 8000L, 9000L, 10000L, 11000L);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aWrongPasswordFailsTheJobWithAnAuthenticationError() throws Exception {
        Path wrongPassword = write("wrong-password.properties",
                kafka.clientConfigAs(USER, "not-the-password").properties());
        Throwable refused = failure(jobOptions(wrongPassword, "wrong-password"));
        assertThat(ExceptionUtils.stringifyException(refused))
                .contains("SaslAuthenticationException", "Authentication failed", "Invalid username or password");
        // argus job and flink run check first, and refuse to start with one line
        assertThatThrownBy(() -> KafkaOptions.preflight(jobOptions(wrongPassword, "wrong-password")))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessage("Kafka at " + kafka.bootstrapServers() + " refused this client: Authentication failed: "
                        + "Invalid username or password; check the security settings (--kafka-properties-file, "
                        + "--kafka-property)");
    }

    @Test
    void noCredentialsFailTheJobSayingSo() throws Exception {
        Map<String, String> noJaas = new HashMap<>(kafka.clientConfig().properties());
        noJaas.remove("sasl.jaas.config");
        Path noCredentials = write("no-credentials.properties", noJaas);
        Throwable missing = failure(jobOptions(noCredentials, "no-credentials"));
        assertThat(ExceptionUtils.stringifyException(missing))
                .contains("Could not find a 'KafkaClient' entry in the JAAS configuration");
    }

    /** The job's options, as a command line: one stream's audio path, bounded, SASL_SSL via the file. */
    private static Configuration jobOptions(Path clientProperties, String run) {
        return CommandLine.parse(new String[] {
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-properties-file", clientProperties.toString(),
                "--bounded", "--parallelism", "2", "--checkpoint-interval", "500 ms",
                "--group-id", run, "--transactional-id-prefix", run, "--job-name", "secured-" + run,
                "--video", "false", "--audio-model", "loudness", "--audio-hop", "1 s"}, JobOptions.all()).config();
    }

    /** Runs the job without restarts and returns why it failed; fails the test if it ends well or runs on. */
    private static Throwable failure(Configuration conf) throws Exception {
        Configuration flink = AnalyticsJob.pipelineConfig();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        new AnalyticsPipeline(conf).build(env);
        JobClient job = env.executeAsync(conf.get(JobOptions.JOB_NAME));
        try {
            job.getJobExecutionResult().get(FAILURE_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            job.cancel().get(30, TimeUnit.SECONDS);
            fail("the job neither failed nor ended within " + FAILURE_BOUND);
        }
        return fail("the job ended without an error");
    }

    private static Path write(String name, Map<String, String> properties) throws Exception {
        Path file = dir.resolve(name);
        Properties p = new Properties();
        p.putAll(properties);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        return file;
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            console.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            console.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }
    }
}
