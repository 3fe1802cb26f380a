package io.argus.connectors.ingest;

import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.connectors.status.IngestStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Live sources in, media records out: each source is read on a thread of its own by a
 * {@link SourceRunner}, cut into keyframe-aligned video segments (copied, or re-encoded when the
 * wire format cannot carry its codec) and PCM audio chunks, and published by one
 * {@link Publisher} to the input topics in the media wire format, with a status record per source
 * on the status topic. A stalled or lost source is retried with backoff while the others go on;
 * while Kafka is away records wait in a bounded {@link RecordBuffer} that drops the oldest.
 *
 * <pre>{@code
 * try (Ingest ingest = Ingest.builder(kafka).source(SourceSpec.parse("lobby", "rtsp://cam-3/stream1")).build()) {
 *     ingest.start();
 *     ingest.awaitStop();
 * }
 * }</pre>
 */
public final class Ingest implements AutoCloseable {

    /**
     * How sources are read and published; see {@link Builder} for each setting.
     */
    public record Settings(SegmentOptions segments, Duration readTimeout, Duration reconnectInitial,
            Duration reconnectMax, int maxAttempts, long bufferBytesPerStream, Duration statusInterval,
            Duration maxDrift, Duration kafkaMaxBlock) {}

    private final Settings settings;
    private final List<SourceRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final RecordBuffer buffer;
    private final Publisher publisher;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch ended;
    private boolean started;

    private Ingest(Builder b) {
        this.settings = new Settings(new SegmentOptions(b.segment.toMillis(), b.reencodeAs, b.audioChunk.toMillis()),
                b.readTimeout, b.reconnectInitial, b.reconnectMax, b.maxAttempts, b.bufferBytesPerStream,
                b.statusInterval, b.maxDrift, b.kafkaMaxBlock);
        this.buffer = new RecordBuffer(b.bufferBytesPerStream);
        this.publisher = new Publisher(b.kafka, b.videoTopic, b.audioTopic, b.statusTopic, buffer, b.kafkaMaxBlock);
        Consumer<IngestStatus> listener = b.listener;
        Consumer<IngestStatus> reports = s -> {
            publisher.status(s);
            if (listener != null) {
                listener.accept(s);
            }
        };
        for (SourceSpec s : b.sources) {
            runners.add(new SourceRunner(s, settings, buffer, reports, stop));
        }
        this.ended = new CountDownLatch(runners.size());
    }

    public static Builder builder(KafkaClientConfig kafka) {
        return new Builder(kafka);
    }

    public Settings settings() {
        return settings;
    }

    /** Starts reading every source. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        publisher.start();
        for (SourceRunner r : runners) {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } finally {
                    ended.countDown();
                }
            }, "argus-ingest-" + r.source().streamId());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Waits until every source has stopped: after {@link #stop()}, or when each gave up its attempts. */
    public void awaitStop() throws InterruptedException {
        ended.await();
    }

    /** Waits up to {@code timeout} for every source to stop; true when they did. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops reading: every source ends its read in progress and reports {@code stopped}. */
    public void stop() {
        stop.countDown();
        runners.forEach(SourceRunner::abort);
    }

    /** Records of a stream dropped while Kafka could not take them. */
    public long dropped(String streamId) {
        return buffer.dropped(streamId);
    }

    /** Stops, waits for the sources, and sends what is buffered (up to 10 s) before closing the producer. */
    @Override
    public void close() throws InterruptedException {
        stop();
        for (Thread t : threads) {
            t.join(settings.readTimeout().toMillis() + 10_000);
        }
        publisher.close();
    }

    /** Builds an {@link Ingest}; {@link #build()} checks the settings and names the one that is wrong. */
    public static final class Builder {

        private final KafkaClientConfig kafka;
        private final List<SourceSpec> sources = new ArrayList<>();
        private String videoTopic = "argus.video";
        private String audioTopic = "argus.audio";
        private String statusTopic = "argus.status";
        private Duration segment = Duration.ofSeconds(1);
        private Duration audioChunk = Duration.ofSeconds(1);
        private MediaCodec reencodeAs = MediaCodec.H264;
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration reconnectInitial = Duration.ofMillis(500);
        private Duration reconnectMax = Duration.ofSeconds(30);
        private int maxAttempts;
        private long bufferBytesPerStream = 32L << 20;
        private Duration statusInterval = Duration.ofSeconds(10);
        private Duration maxDrift = Duration.ofSeconds(5);
        private Duration kafkaMaxBlock = Duration.ofSeconds(1);
        private Consumer<IngestStatus> listener;

