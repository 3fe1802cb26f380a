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
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 2)) {
            r.setFormat("flac");
            r.setAudioCodec(avcodec.AV_CODEC_ID_FLAC);
            r.setSampleRate(44_100);
            r.setAudioChannels(2);
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
