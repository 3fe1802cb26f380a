package io.argus.connectors.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.media.MediaRecordFormat;
import io.argus.models.action.Action;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FFmpeg: a generated clip is cut into records that each decode on their own. */
class SegmentCutterTest {

    private static final long BASE = 1_767_225_600_000L;

    @TempDir
    static Path dir;

    static Path clip;

    @BeforeAll
    static void writeClip() throws Exception {
        clip = dir.resolve("clip.mkv");
        SyntheticClip.standard(7).write(clip, List.of(
                new SyntheticClip.Phase(2000, Action.IDLE, SyntheticClip.Sound.SILENCE),
                new SyntheticClip.Phase(1000, Action.WALKING, SyntheticClip.Sound.LOUD)));
    }

    @Test
    void cutsVideoIntoOneSecondSegmentsThatStartOnKeyframes() throws Exception {
        List<MediaRecord> video = new ArrayList<>();
        List<MediaRecord> audio = new ArrayList<>();
        SegmentCutter.Summary s = new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "cam", BASE, video::add, audio::add);

        assertThat(s.videoSegments()).isEqualTo(3);
        assertThat(video).extracting(r -> r.captureTimeMs - BASE).containsExactly(0L, 1000L, 2000L);
        assertThat(video).allSatisfy(r -> {
            assertThat(r.kind).isEqualTo(MediaKind.VIDEO);
            assertThat(r.codec).isEqualTo(MediaCodec.H264);
            assertThat(r.container).isEqualTo("mpegts");
            assertThat(r.durationMs).isEqualTo(1000);
            assertThat(r.frameRate).isEqualTo(25.0);
        });
        assertThat(video).extracting(r -> r.sequence).containsExactly(0L, 1L, 2L);
        // every segment is self-contained: it decodes alone, 25 frames from a keyframe
        for (MediaRecord r : video) {
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(r.payload))) {
                g.setFormat("mpegts");
                g.start();
                int frames = 0;
                while (g.grabImage() != null) {
                    frames++;
                }
                assertThat(frames).isEqualTo(25);
            }
        }
    }

    @Test
    void cutsAudioIntoPcmChunksAtTheFilesRate() throws Exception {
        List<MediaRecord> audio = new ArrayList<>();
        SegmentCutter.Summary s = new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "cam", BASE, null, audio::add);

        assertThat(s.videoSegments()).isZero();
        assertThat(audio).hasSize(3);
        assertThat(audio).extracting(r -> r.captureTimeMs - BASE).containsExactly(0L, 1000L, 2000L);
        assertThat(audio).allSatisfy(r -> {
            assertThat(r.codec).isEqualTo(MediaCodec.PCM_S16LE);
            assertThat(r.container).isEqualTo(MediaRecordFormat.RAW);
            assertThat(r.sampleRate).isEqualTo(16000);
            assertThat(r.channels).isEqualTo(1);
            assertThat(r.payload).hasSize(32000);
        });
        // the first two seconds are digital silence, the last is the chord
        assertThat(audio.get(0).payload).containsOnly(0);
        assertThat(audio.get(2).payload).contains((byte) 0x7f);
    }

    @Test
    void otherCodecsAndSegmentLengths() throws Exception {
        List<MediaRecord> video = new ArrayList<>();
        new SegmentCutter(new SegmentOptions(500, MediaCodec.MJPEG, 500)).cut(clip, "cam", BASE, video::add, null);
        assertThat(video).allSatisfy(r -> {
            assertThat(r.codec).isEqualTo(MediaCodec.MJPEG);
            assertThat(r.container).isEqualTo("matroska");
        });
        // segments end on the first frame within half a frame of 500 ms: 12 frames (480 ms) each
        assertThat(video).extracting(r -> r.durationMs).containsExactly(480L, 480L, 480L, 480L, 480L, 480L, 120L);
        assertThat(video).extracting(r -> r.captureTimeMs - BASE)
                .containsExactly(0L, 480L, 960L, 1440L, 1920L, 2400L, 2880L);
    }

    @Test
    void aFileFFmpegCannotReadIsAClearError() throws Exception {
        Path junk = Files.write(dir.resolve("junk.mkv"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> new SegmentCutter(SegmentOptions.DEFAULT).cut(junk, "cam", BASE, r -> {}, r -> {}))
                .hasMessageContaining("cannot cut").hasMessageContaining("junk.mkv");
    }
}
