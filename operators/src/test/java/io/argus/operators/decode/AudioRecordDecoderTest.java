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
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;

class AudioRecordDecoderTest {

    private final AudioRecordDecoder decoder = new AudioRecordDecoder(DecodeLimits.DEFAULT);

    private static short[] sine(int rate, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Short.MAX_VALUE * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        return s;
    }

    @Test
    void stereoS16IsDownmixedToMono() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 16384).putShort((short) 0).putShort((short) -32768).putShort((short) -32768);
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.PCM_S16LE, MediaRecordFormat.RAW, 5000, 0, 0, 8000, 2,
                b.array());
        AudioChunk c = decoder.decode(r);
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
        assertThat(decoder.decode(r).samples).containsExactly(0.5f, -0.25f, 1f);
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
        AudioRecordDecoder strict = new AudioRecordDecoder(new DecodeLimits(1, 100));
        MediaRecord r = MediaRecord.audio("mic", MediaCodec.PCM_S16LE, MediaRecordFormat.RAW, 1, 0, 0, 8000, 1,
                new byte[400]);
        assertThatThrownBy(() -> strict.decode(r)).hasMessageContaining("more than 100 samples");
    }
}
