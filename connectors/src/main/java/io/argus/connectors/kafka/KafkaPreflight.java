package io.argus.connectors.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What a command checks before it talks to Kafka in earnest: that a broker answers, and that the
 * topics it needs exist, each within a bounded time. Otherwise a job would start and retry for
 * ever, and a producer would block for a minute, both with the cause buried in stack traces. A
 * failure is a {@link KafkaUnavailableException} whose message is one line naming the brokers or
 * the topics and what to do.
 */
public final class KafkaPreflight {

    /** A topic a command needs, and the option that names it (for the message), or null. */
    public record Topic(String name, String option) {}

    private KafkaPreflight() {}

    /**
     * Checks that a broker of {@code kafka} answers and that every topic exists.
     *
     * @param timeout how long to wait for each answer; zero skips the checks
     * @throws KafkaUnavailableException naming the brokers or the missing topics
     */
    public static void check(KafkaClientConfig kafka, Collection<Topic> topics, Duration timeout) {
        if (timeout.isZero()) {
            return;
        }
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Properties p = kafka.toProperties();
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "argus-preflight");
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaUnavailableException("cannot use Kafka at " + kafka.bootstrapServers() + ": "
                    + cause.getMessage() + "; check --bootstrap-servers (host:port[,host:port...])", e);
        }
        try {
            await(admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes(), kafka, ms, null);
            if (!topics.isEmpty()) {
                checkTopics(admin, kafka, topics, ms);
            }
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static void checkTopics(Admin admin, KafkaClientConfig kafka, Collection<Topic> topics, int ms) {
        List<String> names = topics.stream().map(Topic::name).distinct().toList();
        Map<String, KafkaFuture<TopicDescription>> described =
                admin.describeTopics(names, new DescribeTopicsOptions().timeoutMs(ms)).topicNameValues();
        List<Topic> missing = new ArrayList<>();
        for (Topic t : topics) {
            if (!missing.contains(t) && !exists(described.get(t.name()), kafka, ms, t)) {
                missing.add(t);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String listed = missing.stream()
                .map(t -> t.name() + (t.option() == null ? "" : " (--" + t.option() + ")"))
                .collect(Collectors.joining(", "));
        String create = "kafka-topics.sh --bootstrap-server " + kafka.bootstrapServers() + " --create --topic ";
        throw new KafkaUnavailableException(missing.size() == 1
                ? "topic " + listed + " does not exist on Kafka at " + kafka.bootstrapServers() + "; create it ("
                        + create + missing.get(0).name() + ") or name an existing one"
                : "topics " + listed + " do not exist on Kafka at " + kafka.bootstrapServers() + "; create them ("
                        + create + "NAME, for each) or name existing ones");
    }

    private static boolean exists(KafkaFuture<TopicDescription> future, KafkaClientConfig kafka, int ms, Topic topic) {
        try {
            await(future, kafka, ms, topic);
            return true;
        } catch (KafkaUnavailableException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /** Waits for an answer; turns every way of not getting one into a one-line explanation. */
    private static <T> T await(KafkaFuture<T> future, KafkaClientConfig kafka, int ms, Topic topic) {
        try {
            // the client gives up after its own timeout; the extra second only guards against it not doing so
            return future.get(ms + 1000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while asking Kafka at " + kafka.bootstrapServers(), e);
        } catch (TimeoutException e) {
            throw unreachable(kafka, ms, e);
        } catch (ExecutionException e) {
            throw explain(e.getCause(), kafka, ms, topic);
        }
    }

    private static KafkaUnavailableException explain(Throwable cause, KafkaClientConfig kafka, int ms, Topic topic) {
        String where = "Kafka at " + kafka.bootstrapServers();
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unreachable(kafka, ms, cause);
        }
        if (cause instanceof AuthenticationException) {
            return new KafkaUnavailableException(where + " refused this client: " + cause.getMessage()
                    + "; check the security settings (--kafka-properties-file, --kafka-property)", cause);
        }
        if (cause instanceof AuthorizationException) {
            return new KafkaUnavailableException(where + " does not allow this client to describe "
                    + (topic == null ? "the cluster" : "topic " + topic.name()) + ": " + cause.getMessage()
                    + "; ask for the ACLs the job needs (docs/operations.md)", cause);
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new KafkaUnavailableException("topic " + (topic == null ? "?" : topic.name()) + " does not exist on "
                    + where, cause);
        }
        return new KafkaUnavailableException(where + " did not answer as expected: " + cause.getMessage(), cause);
    }

    private static KafkaUnavailableException unreachable(KafkaClientConfig kafka, int ms, Throwable cause) {
        return new KafkaUnavailableException("no Kafka broker at " + kafka.bootstrapServers() + " answered within "
                + seconds(ms) + "; check --bootstrap-servers, that the brokers are running and reachable from here, "
                + "and security.protocol (a client speaking plaintext to a TLS listener gets no answer); "
                + "--kafka-timeout sets the wait", cause);
    }

    private static String seconds(int ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
