package io.argus.jobs.demo;

import io.argus.connectors.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from the beginning with {@code isolation.level=read_committed}, as a downstream
 * consumer of Argus events would: only records of committed transactions are seen. It assigns
 * itself every partition of the topics instead of joining a consumer group, so it reads from the
 * first poll on and commits nothing.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();

    /** The topics must exist. */
    public TopicReader(KafkaClientConfig kafka, String... topics) {
        Properties p = kafka.toProperties();
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalArgumentException("topic " + topic + " does not exist on " + kafka.bootstrapServers());
                }
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
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
     * Hands records to {@code each} as they arrive until {@code done} is true (the writer has
     * finished: a bounded job has ended) and every committed record written before then has been
     * read: the end is each partition's last stable offset, taken once {@code done} holds, so no
     * quiet period has to be guessed. Returns the records read.
     *
     * @throws IllegalStateException when {@code limit} passes first; the message says how far it got
     */
    public List<ConsumerRecord<byte[], byte[]>> readToEnd(
            BooleanSupplier done, Duration limit, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        Map<TopicPartition, Long> end = null;
        while (true) {
            if (end == null && done.getAsBoolean()) {
                end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            }
            if (end != null && reached(end)) {
                return all;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("read " + all.size() + " records in " + limit + " and did not reach "
                        + (end == null ? "the end: the writer has not finished" : "the end offsets " + end
                                + "; at " + positions()));
            }
            poll(Duration.ofMillis(200), r -> {
                all.add(r);
                each.accept(r);
            });
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> at = new java.util.TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        partitions.forEach(tp -> at.put(tp, consumer.position(tp)));
        return at;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
