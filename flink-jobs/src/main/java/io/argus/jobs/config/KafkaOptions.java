package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.kafka.KafkaPreflight;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** Where Kafka is, how to reach it, and the topic names: shared by the job and the tools. */
public final class KafkaOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("bootstrap-servers")
            .stringType()
            .defaultValue("localhost:9092")
            .withDescription("Kafka bootstrap servers, host:port[,host:port...].");

    public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES = key("kafka-property")
            .mapType()
            .defaultValue(Map.of())
            .withDescription("A Kafka client property KEY=VALUE given to every client (repeatable), "
                    + "e.g. security.protocol=SASL_SSL.");

    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE = key("kafka-properties-file")
            .stringType()
            .noDefaultValue()
            .withDescription("A Java properties file of Kafka client properties (security settings, say) "
                    + "given to every client.");

    public static final ConfigOption<Duration> KAFKA_TIMEOUT = key("kafka-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(15))
            .withDescription("How long a command waits, before it starts, for a Kafka broker to answer and to list the "
                    + "topics it needs; it exits with an error naming the broker or topic otherwise. 0 skips the checks "
                    + "(a job submitted from a machine that cannot reach Kafka, say).");

    public static final ConfigOption<String> VIDEO_TOPIC = key("video-topic")
            .stringType()
            .defaultValue("argus.video")
            .withDescription("Topic of video records.");

    public static final ConfigOption<String> AUDIO_TOPIC = key("audio-topic")
            .stringType()
            .defaultValue("argus.audio")
            .withDescription("Topic of audio records.");

    public static final ConfigOption<String> EVENTS_TOPIC = key("events-topic")
            .stringType()
            .defaultValue("argus.events")
            .withDescription("Topic the events are written to.");

    public static final ConfigOption<String> LIVE_EVENTS_TOPIC = key("live-events-topic")
            .stringType()
            .noDefaultValue()
            .withDescription("A second topic every event is also written to as soon as it is decided, at least once: "
                    + "not in a transaction, so it does not wait for the checkpoint that commits the events topic "
                    + "(visible within the window plus the ordering hold and inference), but after a failure an "
                    + "event may appear there twice. The events topic stays exactly-once. Unset: no such topic.");

    public static final ConfigOption<String> INCIDENTS_TOPIC = key("incidents-topic")
            .stringType()
            .defaultValue("argus.incidents")
            .withDescription("Topic the incidents are written to (when each opens and when it closes).");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = key("dead-letter-topic")
            .stringType()
            .defaultValue("argus.dead-letters")
            .withDescription("Topic refused records are written to, with the reason.");

    public static final ConfigOption<String> STATUS_TOPIC = key("status-topic")
            .stringType()
            .defaultValue("argus.status")
            .withDescription("Topic of the job's status records: model swaps and refused models (registry:NAME "
                    + "models), streams whose clock jumped and streams released after --idle-release.");

    public static final ConfigOption<String> SHADOW_TOPIC = key("shadow-topic")
            .stringType()
            .defaultValue("argus.shadow")
            .withDescription("Topic the events of a registry:NAME model's shadow version are written to (argus models "
                    + "shadow), in the events' format and marked as shadow; needed by jobs that follow a registry.");

    /** Options of every command that talks to Kafka. */
    public static final List<ConfigOption<?>> CONNECTION = List.of(
            BOOTSTRAP_SERVERS, KAFKA_PROPERTIES, KAFKA_PROPERTIES_FILE, KAFKA_TIMEOUT);

    /** The input topics. */
    public static final List<ConfigOption<?>> INPUT_TOPICS = List.of(VIDEO_TOPIC, AUDIO_TOPIC);

    /** The connection and every topic, in --help order. */
    public static final List<ConfigOption<?>> ALL = List.of(BOOTSTRAP_SERVERS, KAFKA_PROPERTIES,
            KAFKA_PROPERTIES_FILE, KAFKA_TIMEOUT, VIDEO_TOPIC, AUDIO_TOPIC, EVENTS_TOPIC, LIVE_EVENTS_TOPIC,
            INCIDENTS_TOPIC, DEAD_LETTER_TOPIC, STATUS_TOPIC, SHADOW_TOPIC);

    private KafkaOptions() {}

    /**
     * Checks, within {@link #KAFKA_TIMEOUT}, that a broker answers and that the topics the options
     * name exist.
     *
     * @throws io.argus.connectors.kafka.KafkaUnavailableException naming the broker or topic
     */
    @SafeVarargs
    public static void preflight(Configuration conf, ConfigOption<String>... topics) {
        List<KafkaPreflight.Topic> needed = Arrays.stream(topics)
                .map(t -> new KafkaPreflight.Topic(conf.get(t), t.key())).toList();
        KafkaPreflight.check(clientConfig(conf), needed, conf.get(KAFKA_TIMEOUT));
    }

    public static KafkaClientConfig clientConfig(Configuration conf) {
        KafkaClientConfig kafka = new KafkaClientConfig(conf.get(BOOTSTRAP_SERVERS), conf.get(KAFKA_PROPERTIES));
        String file = conf.get(KAFKA_PROPERTIES_FILE);
        return file == null ? kafka : kafka.withPropertiesFile(Path.of(file));
    }
}
