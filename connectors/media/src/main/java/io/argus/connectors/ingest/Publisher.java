package io.argus.connectors.ingest;

import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.connectors.status.IngestStatus;
import io.argus.connectors.status.StatusFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that hands records to Kafka: media records from the {@link RecordBuffer},
 * streams in turn, and status records, which go first. A send that Kafka cannot take (no broker
 * within {@code max.block.ms}) puts the record back, where the buffer's bound drops the oldest;
 * a record the Kafka client gives up on later (after {@code delivery.timeout.ms}) is counted as
 * dropped. The source threads never wait for Kafka.
 */
final class Publisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    /** Status records kept while Kafka is away; the oldest go first. */
    private static final int MAX_PENDING_STATUS = 1024;
    /** How long closing may spend sending what is buffered, and then closing the producer. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String videoTopic;
    private final String audioTopic;
    private final String statusTopic;
    private final RecordBuffer buffer;
    private final ArrayDeque<IngestStatus> statuses = new ArrayDeque<>();
    private final AtomicLong sendFailures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    Publisher(KafkaClientConfig kafka, String videoTopic, String audioTopic, String statusTopic, RecordBuffer buffer,
            Duration maxBlock) {
        Properties p = kafka.toProperties();
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(ReplayProducer.MAX_REQUEST_BYTES));
        p.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(2 * ReplayProducer.MAX_REQUEST_BYTES));
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        // one request at a time per broker, as argus replay sends (KAFKA-15591)
        p.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.videoTopic = videoTopic;
        this.audioTopic = audioTopic;
        this.statusTopic = statusTopic;
        this.buffer = buffer;
        this.thread = new Thread(this::run, "argus-ingest-publisher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a status record; it goes out before the media waiting. */
    void status(IngestStatus s) {
        synchronized (statuses) {
            if (statuses.size() >= MAX_PENDING_STATUS) {
                statuses.pollFirst();
            }
            statuses.addLast(s);
        }
    }

    /** Sends that Kafka refused outright (no broker in time): each was put back or dropped. */
    long sendFailures() {
        return sendFailures.get();
    }

    private void run() {
        while (running) {
            try {
                sendStatuses();
                MediaRecord r = buffer.poll(100);
                if (r != null) {
                    send(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void sendStatuses() {
        while (true) {
            IngestStatus s;
            synchronized (statuses) {
                s = statuses.peekFirst();
            }
            if (s == null) {
                return;
            }
            try {
                producer.send(new ProducerRecord<>(statusTopic, null, s.atMs,
                        s.streamId.getBytes(StandardCharsets.UTF_8), StatusFormat.toJson(s)));
            } catch (KafkaException e) {
                sendFailures.incrementAndGet();
                return; // kept: tried again after the next media record
            }
            synchronized (statuses) {
                statuses.remove(s);
            }
        }
    }

    private void send(MediaRecord r) {
        String topic = r.kind == MediaKind.VIDEO ? videoTopic : audioTopic;
        try {
            producer.send(MediaRecordFormat.toProducerRecord(topic, r), (meta, e) -> {
                if (e != null) {
                    buffer.countDropped(r.streamId);
                    LOG.debug("{} not delivered: {}", r, e.toString());
                }
            });
        } catch (KafkaException e) {
            sendFailures.incrementAndGet();
            LOG.debug("Kafka did not take {}: {}", r, e.toString());
            buffer.putBack(r);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        sendStatuses();
        try {
            // a record Kafka does not take is put back: without a broker this ends at the deadline
            for (MediaRecord r = buffer.poll(0); r != null && System.nanoTime() < deadline; r = buffer.poll(0)) {
                send(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_WAIT);
    }
}
