package io.argus.operators.testing;

import io.argus.connectors.kafka.IngestedRecord;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.models.action.Action;
import io.argus.operators.decode.VideoFrame;
import io.argus.testkit.SyntheticClip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real media for operator tests: a generated clip cut by the replay cutter, made once per JVM. */
public final class Media {

    public static final long BASE = 1_767_225_600_000L;
    private static List<MediaRecord> video;
    private static List<MediaRecord> audio;

    private Media() {}

    /** Three 1 s H.264 segments of a still scene, then one with a walking figure. */
    public static synchronized List<MediaRecord> videoSegments() {
        load();
        return video;
    }

    /** The clip's audio as four 1 s PCM chunks: silence x3, a loud chord. */
    public static synchronized List<MediaRecord> audioChunks() {
        load();
        return audio;
    }

    /** One second of the clip (a walking figure) as segments encoded with another codec. */
    public static List<MediaRecord> segmentsEncodedWith(io.argus.connectors.media.MediaCodec codec) {
        try {
            Path dir = Files.createTempDirectory("argus-media-");
            Path clip = dir.resolve("clip.mkv");
            SyntheticClip.standard(12).write(clip, List.of(
                    new SyntheticClip.Phase(1000, Action.WALKING, SyntheticClip.Sound.SILENCE)));
            List<MediaRecord> v = new ArrayList<>();
            new SegmentCutter(new SegmentOptions(1000, codec, 1000)).cut(clip, "cam", BASE, v::add, null);
            Files.delete(clip);
            Files.delete(dir);
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static IngestedRecord ingested(MediaRecord r, long offset) {
        return IngestedRecord.valid("topic", 0, offset, r);
    }

    /** A grey frame of one value. */
    public static VideoFrame frame(String stream, long ts, int value) {
        byte[] px = new byte[16];
        java.util.Arrays.fill(px, (byte) value);
        return new VideoFrame(stream, ts, 4, 4, 1, px, ts);
    }

    private static void load() {
        if (video != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("argus-media-");
            Path clip = dir.resolve("clip.mkv");
            SyntheticClip.standard(11).write(clip, List.of(
                    new SyntheticClip.Phase(3000, Action.IDLE, SyntheticClip.Sound.SILENCE),
                    new SyntheticClip.Phase(1000, Action.WALKING, SyntheticClip.Sound.LOUD)));
            List<MediaRecord> v = new ArrayList<>();
            List<MediaRecord> a = new ArrayList<>();
            new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "cam", BASE, v::add, a::add);
            Files.delete(clip);
            Files.delete(dir);
            video = List.copyOf(v);
            audio = List.copyOf(a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
