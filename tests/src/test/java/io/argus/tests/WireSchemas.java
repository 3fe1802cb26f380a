package io.argus.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.incidents.Incident;
import io.argus.connectors.incidents.IncidentFormat;
import io.argus.connectors.status.ModelStatus;
import io.argus.connectors.status.StatusFormat;
import io.argus.connectors.status.StreamStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The JSON Schemas of the records on Argus' topics, read from the repository's {@code docs/schemas}
 * ({@code NAME.schema.json}, draft 2020-12), for the tests that read records back from Kafka: every
 * record they read goes through {@link #assertValid} (a JSON value) or {@link #assertValidKeyAndHeaders}
 * (media records and dead letters, whose value is not JSON). A schema is found by its name, so a new
 * topic's schema needs only its file.
 */
final class WireSchemas {

    static final String EVENT = "event";
    static final String INCIDENT = "incident";
    static final String STATUS = "status";
    static final String DEAD_LETTER = "dead-letter";
    static final String MEDIA_RECORD = "media-record";

    private static final String SUFFIX = ".schema.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private WireSchemas() {}

    /** The folder of the schema files: {@code argus.schemas.dir}, set by the build, else {@code ../docs/schemas}. */
    static Path dir() {
        return Path.of(System.getProperty("argus.schemas.dir", "../docs/schemas"));
    }

    /** The names of the schemas in {@link #dir()}: {@code event} for {@code event.schema.json}. */
    static Set<String> names() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the schemas in " + dir().toAbsolutePath(), e);
        }
    }

    /** What is wrong with a JSON document by the schema of that name; empty when it is valid. */
    static Set<String> problems(String name, JsonNode json) {
        return schema(name).validate(json).stream()
                .map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Fails with every problem and the record when a JSON record value does not match the schema. */
    static void assertValid(String name, byte[] json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(name + " record is not JSON: " + e.getMessage() + ": "
                    + new String(json, StandardCharsets.UTF_8), e);
        }
        assertValid(name, node);
    }

    static void assertValid(String name, JsonNode json) {
        Set<String> problems = problems(name, json);
        if (!problems.isEmpty()) {
            throw new AssertionError(name + " record does not match docs/schemas/" + name + SUFFIX + ": "
                    + String.join("; ", problems) + "\n  record: " + json);
        }
    }

    /** An event read back from Kafka, checked against the event schema first. */
    static AnalyticsEvent validEvent(byte[] json) {
        assertValid(EVENT, json);
        return EventFormat.fromJson(json);
    }

    /** An incident read back from Kafka, checked against the incident schema first. */
    static Incident validIncident(byte[] json) {
        assertValid(INCIDENT, json);
        return IncidentFormat.fromJson(json);
    }

    /** A model status read back from Kafka, checked against the status schema first. */
    static ModelStatus validModelStatus(byte[] json) {
        assertValid(STATUS, json);
        return StatusFormat.fromJson(json);
    }

    /** A stream status read back from Kafka, checked against the status schema first. */
    static StreamStatus validStreamStatus(byte[] json) {
        assertValid(STATUS, json);
        return StatusFormat.streamStatusFromJson(json);
    }

    /** A dead letter read back from Kafka, its key and headers checked against the dead-letter schema. */
    static ConsumerRecord<byte[], byte[]> validDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        assertValidKeyAndHeaders(DEAD_LETTER, record);
        return record;
    }

    /** Validates a record's key and headers, as {@link #keyAndHeaders} writes them. */
    static void assertValidKeyAndHeaders(String name, ConsumerRecord<byte[], byte[]> record) {
        assertValid(name, keyAndHeaders(record));
    }

    /**
     * A record's key and headers as the media-record and dead-letter schemas describe them:
     * {@code {"key": UTF-8 or null, "headers": {name: UTF-8 value}}} (the last value of a repeated header).
     */
    static ObjectNode keyAndHeaders(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode root = MAPPER.createObjectNode();
        if (record.key() == null) {
            root.putNull("key");
        } else {
            root.put("key", new String(record.key(), StandardCharsets.UTF_8));
        }
        ObjectNode headers = root.putObject("headers");
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return root;
    }

    private static JsonSchema schema(String name) {
        return SCHEMAS.computeIfAbsent(name, n -> {
            Path file = dir().resolve(n + SUFFIX);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no schema " + n + ": " + file.toAbsolutePath()
                        + " does not exist (schemas there: " + names() + ")");
            }
            try {
                return FACTORY.getSchema(MAPPER.readTree(file.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
            }
        });
    }
}
