package io.argus.operators.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.operators.testing.Media;
import io.argus.operators.testing.NativeMemory;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/** One kept FFmpeg decoder per stream, on real segments. */
class VideoDecodersTest {

    private static MediaRecord as(MediaRecord r, String stream) {
        return MediaRecord.video(stream, r.codec, r.container, r.captureTimeMs, r.durationMs, r.sequence, r.frameRate,
                r.payload);
    }

    private static List<VideoFrame> decode(VideoDecoders d, MediaRecord r) throws DecodeException {
        List<VideoFrame> out = new ArrayList<>();
        d.decode(r, out::add);
        return out;
    }

    @Test
    void aKeptDecoderGivesEveryRecordTheFramesAFreshDecoderGives() throws Exception {
        VideoSegmentDecoder fresh = new VideoSegmentDecoder(64, 48, 1, DecodeLimits.DEFAULT);
        try (VideoDecoders kept = VideoDecoders.builder(64, 48, 1).build()) {
            for (MediaRecord segment : Media.videoSegments()) {
                List<VideoFrame> a = fresh.decode(segment);
                List<VideoFrame> b = decode(kept, segment);
                assertThat(b).hasSize(25).hasSameSizeAs(a);
                for (int i = 0; i < a.size(); i++) {
                    assertThat(b.get(i).timestampMs).isEqualTo(a.get(i).timestampMs);
                    assertThat(Arrays.equals(b.get(i).pixels, a.get(i).pixels)).as("frame %d of %s", i,
                            segment.sequence).isTrue();
                }
            }
            assertThat(kept.decodersOpened()).as("one decoder for the stream's four records").isEqualTo(1);
            assertThat(kept.openStreams()).isEqualTo(1);
        }
    }

    @Test
    void framesMatchWhatJavaCvsGrabberGivesStretchedAndLetterboxed() throws Exception {
        for (MediaRecord segment : Media.videoSegments()) {
            try (VideoDecoders grey = VideoDecoders.builder(64, 48, 1).build();
                    VideoDecoders boxed = VideoDecoders.builder(96, 96, 3).letterbox(true).build()) {
                assertSameFrames(decode(grey, segment), grabbed(segment, 64, 48, 1, 64, 48));
                List<VideoFrame> letterboxed = decode(boxed, segment);
                assertThat(letterboxed.get(0).contentHeight).isEqualTo(72);
                assertSameFrames(letterboxed, grabbed(segment, 96, 96, 3, 96, 72));
            }
        }
    }

