package io.argus.operators.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.models.signal.LoudnessClassifier;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Arrays;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioRecordDecoderTest {

    private final AudioRecordDecoder decoder = new AudioRecordDecoder(DecodeLimits.DEFAULT, 16_000);

    private static short[] sine(int rate, double seconds, double amplitude) {
        return sine(rate, seconds, amplitude, 1);
    }

    /** A 440 Hz sine, the same on every channel (interleaved). */
    private static short[] sine(int rate, double seconds, double amplitude, int channels) {
        short[] s = new short[(int) (rate * seconds) * channels];
        for (int i = 0; i < s.length; i++) {
            int t = i / channels;
            s[i] = (short) Math.round(amplitude * Short.MAX_VALUE * Math.sin(2 * Math.PI * 440 * t / rate));
        }
        return s;
    }

    private static byte[] s16le(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(samples);
        return b.array();
    }

    /** Frequency of a tone from its zero crossings, skipping the resampler's edges. */
    private static double frequency(float[] samples, int rate) {
        int from = rate / 20;
        int to = samples.length - rate / 20;
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if ((samples[i - 1] < 0) != (samples[i] < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 / ((to - from) / (double) rate);
    }

    private static byte[] encode(String format, int codec, int rate, int channels, short[] interleaved)
            throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(bytes, channels)) {
            rec.setFormat(format);
            rec.setAudioCodec(codec);
            rec.setSampleRate(rate);
            rec.start();
            rec.recordSamples(rate, channels, ShortBuffer.wrap(interleaved));
            rec.stop();
        }
        return bytes.toByteArray();
    }

    @Test
    void stereoS16IsDownmixedToMono() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 16384).putShort((short) 0).putShort((short) -32768).putShort((short) -32768);
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.PCM_S16LE, MediaRecordFormat.RAW, 5000, 0, 0, 8000, 2,
                b.array());
        AudioChunk c = new AudioRecordDecoder(DecodeLimits.DEFAULT, 8000).decode(r);
        assertThat(c.samples).containsExactly(0.25f, -1.0f);
        assertThat(c.sampleRate).isEqualTo(8000);
        assertThat(c.startMs).isEqualTo(5000);
    }

    @Test
    void f32IsReadAsIs() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(0.5f).putFloat(-0.25f).putFloat(1f);
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.PCM_F32LE, MediaRecordFormat.RAW, 1, 0, 0, 48000, 1,
                b.array());
        assertThat(new AudioRecordDecoder(DecodeLimits.DEFAULT, 48_000).decode(r).samples)
                .containsExactly(0.5f, -0.25f, 1f);
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 44_100})
    void stereoPcmIsResampledToTheTargetRate(int rate) throws Exception {
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.PCM_S16LE, MediaRecordFormat.RAW, 7000, 2000, 0, rate, 2,
                s16le(sine(rate, 2.0, 0.5, 2)));
        AudioChunk c = decoder.decode(r);
        assertThat(c.sampleRate).isEqualTo(16_000);
        assertThat(c.startMs).isEqualTo(7000);
        assertThat(c.samples.length).isCloseTo(32_000, within(2));
        assertThat(frequency(c.samples, 16_000)).isCloseTo(440, within(2.0));
        assertThat(LoudnessClassifier.rmsDbfs(Arrays.copyOfRange(c.samples, 800, 31_200))).isCloseTo(-9.03, within(0.2));
    }

    @Test
    void f32AtTheTargetRateIsNotResampled() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(0.5f).putFloat(-0.25f).putFloat(1f);
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.PCM_F32LE, MediaRecordFormat.RAW, 1, 0, 0, 16_000, 1,
                b.array());
        assertThat(decoder.decode(r).samples).containsExactly(0.5f, -0.25f, 1f);
    }

    @Test
    void encodedSegmentIsResampledByFFmpeg() throws Exception {
        byte[] flac = encode("flac", avcodec.AV_CODEC_ID_FLAC, 44_100, 1, sine(44_100, 1.0, 0.5));
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.FLAC, "flac", 3000, 1000, 0, 44_100, 1, flac);
        AudioChunk c = decoder.decode(r);
        assertThat(c.sampleRate).isEqualTo(16_000);
        assertThat(c.startMs).isEqualTo(3000);
        assertThat(c.samples.length).isCloseTo(16_000, within(64));
        assertThat(frequency(c.samples, 16_000)).isCloseTo(440, within(2.0));
        assertThat(LoudnessClassifier.rmsDbfs(Arrays.copyOfRange(c.samples, 800, 15_000))).isCloseTo(-9.03, within(0.2));
    }

    @Test
    void aacInAdtsAt48kIsResampledByFFmpeg() throws Exception {
        byte[] aac = encode("adts", avcodec.AV_CODEC_ID_AAC, 48_000, 1, sine(48_000, 1.0, 0.5));
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.AAC, "adts", 3000, 1000, 0, 48_000, 1, aac);
        AudioChunk c = decoder.decode(r);
        assertThat(c.sampleRate).isEqualTo(16_000);
        // AAC adds encoder priming and pads the last frame: about 1 s, give or take a few frames
        assertThat(c.samples.length).isBetween(15_000, 17_500);
        assertThat(frequency(c.samples, 16_000)).isCloseTo(440, within(3.0));
        assertThat(LoudnessClassifier.rmsDbfs(Arrays.copyOfRange(c.samples, 2000, 14_000))).isCloseTo(-9.03, within(0.5));
    }

    /** MP3 (LAME) at 44.1 kHz stereo and Opus in Ogg at 48 kHz: the lossy codecs cameras and phones send. */
    @ParameterizedTest
    @ValueSource(strings = {"mp3", "opus"})
    void lossyStereoSegmentIsDownmixedAndResampledByFFmpeg(String name) throws Exception {
        boolean mp3 = name.equals("mp3");
        int rate = mp3 ? 44_100 : 48_000;
        byte[] encoded = encode(mp3 ? "mp3" : "ogg", mp3 ? avcodec.AV_CODEC_ID_MP3 : avcodec.AV_CODEC_ID_OPUS, rate, 2,
                sine(rate, 1.0, 0.5, 2));
        MediaRecord r = MediaRecord.audio("mic", mp3 ? MediaCodec.MP3 : MediaCodec.OPUS, mp3 ? "mp3" : "ogg", 9000,
                1000, 0, rate, 2, encoded);
        AudioChunk c = decoder.decode(r);
        assertThat(c.sampleRate).isEqualTo(16_000);
        assertThat(c.startMs).isEqualTo(9000);
        // both codecs add encoder delay and pad their last frame
        assertThat(c.samples.length).isBetween(15_000, 17_500);
        assertThat(frequency(c.samples, 16_000)).isCloseTo(440, within(3.0));
        // FFmpeg downmixes stereo as 0.707 (L + R): the -9.03 dBFS sine on both channels arrives 3 dB louder
        // (docs/development.md)
        assertThat(LoudnessClassifier.rmsDbfs(Arrays.copyOfRange(c.samples, 2000, 14_000))).isCloseTo(-6.02, within(0.6));
    }

    @Test
    void targetRateIsValidated() {
        assertThatThrownBy(() -> new AudioRecordDecoder(DecodeLimits.DEFAULT, 0))
                .hasMessageContaining("audio target sample rate");
        assertThatThrownBy(() -> new AudioDecodeFunction(DecodeLimits.DEFAULT, -16_000))
                .hasMessageContaining("audio target sample rate");
    }

    @Test
    void flacSegmentDecodesThroughFFmpegToTheSameLevel() throws Exception {
        short[] pcm = sine(16000, 1.0, 0.5);
        ByteArrayOutputStream flac = new ByteArrayOutputStream();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(flac, 1)) {
            rec.setFormat("flac");
            rec.setAudioCodec(avcodec.AV_CODEC_ID_FLAC);
            rec.setSampleRate(16000);
            rec.start();
            rec.recordSamples(16000, 1, ShortBuffer.wrap(pcm));
            rec.stop();
        }
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.FLAC, "flac", 1, 1000, 0, 16000, 1, flac.toByteArray());
        AudioChunk c = decoder.decode(r);
        assertThat(c.samples.length).isBetween(15000, 16384);
        // a 0.5 sine is -9.03 dBFS; FLAC is lossless
        assertThat(LoudnessClassifier.rmsDbfs(c.samples)).isCloseTo(-9.03, within(0.2));
    }

    @Test
    void undecodableSegmentIsAnError() {
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.AAC, "adts", 1, 0, 0, 16000, 1, new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> decoder.decode(r)).isInstanceOf(DecodeException.class).hasMessageContaining("aac/adts");
    }

    @Test
    void oversizedPcmIsRefused() {
        AudioRecordDecoder strict = new AudioRecordDecoder(new DecodeLimits(1, 100), 16_000);
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.PCM_S16LE, MediaRecordFormat.RAW, 1, 0, 0, 8000, 1,
                new byte[400]);
        assertThatThrownBy(() -> strict.decode(r)).hasMessageContaining("decodes to more than 100 samples");
    }

    @Test
    void pcmThatResamplesPastTheLimitIsRefused() {
        AudioRecordDecoder strict = new AudioRecordDecoder(new DecodeLimits(1, 100), 16_000);
        // 80 samples at 1 kHz are within the limit, 1280 at 16 kHz are not
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.PCM_S16LE, MediaRecordFormat.RAW, 1, 0, 0, 1000, 1,
                new byte[160]);
        assertThatThrownBy(() -> strict.decode(r)).hasMessageContaining("resamples to more than 100 samples");
    }
}
