package io.argus.jobs.cli;

import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.models.features.LogMelSpectrogram;
import io.argus.models.input.Spectrogram;
import io.argus.models.input.SpectrogramSpec;
import io.argus.operators.decode.AudioRecordDecoder;
import io.argus.operators.decode.DecodeException;
import io.argus.operators.decode.DecodeLimits;
import io.argus.operators.features.SpectrogramWindowFunction;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A recorded file's sound cut into the spectrogram windows the job would give an audio model: the
 * file is cut into PCM records as {@code argus replay} sends them ({@link SegmentCutter}, FFmpeg
 * decoding any format it reads), each record is downmixed and resampled to the spec's rate by the
 * job's {@link AudioRecordDecoder}, and log-mel windows of the spec's length start every hop (in
 * whole STFT hops, as {@link SpectrogramWindowFunction} rounds them), each computed as that
 * operator computes it. A file shorter than one window gives none.
 */
public final class AudioClipWindows {

    private final SpectrogramSpec spec;
    private final int hopFrames;
    private final AudioRecordDecoder decoder;
    private final LogMelSpectrogram logMel;

    public AudioClipWindows(SpectrogramSpec spec, Duration hop) {
        this.spec = spec;
        this.hopFrames = SpectrogramWindowFunction.hopFrames(spec, hop.toMillis());
        this.decoder = new AudioRecordDecoder(DecodeLimits.DEFAULT, spec.sampleRate());
        this.logMel = new LogMelSpectrogram(spec);
    }

    /** The windows of a file's sound, named after the file; fails naming the file if it has none to decode. */
    public List<Spectrogram> of(Path file) throws IOException {
        List<MediaRecord> records = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(file, file.getFileName().toString(), 0, null, records::add);
        if (records.isEmpty()) {
            throw new IOException("no sound in " + file);
        }
        try {
            return windows(file.getFileName().toString(), 0, decode(records));
        } catch (DecodeException e) {
            throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
        }
    }

    /** The records' samples back to back, mono at the spec's rate. */
    float[] decode(List<MediaRecord> records) throws DecodeException {
        List<float[]> chunks = new ArrayList<>(records.size());
        int total = 0;
        for (MediaRecord r : records) {
            float[] chunk = decoder.decode(r).samples;
            chunks.add(chunk);
            total += chunk.length;
        }
        float[] samples = new float[total];
        int at = 0;
        for (float[] chunk : chunks) {
            System.arraycopy(chunk, 0, samples, at, chunk.length);
            at += chunk.length;
        }
        return samples;
    }

    /** Every whole window of contiguous samples that start at {@code startMs}. */
    List<Spectrogram> windows(String streamId, long startMs, float[] samples) {
        float[] frames = logMel.compute(samples, 0, samples.length);
        int total = frames.length / spec.mels();
        List<Spectrogram> out = new ArrayList<>();
        for (int f = 0; f + spec.frames() <= total; f += hopFrames) {
            long start = startMs + Math.round((double) f * spec.hop() * 1000 / spec.sampleRate());
            out.add(new Spectrogram(streamId, start, start + spec.windowMs(), spec.frames(), spec.mels(),
                    Arrays.copyOfRange(frames, f * spec.mels(), (f + spec.frames()) * spec.mels()), 0));
        }
        return out;
    }
}
