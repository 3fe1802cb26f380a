package io.argus.connectors.kafka;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creating and deleting topics the way Argus's tools need them, on any cluster. */
public final class KafkaTopics {

    private static final long TIMEOUT_S = 30;

    private KafkaTopics() {}

    /**
     * Creates the topics (those that exist already are left as they are) with the broker's default
     * replication factor, and returns once the broker serves every partition of them.
     */
    public static void create(KafkaClientConfig kafka, int partitions, List<String> topics) {
        try (Admin admin = Admin.create(kafka.toProperties())) {
            List<NewTopic> newTopics = topics.stream()
                    .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty())).toList();
            try {
                admin.createTopics(newTopics).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics " + topics + " on " + kafka.bootstrapServers()
                            + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            awaitLeaders(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics " + topics + " not created within " + TIMEOUT_S + " s on "
                    + kafka.bootstrapServers(), e);
        }
    }

    /** Deletes the topics; returns the error's message when that failed, null when it worked. */
    public static String delete(KafkaClientConfig kafka, List<String> topics) {
        try (Admin admin = Admin.create(kafka.toProperties())) {
            admin.deleteTopics(topics).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException | TimeoutException e) {
            return e.getCause() == null ? e.toString() : e.getCause().getMessage();
        }
    }

    /**
     * Waits until the broker serves every partition of the topics. The controller acknowledges a new
     * topic before the brokers have applied it; an idempotent producer that writes in that moment
     * can have its first request refused and its second accepted, after which the first is retried
     * with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout and lost (KAFKA-15591, Kafka 3.9).
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS).values()
                        .stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                // not known to the broker yet
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no leaders for " + topics);
            }
            Thread.sleep(20);
        }
    }
}
