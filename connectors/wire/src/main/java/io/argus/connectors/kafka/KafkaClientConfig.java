package io.argus.connectors.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where Kafka is and how to reach it: bootstrap servers plus client properties (security settings
 * such as {@code security.protocol}, {@code sasl.*}, {@code ssl.*}) that every client Argus
 * creates (the job's sources and sinks, the replay producer, tools) receives unchanged.
 */
public final class KafkaClientConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Client properties whose values must never be printed. */
    private static final Set<String> SECRET_HINTS = Set.of("password", "secret", "jaas", "token", "key");

    private final String bootstrapServers;
    private final Map<String, String> properties;

    public KafkaClientConfig(String bootstrapServers, Map<String, String> properties) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap-servers must name at least one host:port");
        }
        this.bootstrapServers = bootstrapServers;
        this.properties = Map.copyOf(properties);
    }

    public static KafkaClientConfig of(String bootstrapServers) {
        return new KafkaClientConfig(bootstrapServers, Map.of());
    }

    /** Adds the properties of a Java properties file (e.g. a client security configuration). */
    public KafkaClientConfig withPropertiesFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read kafka-properties-file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> merged = new LinkedHashMap<>(properties);
        p.stringPropertyNames().forEach(k -> merged.put(k, p.getProperty(k)));
        return new KafkaClientConfig(bootstrapServers, merged);
    }

    /** Adds one client property. */
    public KafkaClientConfig with(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(properties);
        merged.put(key, value);
        return new KafkaClientConfig(bootstrapServers, merged);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A fresh properties object holding the bootstrap servers and every client property. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** The client properties without the bootstrap servers. */
    public Map<String, String> properties() {
        return properties;
    }

    /** For logs: secret-looking values are masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("kafka ").append(bootstrapServers);
        properties.forEach((k, v) -> sb.append(' ').append(k).append('=').append(isSecret(k) ? "******" : v));
        return sb.toString();
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return SECRET_HINTS.stream().anyMatch(k::contains) && !k.endsWith(".type") && !k.endsWith(".location");
    }
}
