package io.argus.jobs.demo;

import io.argus.connectors.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from the beginning with {@code isolation.level=read_committed}, as a downstream
 * consumer of Argus events would: only records of committed transactions are seen.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;

    public TopicReader(KafkaClientConfig kafka, String... topics) {
        Properties p = kafka.toProperties();
        p.setProperty("group.id", "argus-reader-" + java.util.UUID.randomUUID());
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics));
    }

    /** Hands every record that arrives within {@code timeout} to {@code sink}; returns how many. */
    public int poll(Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            sink.accept(r);
            n++;
        }
        return n;
    }

    /**
     * Reads until {@code quiet} passes without a new record, after {@code done} has become true
     * and the consumer has its partitions (joining the group can take longer than {@code quiet} on
     * a busy machine, and nothing read then does not mean nothing is there); gives up after
     * {@code limit}. Returns the records read.
     */
    public List<ConsumerRecord<byte[], byte[]>> readUntilQuiet(
            java.util.function.BooleanSupplier done, Duration quiet, Duration limit,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        long lastRecord = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int n = poll(Duration.ofMillis(200), r -> {
                all.add(r);
                each.accept(r);
            });
            if (n > 0 || consumer.assignment().isEmpty()) {
                lastRecord = System.nanoTime();
            } else if (done.getAsBoolean() && System.nanoTime() - lastRecord > quiet.toNanos()) {
                break;
            }
        }
        return all;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
