package io.argus.operators.decode;

import io.argus.connectors.deadletter.DeadLetter;
import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.kafka.IngestedRecord;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns ingested records of one media kind into decoded media. Whatever cannot be used (a record
 * refused at ingest, one of the wrong kind, one that fails to decode) goes to the
 * {@link #DEAD_LETTERS} side output with its reason; the function itself never fails on input.
 */
public abstract class DecodeFunction<O> extends ProcessFunction<IngestedRecord, O> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final MediaKind kind;
    private transient Counter decoded;
    private transient Counter refused;

    protected DecodeFunction(MediaKind kind) {
        this.kind = kind;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        decoded = getRuntimeContext().getMetricGroup().counter("recordsDecoded");
        refused = getRuntimeContext().getMetricGroup().counter("recordsRefused");
        openDecoder();
    }

    /** Creates the decoder; called on the task manager. */
    protected abstract void openDecoder();

    /** Decodes one valid record of this function's kind. */
    protected abstract void decode(MediaRecord record, Collector<O> out) throws DecodeException;

    @Override
    public void processElement(IngestedRecord in, Context ctx, Collector<O> out) {
        if (!in.isValid()) {
            refuse(ctx, in.deadLetter);
            return;
        }
        if (in.record.kind != kind) {
            refuse(ctx, in.refuse(DeadLetterReason.WRONG_TOPIC,
                    in.record.kind.wireName() + " record on the " + kind.wireName() + " topic " + in.topic));
            return;
        }
        try {
            decode(in.record, out);
            decoded.inc();
        } catch (DecodeException e) {
            refuse(ctx, in.refuse(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            // native decoders can surface corrupt input as unchecked errors: still the record's fault
            refuse(ctx, in.refuse(DeadLetterReason.DECODER_FAILURE, "decoder failed: " + e));
        }
    }

    private void refuse(Context ctx, DeadLetter deadLetter) {
        refused.inc();
        ctx.output(DEAD_LETTERS, deadLetter);
    }
}
