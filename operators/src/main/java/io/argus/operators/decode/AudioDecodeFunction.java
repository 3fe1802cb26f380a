package io.argus.operators.decode;

import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import org.apache.flink.util.Collector;

/** Decodes audio records into mono float chunks at one target sample rate. */
public final class AudioDecodeFunction extends DecodeFunction<AudioChunk> {

    private static final long serialVersionUID = 1L;

    private final DecodeLimits limits;
    private final int targetRate;
    private transient AudioRecordDecoder decoder;

    /** Decodes to mono at {@code targetRate} Hz (1000..384000), the rate the audio models expect. */
    public AudioDecodeFunction(DecodeLimits limits, int targetRate) {
        super(MediaKind.AUDIO);
        this.limits = limits;
        this.targetRate = PcmResampler.requireRate(targetRate);
    }

    @Override
    protected void openDecoder() {
        decoder = new AudioRecordDecoder(limits, targetRate);
    }

    @Override
    protected double mediaAmount(AudioChunk chunk) {
        return (double) chunk.samples.length / chunk.sampleRate;
    }

    @Override
    protected void decode(MediaRecord record, Collector<AudioChunk> out) throws DecodeException {
        out.collect(decoder.decode(record));
    }
}
