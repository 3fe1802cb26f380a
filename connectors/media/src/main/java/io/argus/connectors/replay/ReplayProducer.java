package io.argus.connectors.replay;

import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes recordings to the input topics in the Argus media wire format: video segments to the
 * video topic, audio chunks to the audio topic, both keyed by stream id, capture times preserved.
 */
public final class ReplayProducer implements AutoCloseable {

    /** Largest record the producer sends; matches the job's default payload limit plus headers. */
    public static final int MAX_REQUEST_BYTES = MediaRecordFormat.DEFAULT_MAX_PAYLOAD_BYTES + 64 * 1024;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String videoTopic;
    private final String audioTopic;
    private final AtomicReference<Exception> sendError = new AtomicReference<>();

    public ReplayProducer(KafkaClientConfig kafka, String videoTopic, String audioTopic) {
        Properties p = kafka.toProperties();
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_REQUEST_BYTES));
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        // One request at a time per broker: with several in flight, a request refused while a new
        // partition is being created can be overtaken by the next one and then never accepted
        // (KAFKA-15591), losing its records after delivery.timeout.ms. Segments are large, so
        // batching keeps the throughput.
        p.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.videoTopic = videoTopic;
        this.audioTopic = audioTopic;
    }

    /** What a replay sent. */
    public record Stats(int videoRecords, int audioRecords, long mediaEndMs) {}

    /**
     * Replays one file and waits until every record is acknowledged.
     *
     * @param progress told about every record sent (for progress output); may be null
     */
    public Stats replay(Path file, String streamId, ReplayOptions options, Consumer<MediaRecord> progress)
            throws IOException, InterruptedException {
        SegmentCutter cutter = new SegmentCutter(options.segments());
        long wallStart = System.currentTimeMillis();
        AtomicLong end = new AtomicLong(options.baseTimeMs());
        int video = 0;
        int audio = 0;
        long base = options.baseTimeMs();
        for (int pass = 0; pass < options.loops(); pass++) {
            long passBase = base;
            Pacer pacer = new Pacer(options.realtime(), wallStart, options.baseTimeMs());
            // each pass continues the timeline and the stream's sequence numbers (argus.seq)
            SegmentCutter.Summary s = cutter.cut(file, streamId, passBase, video, audio,
                    r -> send(videoTopic, r, pacer, end, progress),
                    r -> send(audioTopic, r, pacer, end, progress));
            video += s.videoSegments();
            audio += s.audioChunks();
            base = end.get();
        }
        producer.flush();
        Exception e = sendError.get();
        if (e != null) {
            throw new IOException("replay of " + file + " to Kafka failed: " + e.getMessage(), e);
        }
        return new Stats(video, audio, end.get());
    }

    private void send(String topic, MediaRecord r, Pacer pacer, AtomicLong end, Consumer<MediaRecord> progress) {
        if (sendError.get() != null) {
            return;
        }
        pacer.await(r.captureTimeMs);
        producer.send(MediaRecordFormat.toProducerRecord(topic, r), (meta, e) -> {
            if (e != null) {
                sendError.compareAndSet(null, e);
            }
        });
        end.accumulateAndGet(r.captureTimeMs + r.durationMs, Math::max);
        if (progress != null) {
            progress.accept(r);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Holds records back until their media time has come, when replaying in real time. */
    private record Pacer(boolean realtime, long wallStart, long mediaStart) {
        void await(long captureTimeMs) {
            if (!realtime) {
                return;
            }
            long due = wallStart + (captureTimeMs - mediaStart);
            long wait = due - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("replay interrupted", e);
                }
            }
        }
    }
}
