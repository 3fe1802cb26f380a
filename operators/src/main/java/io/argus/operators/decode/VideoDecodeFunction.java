package io.argus.operators.decode;

import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import org.apache.flink.util.Collector;

/** Decodes video records into frames of the job's size and pixel layout. */
public final class VideoDecodeFunction extends DecodeFunction<VideoFrame> {

    private static final long serialVersionUID = 1L;

    private final int width;
    private final int height;
    private final int channels;
    private final DecodeLimits limits;
    private transient VideoSegmentDecoder decoder;

    public VideoDecodeFunction(int width, int height, int channels, DecodeLimits limits) {
        super(MediaKind.VIDEO);
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.limits = limits;
    }

    @Override
    protected void openDecoder() {
        decoder = new VideoSegmentDecoder(width, height, channels, limits);
    }

    @Override
    protected void decode(MediaRecord record, Collector<VideoFrame> out) throws DecodeException {
        for (VideoFrame frame : decoder.decode(record)) {
            out.collect(frame);
        }
    }
}
