package io.argus.tests;

import io.argus.connectors.media.FFmpegLogging;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * The held-out audio clips shipped with the tests ({@code audio/heldout/<label>.opus}: one-second
 * clips back to back, from Debian packages the audio model never trained on; see
 * docs/audio-data.md), decoded by FFmpeg.
 */
final class HeldOutAudio {

    static final int RATE = 16_000;

    static {
        FFmpegLogging.apply();
    }

    private HeldOutAudio() {}

    /** All clips of a label, 16 kHz mono, back to back. */
    static float[] of(String label) throws IOException {
        Path file = Path.of("src/test/resources/audio/heldout/" + label + ".opus");
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setSampleRate(RATE);
            g.setAudioChannels(1);
            g.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            g.start();
            float[] out = new float[RATE * 8];
            int size = 0;
            Frame f;
            while ((f = g.grabSamples()) != null) {
                FloatBuffer b = (FloatBuffer) f.samples[0];
                int n = b.remaining();
                if (size + n > out.length) {
                    out = Arrays.copyOf(out, Math.max(size + n, out.length * 2));
                }
                b.get(out, size, n);
                size += n;
            }
            return Arrays.copyOf(out, size);
        }
    }

    /** Clip {@code index} (one second) of a label's file. */
    static float[] clip(float[] all, int index) {
        return Arrays.copyOfRange(all, index * RATE, (index + 1) * RATE);
    }

    /** Writes 16 kHz mono samples as a FLAC file at 44.1 kHz stereo (FFmpeg resamples and upmixes). */
    static void writeFlac(Path file, float[] samples) throws IOException {
        write(file, "flac", avcodec.AV_CODEC_ID_FLAC, 44_100, 2, samples);
    }

    /**
     * Writes 16 kHz mono samples in the format the file's name ends with: {@code .wav} (16-bit PCM,
     * 16 kHz mono), {@code .flac} (44.1 kHz stereo), {@code .opus} (Opus in Ogg, 48 kHz stereo) or
     * {@code .mp3} (44.1 kHz stereo); FFmpeg resamples and upmixes.
     */
    static void write(Path file, float[] samples) throws IOException {
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        switch (ext) {
            case "wav" -> write(file, "wav", avcodec.AV_CODEC_ID_PCM_S16LE, RATE, 1, samples);
            case "flac" -> writeFlac(file, samples);
            case "opus" -> write(file, "ogg", avcodec.AV_CODEC_ID_OPUS, 48_000, 2, samples);
            case "mp3" -> write(file, "mp3", avcodec.AV_CODEC_ID_MP3, 44_100, 2, samples);
            default -> throw new IllegalArgumentException("no writer for " + file);
        }
    }

    private static void write(Path file, String format, int codec, int rate, int channels, float[] samples)
            throws IOException {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), channels)) {
            r.setFormat(format);
            r.setAudioCodec(codec);
            r.setSampleRate(rate);
            r.setAudioChannels(channels);
            r.start();
            short[] s16 = new short[samples.length];
            for (int i = 0; i < samples.length; i++) {
                s16[i] = (short) Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767);
            }
            r.recordSamples(RATE, 1, ShortBuffer.wrap(s16));
            r.stop();
        }
    }
}