    private static void assertSameFrames(List<VideoFrame> actual, List<VideoFrame> reference) {
        assertThat(actual).hasSize(25).hasSameSizeAs(reference);
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i).timestampMs).isEqualTo(reference.get(i).timestampMs);
            assertThat(Arrays.equals(actual.get(i).pixels, reference.get(i).pixels)).as("pixels of frame %d", i)
                    .isTrue();
        }
    }

    /**
     * The record decoded as the job decoded it before it kept decoders: a JavaCV grabber per record,
     * scaling to {@code pictureWidth x pictureHeight} at the top left of a black frame.
     */
    private static List<VideoFrame> grabbed(MediaRecord r, int width, int height, int channels, int pictureWidth,
            int pictureHeight) throws Exception {
        List<VideoFrame> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(r.payload))) {
            grabber.setFormat(r.container);
            grabber.setPixelFormat(channels == 1 ? avutil.AV_PIX_FMT_GRAY8 : avutil.AV_PIX_FMT_RGB24);
            grabber.setImageWidth(pictureWidth);
            grabber.setImageHeight(pictureHeight);
            grabber.start();
            long firstUs = Long.MIN_VALUE;
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                firstUs = firstUs == Long.MIN_VALUE ? frame.timestamp : firstUs;
                ByteBuffer src = (ByteBuffer) frame.image[0];
                byte[] pixels = new byte[width * height * channels];
                for (int y = 0; y < pictureHeight; y++) {
                    src.position(y * frame.imageStride);
                    src.get(pixels, y * width * channels, pictureWidth * channels);
                }
                frames.add(new VideoFrame(r.streamId, r.captureTimeMs + (frame.timestamp - firstUs) / 1000, width,
                        height, channels, pixels, 0));
            }
            grabber.stop();
        }
        return frames;
    }

    @Test
    void eachStreamKeepsADecoderOfItsOwnUpToTheLimit() throws Exception {
        MediaRecord segment = Media.videoSegments().get(0);
        try (VideoDecoders d = VideoDecoders.builder(32, 32, 1).maxStreams(2).build()) {
            decode(d, as(segment, "a"));
            decode(d, as(segment, "b"));
            decode(d, as(segment, "a"));
            assertThat(d.decodersOpened()).isEqualTo(2);
            decode(d, as(segment, "c")); // b is the least recently used: closed
            assertThat(d.openStreams()).isEqualTo(2);
            decode(d, as(segment, "a"));
            assertThat(d.decodersOpened()).isEqualTo(3);
            decode(d, as(segment, "b"));
            assertThat(d.decodersOpened()).isEqualTo(4);
        }
    }

    @Test
    void withNoStreamsKeptEveryRecordOpensItsOwn() throws Exception {
        try (VideoDecoders d = VideoDecoders.builder(32, 32, 1).maxStreams(0).build()) {
            decode(d, Media.videoSegments().get(0));
            decode(d, Media.videoSegments().get(1));
            assertThat(d.openStreams()).isZero();
            assertThat(d.decodersOpened()).isEqualTo(2);
        }
    }

    @Test
    void samplingEmitsTheFirstFrameOfEachPeriodAndDecodesTheRest() throws Exception {
        // every frame, to tell which are first of their 333 ms period: those whose previous frame (for
        // a record's first frame, one frame interval earlier) lies in an earlier period
        List<VideoFrame> expected = new ArrayList<>();
        try (VideoDecoders all = VideoDecoders.builder(64, 64, 3).letterbox(true).build()) {
            for (MediaRecord segment : Media.videoSegments()) {
                List<VideoFrame> frames = decode(all, segment);
                long interval = frames.get(1).timestampMs - frames.get(0).timestampMs;
                long previous = frames.get(0).timestampMs - interval;
                for (VideoFrame f : frames) {
                    if (Math.floorDiv(f.timestampMs * 3, 1000) != Math.floorDiv(previous * 3, 1000)) {
                        expected.add(f);
                    }
                    previous = f.timestampMs;
                }
            }
        }
        try (VideoDecoders d = VideoDecoders.builder(64, 64, 3).letterbox(true).sampleFps(3).build()) {
            List<VideoFrame> kept = new ArrayList<>();
            int decoded = 0;
            for (MediaRecord segment : Media.videoSegments()) {
                decoded += d.decode(segment, kept::add);
            }
            assertThat(decoded).isEqualTo(100);
            assertThat(kept).hasSize(12).extracting(f -> f.timestampMs)
                    .isEqualTo(expected.stream().map(f -> f.timestampMs).toList());
            for (int i = 0; i < kept.size(); i++) {
                assertThat(Arrays.equals(kept.get(i).pixels, expected.get(i).pixels)).as("pixels of kept frame %d", i)
                        .isTrue();
            }
            assertThat(kept).allSatisfy(f -> assertThat(f.contentHeight).isEqualTo(48));
        }
    }

    @Test
    void newDecodersFromARecordOnSampleTheFramesTheUndisturbedOnesSampled() throws Exception {
        // 1.5 fps: slots of 667 ms, so the fourth record (at 3 s) starts inside a slot the third one opened
        List<Long> undisturbed = sampledTimes(0);
        List<Long> restored = sampledTimes(3);
        assertThat(undisturbed).containsExactly(0L, 680L, 1360L, 2000L, 2680L, 3360L);
        assertThat(restored).isEqualTo(undisturbed.stream().filter(t -> t >= 3000).toList());
    }

    /** The capture times (from the clip's start) of the frames kept at 1.5 fps from record {@code from} on. */
    private static List<Long> sampledTimes(int from) throws Exception {
        List<VideoFrame> kept = new ArrayList<>();
        try (VideoDecoders d = VideoDecoders.builder(64, 64, 3).sampleFps(1.5).build()) {
            for (MediaRecord segment : Media.videoSegments().subList(from, 4)) {
                d.decode(segment, kept::add);
            }
        }
        return kept.stream().map(f -> f.timestampMs - Media.BASE).toList();
    }

    @Test
    void aRecordThatFailsLeavesTheStreamToANewDecoderAndTheNextRecordDecodesInFull() throws Exception {
        MediaRecord good = Media.videoSegments().get(1);
        MediaRecord cut = MediaRecord.video("cam", MediaCodec.H264, "mpegts", good.captureTimeMs + 1000, 1000, 9, 25,
                Arrays.copyOf(good.payload, 300));
        try (VideoDecoders d = VideoDecoders.builder(32, 32, 1).build()) {
            decode(d, good);
            assertThatThrownBy(() -> decode(d, cut)).isInstanceOf(DecodeException.class);
            assertThat(d.openStreams()).isZero();
            assertThat(decode(d, good)).hasSize(25);
            assertThat(d.decodersOpened()).isEqualTo(2);
        }
    }

    @Test
    void aStreamThatChangesCodecGetsADecoderForTheNewOne() throws Exception {
        MediaRecord mpeg4 = Media.segmentsEncodedWith(MediaCodec.MPEG4).get(0);
        MediaRecord mjpeg = Media.segmentsEncodedWith(MediaCodec.MJPEG).get(0);
        try (VideoDecoders d = VideoDecoders.builder(32, 32, 1).build()) {
            assertThat(decode(d, Media.videoSegments().get(0))).hasSize(25);
            assertThat(decode(d, mpeg4)).hasSize(25);
            assertThat(decode(d, mjpeg)).hasSize(25);
            assertThat(decode(d, Media.videoSegments().get(1))).hasSize(25);
            assertThat(d.decodersOpened()).isEqualTo(4);
        }
    }

    @Test
    void keptDecodersDoNotGrowNativeMemory() throws Exception {
        List<MediaRecord> segments = Media.videoSegments();
        try (VideoDecoders d = VideoDecoders.builder(64, 48, 1).build()) {
            for (int i = 0; i < 300; i++) {
                decode(d, as(segments.get(i % 4), "cam-" + (i % 8)));
            }
            long[] nativeMb = NativeMemory.afterRounds(() -> {
                for (int i = 0; i < 200; i++) {
                    decode(d, as(segments.get(i % 4), "cam-" + (i % 8)));
                }
            });
            // a leak of 80 KB or more per record (a frame, an I/O buffer, a decoder) adds 48 MB or more
            // over the 600 to 1,000 records between the rounds compared
            assertThat(NativeMemory.growthMb(nativeMb))
                    .as("native memory growth (MB), rounds %s", Arrays.toString(nativeMb)).isLessThan(48);
            assertThat(d.decodersOpened()).isEqualTo(8);
        }
    }
}
