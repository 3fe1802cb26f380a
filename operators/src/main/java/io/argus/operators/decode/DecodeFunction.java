package io.argus.operators.decode;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.kafka.IngestedRecord;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.operators.metrics.PerStreamMetrics;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns ingested records of one media kind into decoded media. Whatever cannot be used (a record
 * refused at ingest, one of the wrong kind, one that fails to decode) goes to the
 * {@link #DEAD_LETTERS} side output with its reason; the function itself never fails on input.
 *
 * <p>Metrics: {@code recordsDecoded} and {@code recordsRefused} in all, and per stream
 * ({@link PerStreamMetrics}) the same two counters plus the media passed on: {@code framesIn}
 * (video frames, after any sampling) or {@code audioSecondsIn} (seconds of decoded audio),
 * removed once the stream has sent nothing for {@link #streamMetricsIdle}.
 */
public abstract class DecodeFunction<O> extends ProcessFunction<IngestedRecord, O> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final MediaKind kind;
    private transient Counter decoded;
    private transient Counter refused;
    private Duration streamMetricsIdle = Duration.ofMinutes(5);
    private transient PerStreamMetrics<StreamCounts> streams;
    private transient CountingCollector counting;

    protected DecodeFunction(MediaKind kind) {
        this.kind = kind;
    }

    /**
     * How long a stream may send nothing before its per-stream metrics are removed (the job's
     * {@code --idle-release}; 5 minutes unless set).
     */
    public DecodeFunction<O> streamMetricsIdle(Duration idle) {
        this.streamMetricsIdle = idle;
        return this;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        decoded = getRuntimeContext().getMetricGroup().counter("recordsDecoded");
        refused = getRuntimeContext().getMetricGroup().counter("recordsRefused");
        String media = kind == MediaKind.VIDEO ? "framesIn" : "audioSecondsIn";
        streams = new PerStreamMetrics<>(getRuntimeContext().getMetricGroup(), streamMetricsIdle,
                g -> new StreamCounts(g, media));
        counting = new CountingCollector();
        openDecoder();
    }

    /** Creates the decoder; called on the task manager. */
    protected abstract void openDecoder();

    /** How much media one decoded element holds, in the unit of this kind's media metric (1 frame by default). */
    protected double mediaAmount(O decoded) {
        return 1;
    }

    /** Decodes one valid record of this function's kind. */
    protected abstract void decode(MediaRecord record, Collector<O> out) throws DecodeException;

    @Override
    public void processElement(IngestedRecord in, Context ctx, Collector<O> out) {
        if (!in.isValid()) {
            refuse(ctx, in.deadLetter);
            return;
        }
        StreamCounts stream = streams.of(in.record.streamId, ctx.timerService().currentProcessingTime());
        if (in.record.kind != kind) {
            refuse(ctx, in.refuse(DeadLetterReason.WRONG_TOPIC,
                    in.record.kind.wireName() + " record on the " + kind.wireName() + " topic " + in.topic), stream);
            return;
        }
        try {
            decode(in.record, counting.to(out, stream));
            decoded.inc();
            stream.decoded.inc();
        } catch (DecodeException e) {
            refuse(ctx, in.refuse(e.code(), e.getMessage()), stream);
        } catch (RuntimeException e) {
            // native decoders can surface corrupt input as unchecked errors: still the record's fault
            refuse(ctx, in.refuse(DeadLetterReason.DECODER_FAILURE, "decoder failed: " + e), stream);
        }
    }

    private void refuse(Context ctx, DeadLetter deadLetter) {
        refused.inc();
        ctx.output(DEAD_LETTERS, deadLetter);
    }

    private void refuse(Context ctx, DeadLetter deadLetter, StreamCounts stream) {
        stream.refused.inc();
        refuse(ctx, deadLetter);
    }

    /** Passes decoded media on and adds it to the stream's count; one per function, pointed at each record's. */
    private final class CountingCollector implements Collector<O> {
        private Collector<O> out;
        private StreamCounts stream;

        CountingCollector to(Collector<O> out, StreamCounts stream) {
            this.out = out;
            this.stream = stream;
            return this;
        }

        @Override
        public void collect(O media) {
            stream.media += mediaAmount(media);
            out.collect(media);
        }

        @Override
        public void close() {
            out.close();
        }
    }

    /** One stream's counts; {@code media} is written on the task thread only. */
    private static final class StreamCounts {
        final Counter decoded;
        final Counter refused;
        volatile double media;

        StreamCounts(MetricGroup group, String mediaMetric) {
            decoded = group.counter("recordsDecoded");
            refused = group.counter("recordsRefused");
            group.gauge(mediaMetric, (Gauge<Double>) () -> media);
        }
    }
}
