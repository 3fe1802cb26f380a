package io.argus.operators.decode;

import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import org.apache.flink.util.Collector;

/** Decodes audio records into mono float chunks. */
public final class AudioDecodeFunction extends DecodeFunction<AudioChunk> {

    private static final long serialVersionUID = 1L;

    private final DecodeLimits limits;
    private transient AudioRecordDecoder decoder;

    public AudioDecodeFunction(DecodeLimits limits) {
        super(MediaKind.AUDIO);
        this.limits = limits;
    }

    @Override
    protected void openDecoder() {
        decoder = new AudioRecordDecoder(limits);
    }

    @Override
    protected void decode(MediaRecord record, Collector<AudioChunk> out) throws DecodeException {
        out.collect(decoder.decode(record));
    }
}
