package io.argus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.connectors.kafka.KafkaClientConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secured embedded broker (SASL/PLAIN over TLS): clients with the right settings read and
 * write; wrong credentials, no credentials, no truststore and plaintext each fail, quickly and
 * with an error that says why.
 */
class EmbeddedKafkaSecurityTest {

    private static final String USER = "argus";
    private static final String PASSWORD = "s3cret-for-argus";
    private static final String TOPIC = "secured";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.startSecured(USER, PASSWORD);
        kafka.createTopics(1, TOPIC); // its admin client authenticates too
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void clientsWithTheUserAndTheTruststoreWriteAndRead() {
        KafkaClientConfig client = kafka.clientConfig();
        assertThat(client.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsKeys("sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password");

        try (KafkaProducer<byte[], byte[]> producer = producer(client.toProperties())) {
            producer.send(new ProducerRecord<>(TOPIC, bytes("k"), bytes("over SASL_SSL"))).get();
        } catch (Exception e) {
            throw new AssertionError("a producer with the right settings could not write", e);
        }
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(client.toProperties())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(read).containsExactly("over SASL_SSL");
    }

    @Test
    void aWrongPasswordFailsWithAnAuthenticationError() {
        Properties wrong = kafka.clientConfigAs(USER, "not-the-password").toProperties();
        long t0 = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(wrong)) {
            assertThatThrownBy(() -> consumer.partitionsFor(TOPIC, Duration.ofSeconds(20)))
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Authentication failed")
                    .hasMessageContaining("Invalid username or password");
        }
        try (KafkaProducer<byte[], byte[]> producer = producer(wrong)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, bytes("x"))).get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("refused at once, not after timeouts")
                .isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void anUnknownUserFailsWithAnAuthenticationError() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka.clientConfigAs("mallory", PASSWORD)
                .toProperties())) {
            assertThatThrownBy(() -> consumer.partitionsFor(TOPIC, Duration.ofSeconds(20)))
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Authentication failed");
        }
    }

    @Test
    void noCredentialsFailWhenTheClientIsMade() {
        Properties p = kafka.clientConfig().toProperties();
        p.remove("sasl.jaas.config");
        assertThatThrownBy(() -> consumer(p).close())
                .hasStackTraceContaining("Could not find a 'KafkaClient' entry in the JAAS configuration");
    }

    @Test
    void withoutTheTruststoreTheBrokersCertificateIsRefused() {
        Properties p = kafka.clientConfig().toProperties();
        p.keySet().removeIf(k -> k.toString().startsWith("ssl.truststore."));
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(p)) {
            assertThatThrownBy(() -> consumer.partitionsFor(TOPIC, Duration.ofSeconds(20)))
                    .isInstanceOf(SslAuthenticationException.class)
                    .hasMessageContaining("SSL handshake failed")
                    .hasStackTraceContaining("unable to find valid certification path");
        }
    }

    @Test
    void plaintextGetsNoAnswerAndTimesOut() {
        Properties p = KafkaClientConfig.of(kafka.bootstrapServers()).toProperties();
        long t0 = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(p)) {
            assertThatThrownBy(() -> consumer.partitionsFor(TOPIC, Duration.ofSeconds(3)))
                    .isInstanceOf(TimeoutException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void printedSettingsHideThePasswords() {
        KafkaClientConfig client = kafka.clientConfig();
        String truststorePassword = client.properties().get("ssl.truststore.password");
        assertThat(client.toString())
                .contains("security.protocol=SASL_SSL", "sasl.mechanism=PLAIN", "ssl.truststore.location=")
                .doesNotContain(PASSWORD, truststorePassword, "PlainLoginModule");
        // what the Kafka clients log of their own configuration when they start
        Map<String, ?> logged = new ConsumerConfig(consumerSettings(client.toProperties())).values();
        assertThat(logged.get("sasl.jaas.config")).hasToString("[hidden]");
        assertThat(logged.get("ssl.truststore.password")).hasToString("[hidden]");
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties p) {
        Map<String, Object> c = new HashMap<>();
        p.forEach((k, v) -> c.put(k.toString(), v));
        c.put("max.block.ms", 10_000);
        c.put("delivery.timeout.ms", 10_000);
        c.put("request.timeout.ms", 5_000);
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties p) {
        return new KafkaConsumer<>(consumerSettings(p), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> consumerSettings(Properties p) {
        Map<String, Object> c = new HashMap<>();
        p.forEach((k, v) -> c.put(k.toString(), v));
        c.put("enable.auto.commit", false);
        c.put("default.api.timeout.ms", 10_000);
        c.put("request.timeout.ms", 5_000);
        c.put("key.deserializer", ByteArrayDeserializer.class);
        c.put("value.deserializer", ByteArrayDeserializer.class);
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
