package io.argus.jobs.cli;

import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.models.input.InputSpec;
import io.argus.models.pose.PoseEstimator;
import io.argus.models.pose.PoseFrame;
import io.argus.models.pose.PoseWindow;
import io.argus.models.pose.PoseWindower;
import io.argus.models.pose.Poses;
import io.argus.operators.decode.DecodeException;
import io.argus.operators.decode.DecodeLimits;
import io.argus.operators.decode.VideoFrame;
import io.argus.operators.decode.VideoSegmentDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording's people as the job sees them: the file cut into segments as {@code argus replay}
 * cuts it, decoded and letterboxed to the pose model's input, sampled at the model's rate, the
 * pose model run on every sampled frame, and each person followed and cut into windows.
 */
final class ClipPoses {

    private static final int BATCH = 8;

    private final PoseEstimator estimator;
    private final InputSpec spec;
    private final PoseWindower.Spec windows;
    private final float minPersonScore;

    ClipPoses(PoseEstimator estimator, InputSpec spec, PoseWindower.Spec windows) {
        this.estimator = estimator;
        this.spec = spec;
        this.windows = windows;
        this.minPersonScore = windows.minPersonScore();
    }

    /** The default window cut for a model's input: half a window between starts, people in half the slots. */
    static PoseWindower.Spec windowsFor(InputSpec spec, float minPersonScore) {
        return new PoseWindower.Spec(spec.frames(), spec.fps(), Math.max(1, spec.frames() / 2), 2000, minPersonScore,
                Math.max(1, spec.frames() / 2), 0.2f, 1000);
    }

    /** Every pose window of the clip, in order. */
    List<PoseWindow> windows(Path clip) throws IOException {
        List<PoseFrame> frames = frames(clip);
        PoseWindower windower = new PoseWindower(windows);
        List<PoseWindow> out = new ArrayList<>();
        frames.forEach(f -> windower.add(f, out::add));
        return out;
    }

    /** The people of every sampled frame of the clip, in capture order. */
    List<PoseFrame> frames(Path clip) throws IOException {
        List<MediaRecord> segments = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "clip", 0, segments::add, null);
        VideoSegmentDecoder decoder = new VideoSegmentDecoder(spec.width(), spec.height(), 3, true,
                DecodeLimits.DEFAULT);
        long period = Math.round(1000 / spec.fps());
        long lastSlot = Long.MIN_VALUE;
        List<VideoFrame> pending = new ArrayList<>();
        List<PoseFrame> out = new ArrayList<>();
        for (MediaRecord r : segments) {
            List<VideoFrame> decoded;
            try {
                decoded = decoder.decode(r);
            } catch (DecodeException e) {
                throw new IOException("cannot decode " + clip + ": " + e.getMessage(), e);
            }
            for (VideoFrame f : decoded) {
                long slot = Math.floorDiv(f.timestampMs, period);
                if (slot == lastSlot) {
                    continue;
                }
                lastSlot = slot;
                pending.add(f);
                if (pending.size() == BATCH) {
                    estimate(pending, out);
                }
            }
        }
        estimate(pending, out);
        return out;
    }

    private void estimate(List<VideoFrame> batch, List<PoseFrame> out) {
        if (batch.isEmpty()) {
            return;
        }
        int bytes = spec.width() * spec.height() * 3;
        byte[] pixels = new byte[batch.size() * bytes];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).pixels, 0, pixels, i * bytes, bytes);
        }
        float[][] people = estimator.estimate(pixels, batch.size(), spec.height(), spec.width());
        for (int i = 0; i < batch.size(); i++) {
            VideoFrame f = batch.get(i);
            float[] found = Poses.atLeast(people[i], minPersonScore);
            PoseEstimator.unletterbox(found, f.width, f.height, f.contentWidth, f.contentHeight);
            out.add(new PoseFrame("clip", f.timestampMs, f.aspect, found, f.decodedAtMs));
        }
        batch.clear();
    }
}
