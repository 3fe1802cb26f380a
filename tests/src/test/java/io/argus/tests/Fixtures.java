package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.deadletter.DeadLetterFormat;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.incidents.Incident;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Shared set-up of the end-to-end tests: topics, the known clip, job settings, reading results. */
final class Fixtures {

    static final String VIDEO = "argus.video";
    static final String AUDIO = "argus.audio";
    static final String EVENTS = "argus.events";
    static final String INCIDENTS = "argus.incidents";
    static final String DEAD = "argus.dead-letters";
    static final String STATUS = "argus.status";
    static final String SHADOW = "argus.shadow";
    /** 2026-01-01T00:00:00Z: capture time of the clip's first frame. */
    static final long BASE = 1_767_225_600_000L;

    private Fixtures() {}

    /** The shaded job jar, as built by flink-jobs' package phase. */
    static File jobJar() {
        File jar = new File(System.getProperty("argus.job.jar", "missing"));
        assertThat(jar).as("the shaded job jar (built by flink-jobs' package phase)").isFile();
        return jar;
    }

    static void createTopics(EmbeddedKafka kafka) {
        kafka.createTopics(2, VIDEO, AUDIO, EVENTS, INCIDENTS, DEAD, STATUS, SHADOW);
    }

    /**
     * Writes a clip of a script (seed 42) with a person who has a body, whom the default action
     * model's pose model finds.
     */
    static Path clip(Path dir, List<SyntheticClip.Phase> script) throws Exception {
        Path clip = dir.resolve("known-" + script.hashCode() + ".mkv");
        SyntheticClip.withPeople(42).write(clip, script);
        return clip;
    }

    /**
     * Writes a clip of a script (seed 42) with a stick figure, the footage the pixel action model
     * ({@code bundled:action-cnn-lstm}) was made for.
     */
    static Path stickFigureClip(Path dir, List<SyntheticClip.Phase> script) throws Exception {
        Path clip = dir.resolve("stick-" + script.hashCode() + ".mkv");
        SyntheticClip.standard(42).write(clip, script);
        return clip;
    }

    static ReplayProducer.Stats replay(EmbeddedKafka kafka, Path clip, String stream, long base) throws Exception {
        try (ReplayProducer p = new ReplayProducer(KafkaClientConfig.of(kafka.bootstrapServers()), VIDEO, AUDIO)) {
            return p.replay(clip, stream, ReplayOptions.asFastAsPossible(base), null);
        }
    }

    /** Replays into a run's own input topics, {@code run.video} and {@code run.audio}. */
    static ReplayProducer.Stats replay(EmbeddedKafka kafka, Path clip, String run, String stream, long base)
            throws Exception {
        try (ReplayProducer p = new ReplayProducer(KafkaClientConfig.of(kafka.bootstrapServers()), run + ".video",
                run + ".audio")) {
            return p.replay(clip, stream, ReplayOptions.asFastAsPossible(base), null);
        }
    }

    /** Settings of a bounded test run of the job against the embedded broker. */
    static Configuration jobConfig(EmbeddedKafka kafka) {
        Configuration c = new Configuration();
        c.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        c.set(JobOptions.BOUNDED, true);
        c.set(JobOptions.PARALLELISM, 2);
        c.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        return c;
    }

    /** The phase of a script a window lies wholly inside, or null when it straddles two. */
    static SyntheticClip.Phase phaseOf(List<SyntheticClip.Phase> script, AnalyticsEvent e, long base) {
        long phaseStart = base;
        for (SyntheticClip.Phase p : script) {
            long phaseEnd = phaseStart + p.durationMs();
            if (e.windowStartMs >= phaseStart && e.windowEndMs <= phaseEnd + 10) {
                return p;
            }
            phaseStart = phaseEnd;
        }
        return null;
    }

    /**
     * Reads every committed event, incident and dead letter, as a read_committed consumer, once the
     * job has finished.
     */
    static Results read(EmbeddedKafka kafka) {
        Results results = read(kafka, EVENTS, DEAD);
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), INCIDENTS)) {
            reader.readToEnd(() -> true, Duration.ofMinutes(2), r -> results.incidents.add(WireSchemas.validIncident(r.value())));
        }
        return results;
    }

    /** Reads the events and dead letters of a job writing to other topics, once it has finished. */
    static Results read(EmbeddedKafka kafka, String eventsTopic, String deadTopic) {
        Results results = new Results();
        try (TopicReader reader = new TopicReader(KafkaClientConfig.of(kafka.bootstrapServers()), eventsTopic,
                deadTopic)) {
            reader.readToEnd(() -> true, Duration.ofMinutes(2), r -> {
                if (r.topic().equals(eventsTopic)) {
                    results.events.add(WireSchemas.validEvent(r.value()));
                } else {
                    results.deadLetters.add(WireSchemas.validDeadLetter(r));
                }
            });
        }
        return results;
    }

    static final class Results {
        final List<AnalyticsEvent> events = new ArrayList<>();
        final List<Incident> incidents = new ArrayList<>();
        final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

        List<AnalyticsEvent> of(String stream, String kind) {
            return events.stream().filter(e -> e.streamId.equals(stream) && e.kind.equals(kind)).toList();
        }

        List<String> reasons() {
            return deadLetters.stream().map(DeadLetterFormat::reason).toList();
        }
    }
}
