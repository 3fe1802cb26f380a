package io.argus.connectors.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), running inside
 * this JVM on loopback ports with its log in a temporary folder. It is what the embedded demo and
 * the integration tests talk to; a job cannot tell it from a one-node cluster.
 *
 * <p>Only for the embedded platform and tests: the broker classes are never part of the job jar.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.overrides = overrides;
    }

    /** Starts a broker on free loopback ports with a fresh log folder. */
    public static EmbeddedKafka start() throws IOException {
        return start(Map.of());
    }

    /** Starts a broker with extra or overriding broker properties. */
    public static EmbeddedKafka start(Map<String, String> brokerOverrides) throws IOException {
        Path dir = Files.createTempDirectory("argus-kafka-");
        EmbeddedKafka kafka = new EmbeddedKafka(dir, freePort(), freePort(), brokerOverrides);
        kafka.format();
        kafka.startServer();
        return kafka;
    }

    /** {@code host:port} of the plaintext listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Creates topics (idempotent) and waits until they exist. */
    public void createTopics(int partitions, String... topics) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            List<NewTopic> newTopics = Stream.of(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            try {
                admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics " + List.of(topics), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topics " + List.of(topics) + " not created within 30 s", e);
        }
    }

    /** Stops the broker (for failure tests); {@link #restart()} brings it back on the same ports. */
    public void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the broker again after {@link #stop()}, keeping its data and ports. */
    public void restart() {
        if (server == null) {
            startServer();
        }
    }

    @Override
    public void close() {
        stop();
        deleteRecursively(logDir);
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.resolve("data").toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        // keep everything for the broker's life: time retention would delete any record whose timestamp
        // is older than 7 days at its first check, 30 s after start, whatever was written by whom
        p.setProperty("log.retention.ms", "-1");
        // segments of a whole second of 720p video fit; the client side is configured to match
        p.setProperty("message.max.bytes", Integer.toString(16 * 1024 * 1024));
        p.setProperty("replica.fetch.max.bytes", Integer.toString(16 * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }

    private void format() throws IOException {
        Path config = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            properties().store(out, "Argus embedded broker");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()};
        int rc = StorageTool.execute(args, new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("formatting the embedded broker's log failed: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    private void startServer() {
        server = new KafkaRaftServer(new KafkaConfig(properties()), Time.SYSTEM);
        server.startup();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless; the broker is already stopped
        }
    }

}