        private Builder(KafkaClientConfig kafka) {
            this.kafka = Objects.requireNonNull(kafka, "kafka");
        }

        public Builder source(SourceSpec source) {
            sources.add(source);
            return this;
        }

        public Builder sources(List<SourceSpec> all) {
            sources.addAll(all);
            return this;
        }

        public Builder topics(String video, String audio, String status) {
            this.videoTopic = video;
            this.audioTopic = audio;
            this.statusTopic = status;
            return this;
        }

        /** Shortest media time of a video segment (it ends on the next keyframe after); default 1 s. */
        public Builder segment(Duration d) {
            this.segment = d;
            return this;
        }

        /** Media time of an audio chunk; default 1 s. */
        public Builder audioChunk(Duration d) {
            this.audioChunk = d;
            return this;
        }

        /** Codec video is re-encoded with when the wire format cannot carry the source's: h264 (default), mpeg4, mjpeg. */
        public Builder reencodeAs(MediaCodec codec) {
            this.reencodeAs = codec;
            return this;
        }

        /** A source that sends nothing this long is stalled: dropped and retried; default 10 s. */
        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        /** First and longest wait between attempts; default 500 ms and 30 s. */
        public Builder reconnect(Duration initial, Duration max) {
            this.reconnectInitial = initial;
            this.reconnectMax = max;
            return this;
        }

        /** Failed attempts in a row after which a source is given up; 0 (default): never. */
        public Builder maxAttempts(int n) {
            this.maxAttempts = n;
            return this;
        }

        /** Bytes of records each stream may hold while Kafka is away; default 32 MiB. */
        public Builder bufferBytesPerStream(long bytes) {
            this.bufferBytesPerStream = bytes;
            return this;
        }

        /** How often a connected source reports its counts; default 10 s. */
        public Builder statusInterval(Duration d) {
            this.statusInterval = d;
            return this;
        }

        /** How far capture times may drift from the wall clock before the source's clock is set again; default 5 s. */
        public Builder maxDrift(Duration d) {
            this.maxDrift = d;
            return this;
        }

        /** How long one send may wait for Kafka before the record is put back; default 1 s. */
        public Builder kafkaMaxBlock(Duration d) {
            this.kafkaMaxBlock = d;
            return this;
        }

        /** Also told every status record (for a command's output, say). */
        public Builder listener(Consumer<IngestStatus> l) {
            this.listener = l;
            return this;
        }

        public Ingest build() {
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("no source: give at least one --source and its --stream");
            }
            Set<String> ids = new HashSet<>();
            for (SourceSpec s : sources) {
                if (!ids.add(s.streamId())) {
                    throw new IllegalArgumentException("stream " + s.streamId() + " is given more than one source");
                }
            }
            positive(readTimeout, "read-timeout");
            positive(reconnectInitial, "reconnect-initial");
            positive(statusInterval, "status-interval");
            positive(maxDrift, "max-drift");
            positive(kafkaMaxBlock, "kafka-max-block");
            if (reconnectMax == null || reconnectMax.compareTo(reconnectInitial) < 0) {
                throw new IllegalArgumentException("reconnect-max (" + ms(reconnectMax)
                        + ") must be at least reconnect-initial (" + ms(reconnectInitial) + ")");
            }
            if (maxAttempts < 0) {
                throw new IllegalArgumentException("max-attempts must be 0 (forever) or more: " + maxAttempts);
            }
            if (bufferBytesPerStream < 1 << 20) {
                throw new IllegalArgumentException("buffer per stream must be at least 1 MiB: " + bufferBytesPerStream);
            }
            if (topicMissing(videoTopic) || topicMissing(audioTopic) || topicMissing(statusTopic)) {
                throw new IllegalArgumentException("video, audio and status topics are required");
            }
            return new Ingest(this);
        }

        private static boolean topicMissing(String t) {
            return t == null || t.isBlank();
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + ms(d));
            }
        }

        private static String ms(Duration d) {
            return d == null ? "unset" : d.toMillis() + " ms";
        }
    }
}
