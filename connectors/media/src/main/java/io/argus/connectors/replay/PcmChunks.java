package io.argus.connectors.replay;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.function.Consumer;

/**
 * Collects interleaved 16-bit samples into PCM records of {@code audioChunkMillis}: how
 * {@code argus replay} and {@code argus ingest} send sound. Capture time of a chunk =
 * {@code baseTimeMs} + the media time of its first sample.
 */
public final class PcmChunks {

    private final String streamId;
    private final long baseTimeMs;
    private final Consumer<MediaRecord> out;
    private final int sampleRate;
    private final int channels;
    private final short[] chunk;
    private final long firstSequence;
    private int filled;
    private long chunkStartUs = -1;
    private long sequence;

    /** @param out receives each chunk as it fills, numbered from {@code firstSequence} */
    public PcmChunks(SegmentOptions options, String streamId, long baseTimeMs, long firstSequence, int sampleRate,
            int channels, Consumer<MediaRecord> out) {
        this.streamId = streamId;
        this.baseTimeMs = baseTimeMs;
        this.firstSequence = firstSequence;
        this.sequence = firstSequence;
        this.out = out;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.chunk = new short[(int) (sampleRate * options.audioChunkMillis() / 1000) * channels];
    }

    /** Adds interleaved samples whose first lies at {@code mediaUs} (microseconds after {@code baseTimeMs}). */
    public void add(ShortBuffer interleaved, long mediaUs) {
        ShortBuffer samples = interleaved.duplicate();
        long consumed = 0;
        while (samples.hasRemaining()) {
            if (chunkStartUs < 0) {
                chunkStartUs = mediaUs + consumed * 1_000_000L / ((long) sampleRate * channels);
            }
            int n = Math.min(samples.remaining(), chunk.length - filled);
            samples.get(chunk, filled, n);
            filled += n;
            consumed += n;
            if (filled == chunk.length) {
                emit();
            }
        }
    }

    /** Sends the partly filled chunk, if any; returns how many chunks were written. */
    public int finish() {
        if (filled > 0) {
            emit();
        }
        return (int) (sequence - firstSequence);
    }

    /** The sequence number the next chunk gets. */
    public long nextSequence() {
        return sequence;
    }

    private void emit() {
        ByteBuffer pcm = ByteBuffer.allocate(filled * 2).order(ByteOrder.LITTLE_ENDIAN);
        pcm.asShortBuffer().put(chunk, 0, filled);
        long durationMs = Math.round((double) filled / channels * 1000.0 / sampleRate);
        out.accept(MediaRecord.audio(streamId, MediaCodec.PCM_S16LE, MediaRecordFormat.RAW,
                baseTimeMs + chunkStartUs / 1000, durationMs, sequence++, sampleRate, channels, pcm.array()));
        filled = 0;
        chunkStartUs = -1;
    }
}
