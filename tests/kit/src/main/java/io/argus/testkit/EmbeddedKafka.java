package io.argus.testkit;

import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.kafka.KafkaTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), running inside
 * this JVM on loopback ports with its log in a temporary folder. It is what the embedded demo and
 * the integration tests talk to; a job cannot tell it from a one-node cluster.
 *
 * <p>{@link #start()} offers clients a PLAINTEXT listener; {@link #startSecured(String, String)}
 * offers them only a SASL_SSL listener (SASL/PLAIN with one user, TLS with a self-signed
 * certificate), which the broker also uses to talk to itself. Either way the controller listens
 * on a PLAINTEXT loopback port that only the broker uses. {@link #clientConfig()} holds what a
 * client needs to connect.
 *
 * <p>Only for the embedded platform and tests: the broker classes are never part of the job jar.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    /** The user the broker authenticates as on its own SASL_SSL listener. */
    private static final String BROKER_USER = "broker";

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private final Security security;
    /** Whether the log folder outlives the broker ({@link #startKeeping}). */
    private final boolean keep;
    private KafkaRaftServer server;

    /** The client user, the broker's own credentials and the TLS stores of a secured broker. */
    private record Security(String username, String password, String brokerPassword,
            SelfSignedCertificate.Stores stores) {}

    private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides,
            Security security, boolean keep) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.overrides = overrides;
        this.security = security;
        this.keep = keep;
    }

    /** Starts a broker on free loopback ports with a fresh log folder. */
    public static EmbeddedKafka start() throws IOException {
        return start(Map.of());
    }

    /** Starts a broker with extra or overriding broker properties. */
    public static EmbeddedKafka start(Map<String, String> brokerOverrides) throws IOException {
        Path dir = Files.createTempDirectory("argus-kafka-");
        return start(new EmbeddedKafka(dir, freePort(), freePort(), brokerOverrides, null, false));
    }

    /**
     * Starts a broker whose log lives in {@code dir} and is kept when it closes: formatted when the
     * folder is new, reopened with its topics, records and transactions when it holds an earlier
     * broker's (on new free ports).
     */
    public static EmbeddedKafka startKeeping(Path dir) throws IOException {
        Files.createDirectories(dir);
        EmbeddedKafka kafka = new EmbeddedKafka(dir.toAbsolutePath(), freePort(), freePort(), Map.of(), null, true);
        if (!Files.exists(kafka.logDir.resolve("data").resolve("meta.properties"))) {
            kafka.format();
        }
        kafka.startServer();
        return kafka;
    }

    /**
     * Starts a broker whose only client listener is SASL_SSL: SASL/PLAIN accepting {@code username}
     * with {@code password}, TLS with a self-signed certificate for {@code 127.0.0.1} and
     * {@code localhost} made for this broker (clients find its truststore in {@link #clientConfig()}).
     */
    public static EmbeddedKafka startSecured(String username, String password) throws IOException {
        requireUsername(username);
        requirePassword(password);
        if (username.equals(BROKER_USER)) {
            throw new IllegalArgumentException("the user name '" + BROKER_USER + "' is the broker's own");
        }
        Path dir = Files.createTempDirectory("argus-kafka-");
        Security security = new Security(username, password, randomSecret(), SelfSignedCertificate.create(dir));
        return start(new EmbeddedKafka(dir, freePort(), freePort(), Map.of(), security, false));
    }

    private static EmbeddedKafka start(EmbeddedKafka kafka) throws IOException {
        kafka.format();
        kafka.startServer();
        return kafka;
    }

    /** {@code host:port} of the client listener (PLAINTEXT, or SASL_SSL when secured), for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /**
     * What a client needs to connect: the bootstrap servers and, when secured, the SASL_SSL
     * settings with the configured user and the truststore holding the broker's certificate.
     */
    public KafkaClientConfig clientConfig() {
        return security == null ? KafkaClientConfig.of(bootstrapServers())
                : clientConfigAs(security.username(), security.password());
    }

    /** The client settings of a secured broker with other credentials (to show that wrong ones are refused). */
    public KafkaClientConfig clientConfigAs(String username, String password) {
        if (security == null) {
            throw new IllegalStateException("this broker is not secured: start it with startSecured(...)");
        }
        requireUsername(username);
        requirePassword(password);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", PLAIN_LOGIN_MODULE + " required username=\"" + username + "\" password=\""
                + password + "\";");
        p.put("ssl.truststore.location", security.stores().truststore().toString());
        p.put("ssl.truststore.password", security.stores().password());
        p.put("ssl.truststore.type", "PKCS12");
        return new KafkaClientConfig(bootstrapServers(), p);
    }

    /** Creates topics (idempotent) and waits until the broker serves them ({@link KafkaTopics#create}). */
    public void createTopics(int partitions, String... topics) {
        KafkaTopics.create(clientConfig(), partitions, List.of(topics));
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
        if (!keep) {
            deleteRecursively(logDir);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String client = security == null ? "PLAINTEXT" : "SASL_SSL";
        p.setProperty("listeners", client + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", client + "://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", client);
        p.setProperty("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
        if (security != null) {
            secure(p);
        }
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

    /** SASL/PLAIN and TLS on the SASL_SSL listener, for clients and for the broker itself. */
    private void secure(Properties p) {
        p.setProperty("sasl.enabled.mechanisms", "PLAIN");
        p.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        // username/password: what the broker logs in as; user_NAME: the accounts it accepts
        p.setProperty("listener.name.sasl_ssl.plain.sasl.jaas.config", PLAIN_LOGIN_MODULE + " required"
                + " username=\"" + BROKER_USER + "\" password=\"" + security.brokerPassword() + "\""
                + " user_" + BROKER_USER + "=\"" + security.brokerPassword() + "\""
                + " user_" + security.username() + "=\"" + security.password() + "\";");
        SelfSignedCertificate.Stores stores = security.stores();
        p.setProperty("ssl.keystore.location", stores.keystore().toString());
        p.setProperty("ssl.keystore.password", stores.password());
        p.setProperty("ssl.key.password", stores.password());
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.truststore.location", stores.truststore().toString());
        p.setProperty("ssl.truststore.password", stores.password());
        p.setProperty("ssl.truststore.type", "PKCS12");
        p.setProperty("ssl.client.auth", "none");
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

    /** A user name is also part of an option name ({@code user_NAME}) in the broker's JAAS configuration. */
    private static void requireUsername(String username) {
        if (username == null || !username.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("username must be letters, digits, '.', '_' or '-'");
        }
    }

    /** A password is written into a JAAS configuration between double quotes. */
    private static void requirePassword(String password) {
        if (password == null || password.isEmpty()
                || password.chars().anyMatch(c -> c == '"' || c == '\\' || c < ' ')) {
            throw new IllegalArgumentException("password must be non-empty, without quotes, backslashes or control "
                    + "characters");
        }
    }

    private static String randomSecret() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
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
