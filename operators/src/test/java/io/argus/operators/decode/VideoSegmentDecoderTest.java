package io.argus.operators.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.operators.testing.Media;
import io.argus.operators.testing.NativeMemory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Real FFmpeg decoding of real segments. */
class VideoSegmentDecoderTest {

    private final VideoSegmentDecoder grey = new VideoSegmentDecoder(64, 48, 1, DecodeLimits.DEFAULT);

    @Test
    void decodesASegmentIntoScaledFramesAtTheirCaptureTimes() throws Exception {
        MediaRecord segment = Media.videoSegments().get(1);
        List<VideoFrame> frames = grey.decode(segment);

        assertThat(frames).hasSize(25);
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.streamId).isEqualTo("cam");
            assertThat(f.width).isEqualTo(64);
            assertThat(f.height).isEqualTo(48);
            assertThat(f.pixels).hasSize(64 * 48);
        });
        assertThat(frames).extracting(f -> f.timestampMs - segment.captureTimeMs)
                .containsExactly(0L, 40L, 80L, 120L, 160L, 200L, 240L, 280L, 320L, 360L, 400L, 440L, 480L, 520L,
                        560L, 600L, 640L, 680L, 720L, 760L, 800L, 840L, 880L, 920L, 960L);
        // a real picture: not one flat value
        byte[] p = frames.get(0).pixels;
        assertThat(p).satisfies(px -> assertThat(distinct(px)).isGreaterThan(10));
    }

    @Test
    void decodesMpeg4AndMjpegSegmentsToo() throws Exception {
        for (MediaCodec codec : new MediaCodec[] {MediaCodec.MPEG4, MediaCodec.MJPEG}) {
            List<MediaRecord> segments = Media.segmentsEncodedWith(codec);
            assertThat(segments).hasSize(1);
            assertThat(segments.get(0).codec).isEqualTo(codec);
            List<VideoFrame> frames = grey.decode(segments.get(0));
            assertThat(frames).as(codec.wireName()).hasSize(25);
            assertThat(distinct(frames.get(12).pixels)).as(codec.wireName() + " picture").isGreaterThan(10);
        }
    }

    @Test
    void letterboxingKeepsThePicturesShapeAndPadsTheRestBlack() throws Exception {
        // the clip is 320x240 (4:3): into 256x256 it fits as 256x192, the bottom 64 rows left black
        VideoSegmentDecoder boxed = new VideoSegmentDecoder(256, 256, 3, true, DecodeLimits.DEFAULT);
        VideoFrame f = boxed.decode(Media.videoSegments().get(0)).get(0);
        assertThat(f.pixels).hasSize(256 * 256 * 3);
        assertThat(f.contentWidth).isEqualTo(256);
        assertThat(f.contentHeight).isEqualTo(192);
        assertThat(f.aspect).isEqualTo(4f / 3);
        byte[] picture = Arrays.copyOfRange(f.pixels, 0, 256 * 192 * 3);
        byte[] padding = Arrays.copyOfRange(f.pixels, 256 * 192 * 3, f.pixels.length);
        assertThat(distinct(picture)).isGreaterThan(10);
        assertThat(distinct(padding)).isEqualTo(1);
        assertThat(padding[0]).isZero();

        VideoFrame stretched = new VideoSegmentDecoder(256, 256, 3, DecodeLimits.DEFAULT)
                .decode(Media.videoSegments().get(0)).get(0);
        assertThat(stretched.contentHeight).isEqualTo(256);
        assertThat(stretched.aspect).isEqualTo(4f / 3);
    }

    @Test
    void rgbFramesHoldThreeBytesAPixel() throws Exception {
        VideoSegmentDecoder rgb = new VideoSegmentDecoder(32, 32, 3, DecodeLimits.DEFAULT);
        assertThat(rgb.decode(Media.videoSegments().get(0)).get(0).pixels).hasSize(32 * 32 * 3);
    }

    @Test
    void decodesASingleJpeg() throws Exception {
        BufferedImage img = new BufferedImage(80, 60, BufferedImage.TYPE_3BYTE_BGR);
        img.getGraphics().fillRect(10, 10, 30, 30);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", jpeg);
        MediaRecord r = MediaRecord.video("cam", MediaCodec.MJPEG, "mjpeg", Media.BASE, 0, 0, 1, jpeg.toByteArray());

        List<VideoFrame> frames = grey.decode(r);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).timestampMs).isEqualTo(Media.BASE);
    }

    @Test
    void garbageIsADecodeErrorNamingTheCodec() {
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        MediaRecord r = MediaRecord.video("cam", MediaCodec.H264, "mpegts", Media.BASE, 1000, 0, 25, junk);
        assertThatThrownBy(() -> grey.decode(r)).isInstanceOf(DecodeException.class).hasMessageContaining("h264/mpegts");
    }

    @Test
    void aTruncatedSegmentYieldsFewerFramesOrAnErrorNeverACrash() {
        MediaRecord full = Media.videoSegments().get(2);
        for (int cut : new int[] {100, 1000, full.payload.length / 2}) {
            MediaRecord r = MediaRecord.video("cam", MediaCodec.H264, "mpegts", full.captureTimeMs, 1000, 0, 25,
                    Arrays.copyOf(full.payload, cut));
            try {
                assertThat(grey.decode(r).size()).isLessThan(25);
            } catch (DecodeException e) {
                assertThat(e.getMessage()).contains("h264/mpegts");
            }
        }
    }

    @Test
    void tooManyFramesInOneRecordIsRefused() {
        VideoSegmentDecoder strict = new VideoSegmentDecoder(64, 48, 1, new DecodeLimits(10, 1000));
        assertThatThrownBy(() -> strict.decode(Media.videoSegments().get(0)))
                .hasMessageContaining("more than 10 frames");
    }

    @Test
    void framesLargerThanTheLimitAreRefusedBeforeDecoding() {
        VideoSegmentDecoder strict = new VideoSegmentDecoder(64, 48, 1, new DecodeLimits(100, 1000, 320L * 200));
        assertThatThrownBy(() -> strict.decode(Media.videoSegments().get(0)))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("declares frames of 320x240, over the limit of 64000 pixels");
    }

    @Test
    void decodingManySegmentsDoesNotGrowNativeMemory() throws Exception {
        MediaRecord segment = Media.videoSegments().get(3);
        for (int i = 0; i < 300; i++) {
            grey.decode(segment); // warm-up: allocator arenas and FFmpeg's lazily built tables
        }
        long[] nativeMb = NativeMemory.afterRounds(() -> {
            for (int i = 0; i < 200; i++) {
                grey.decode(segment);
            }
        });
        // A leaked grabber (its codec context and frame buffers, hundreds of KB) would add far more
        // than 48 MB over the 600 to 1,000 decodes between the rounds compared.
        assertThat(NativeMemory.growthMb(nativeMb)).as("native memory growth (MB) over 800 decodes, rounds %s",
                java.util.Arrays.toString(nativeMb)).isLessThan(48);
    }

    private static long distinct(byte[] px) {
        boolean[] seen = new boolean[256];
        long n = 0;
        for (byte b : px) {
            if (!seen[b & 0xff]) {
                seen[b & 0xff] = true;
                n++;
            }
        }
        return n;
    }
}
