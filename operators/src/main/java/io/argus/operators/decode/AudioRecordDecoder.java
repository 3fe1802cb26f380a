package io.argus.operators.decode;

import io.argus.connectors.deadletter.DeadLetterReason;
import io.argus.connectors.media.FFmpegLogging;
import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes one audio record to mono float samples at one target rate, whatever the record's rate
 * and channel count, so that everything downstream (spectrograms, models) sees a single rate.
 * Raw PCM is downmixed here and resampled with TarsosDSP; encoded segments (AAC, Opus, MP3, FLAC,
 * ...) are decoded, downmixed and resampled by JavaCV/FFmpeg. A chunk keeps the record's capture
 * time.
 *
 * <p>{@link DecodeLimits#maxSamplesPerRecord()} bounds what a record makes the decoder hold: for
 * PCM both the payload's samples (all channels, before resampling) and the resampled output, for
 * encoded segments the mono samples FFmpeg delivers at the target rate.
 */
public final class AudioRecordDecoder {

    private final DecodeLimits limits;
    private final int targetRate;
    private final PcmResampler resampler;

    /** A decoder to mono at {@code targetRate} Hz (1000..384000). */
    public AudioRecordDecoder(DecodeLimits limits, int targetRate) {
        this.resampler = new PcmResampler(targetRate);
        FFmpegLogging.apply();
        this.limits = limits;
        this.targetRate = targetRate;
    }

    public AudioChunk decode(MediaRecord record) throws DecodeException {
        float[] samples = record.codec.isPcm()
                ? resampler.resample(pcm(record), record.sampleRate, limits.maxSamplesPerRecord())
                : encoded(record);
        if (samples.length == 0) {
            throw new DecodeException(DeadLetterReason.NO_MEDIA_DECODED,
                    "no samples decoded from " + record.codec.wireName() + " record");
        }
        return new AudioChunk(record.streamId, record.captureTimeMs, targetRate, samples, System.currentTimeMillis());
    }

    private float[] pcm(MediaRecord r) throws DecodeException {
        int bytesPerSample = r.codec == MediaCodec.PCM_S16LE ? 2 : 4;
        int frames = r.payload.length / (bytesPerSample * r.channels);
        checkLimit(frames * (long) r.channels);
        ByteBuffer bytes = ByteBuffer.wrap(r.payload).order(ByteOrder.LITTLE_ENDIAN);
        float[] mono = new float[frames];
        if (r.codec == MediaCodec.PCM_S16LE) {
            ShortBuffer s = bytes.asShortBuffer();
            for (int i = 0, k = 0; i < frames; i++) {
                int sum = 0;
                for (int c = 0; c < r.channels; c++) {
                    sum += s.get(k++);
                }
                mono[i] = sum / (32768f * r.channels);
            }
        } else {
            FloatBuffer f = bytes.asFloatBuffer();
            for (int i = 0, k = 0; i < frames; i++) {
                float sum = 0;
                for (int c = 0; c < r.channels; c++) {
                    sum += f.get(k++);
                }
                mono[i] = sum / r.channels;
            }
        }
        return mono;
    }

    private float[] encoded(MediaRecord r) throws DecodeException {
        String what = r.codec.wireName() + "/" + r.container + " segment";
        FloatAccumulator acc = new FloatAccumulator(targetRate);
        ByteArrayInputStream input = new ByteArrayInputStream(r.payload);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(input)) {
            grabber.setFormat(demuxer(r.container));
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            grabber.setAudioChannels(1);
            grabber.setSampleRate(targetRate);
            grabber.start();
            if (!grabber.hasAudio()) {
                throw new DecodeException(DeadLetterReason.NO_MEDIA_STREAM, "no audio stream in " + what);
            }
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                FloatBuffer fb = (FloatBuffer) frame.samples[0];
                checkLimit(acc.size() + (long) fb.remaining());
                acc.add(fb);
            }
            grabber.stop();
        } catch (FrameGrabber.Exception e) {
            throw DecodeException.undecodable(what, e, input);
        }
        return acc.toArray();
    }

    /**
     * The FFmpeg demuxer for a wire container name. The wire format names AAC's container
     * {@code adts}, FFmpeg's muxer name, but FFmpeg reads ADTS with its {@code aac} demuxer.
     */
    private static String demuxer(String container) {
        return "adts".equals(container) ? "aac" : container;
    }

    private void checkLimit(long samples) throws DecodeException {
        if (samples > limits.maxSamplesPerRecord()) {
            throw new DecodeException(DeadLetterReason.OVER_LIMIT,
                    "record decodes to more than " + limits.maxSamplesPerRecord() + " samples");
        }
    }

    /** A growable float array fed from FFmpeg's buffers without per-sample copies. */
    private static final class FloatAccumulator {
        private float[] data;
        private int size;

        FloatAccumulator(int initial) {
            data = new float[Math.max(1024, initial)];
        }

        void add(FloatBuffer fb) {
            int n = fb.remaining();
            if (size + n > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(size + n, data.length * 2));
            }
            fb.duplicate().get(data, size, n);
            size += n;
        }

        int size() {
            return size;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
