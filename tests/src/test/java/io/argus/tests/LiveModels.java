package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.connectors.status.ModelStatus;
import io.argus.jobs.demo.TopicReader;
import io.argus.models.packaging.ModelPackage;
import io.argus.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the tests of models changing under a running job share (hot reload, admission, shadows): a
 * clip replayed in real time, a bundled model published under another version, and waiting for
 * the events and model status reports the job commits. Every record read is checked against its
 * schema. Waits poll the topic and give up after two minutes, failing with what they saw.
 */
final class LiveModels {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private LiveModels() {}

    /** Replays the clip of stream {@code mic} at its own pace, {@code passes} times over. */
    static void replayLive(EmbeddedKafka kafka, Path clip, int passes) {
        try (ReplayProducer p = new ReplayProducer(KafkaClientConfig.of(kafka.bootstrapServers()), Fixtures.VIDEO,
                Fixtures.AUDIO)) {
            ReplayOptions paced = ReplayOptions.asFastAsPossible(Fixtures.BASE);
            p.replay(clip, "mic", new ReplayOptions(paced.baseTimeMs(), true, passes, paced.segments()), null);
        } catch (Exception e) {
            throw new IllegalStateException("live replay failed", e);
        }
    }

    /** The bundled model published under another version (same weights), in {@code dir}. */
    static Path version(Path dir, String model, String version) throws Exception {
        Path pkg = dir.resolve("package-" + version);
        ModelPackage.bundled(model).withVersion(version).writeTo(pkg);
        return pkg;
    }

    /** Reads committed events into {@code seen} until {@code n} match. */
    static void awaitEvents(TopicReader reader, List<AnalyticsEvent> seen, Predicate<AnalyticsEvent> match, int n) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (seen.stream().filter(match).count() < n && System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(100), r -> seen.add(WireSchemas.validEvent(r.value())));
        }
        assertThat(seen.stream().filter(match).count()).as("events awaited").isGreaterThanOrEqualTo(n);
    }

    /** Reads model status reports into {@code seen} until {@code n} match. */
    static void awaitStatus(TopicReader reader, List<ModelStatus> seen, Predicate<ModelStatus> match, int n) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (seen.stream().filter(match).count() < n && System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(100), r -> seen.add(WireSchemas.validModelStatus(r.value())));
        }
        assertThat(seen.stream().filter(match).count()).as("status reports awaited in %s", seen)
                .isGreaterThanOrEqualTo(n);
    }
}
