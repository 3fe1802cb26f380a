package io.argus.operators.decode;

import io.argus.connectors.media.MediaRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one self-contained video record (a segment or a single JPEG) into frames scaled by
 * FFmpeg to the requested size and pixel layout: stretched to fill it, or, when letterboxing, scaled
 * to fit it with the picture's shape kept and the rest (right or bottom) black, as a pose model
 * needs people in their true proportions. Every call opens and closes its own decoder, so no native
 * memory outlives it: for tools that decode a file now and then. The job keeps a decoder per stream
 * instead ({@link VideoDecoders}).
 */
public final class VideoSegmentDecoder {

    private final int width;
    private final int height;
    private final int channels;
    private final boolean letterbox;
    private final DecodeLimits limits;

    /**
     * @param channels 1 for grey, 3 for RGB
     */
    public VideoSegmentDecoder(int width, int height, int channels, DecodeLimits limits) {
        this(width, height, channels, false, limits);
    }

    /**
     * @param channels 1 for grey, 3 for RGB
     * @param letterbox keep the picture's shape (fit inside, pad right or bottom) rather than stretch it
     */
    public VideoSegmentDecoder(int width, int height, int channels, boolean letterbox, DecodeLimits limits) {
        new FrameScaler(width, height, channels, letterbox).close(); // checks the size and channels now
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.letterbox = letterbox;
        this.limits = limits;
    }

    public List<VideoFrame> decode(MediaRecord record) throws DecodeException {
        List<VideoFrame> frames = new ArrayList<>();
        try (VideoDecoders decoder = VideoDecoders.builder(width, height, channels).letterbox(letterbox)
                .limits(limits).maxStreams(0).build()) {
            decoder.decode(record, frames::add);
        }
        return frames;
    }
}
